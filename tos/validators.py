"""Checks of a TOS profile's identifiers and map geometry, with messages that name the fix."""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INN_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
GEOMETRY_TYPES = ("Point", "Polygon", "MultiPolygon")


def _check_digit(digits, weights):
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False)) % 11 % 10


def inn_is_valid(value):
    """ИНН: 10 digits (organisation) or 12 (person), control digits by the Federal Tax Service's weights."""
    if not value.isdigit():
        return False
    if len(value) == 10:
        return _check_digit(value, INN_WEIGHTS_10) == int(value[9])
    if len(value) == 12:
        return _check_digit(value, INN_WEIGHTS_11) == int(value[10]) and _check_digit(value, INN_WEIGHTS_12) == int(
            value[11]
        )
    return False


def ogrn_is_valid(value):
    """ОГРН: 13 digits, the last one is (first 12 mod 11) mod 10; ОГРНИП (15) is (first 14 mod 13) mod 10."""
    if not value.isdigit():
        return False
    if len(value) == 13:
        return int(value[:12]) % 11 % 10 == int(value[12])
    if len(value) == 15:
        return int(value[:14]) % 13 % 10 == int(value[14])
    return False


def validate_inn(value):
    if not value.isdigit() or len(value) != 10:
        raise ValidationError(
            _("ИНН организации — 10 цифр без пробелов; сейчас введено «%(value)s»."), params={"value": value}
        )
    if not inn_is_valid(value):
        raise ValidationError(
            _(
                "ИНН %(value)s не проходит проверку контрольной цифры: "
                "сверьте его со свидетельством о постановке на учёт."
            ),
            params={"value": value},
        )


def validate_ogrn(value):
    if not value.isdigit() or len(value) != 13:
        raise ValidationError(
            _("ОГРН организации — 13 цифр без пробелов; сейчас введено «%(value)s»."), params={"value": value}
        )
    if not ogrn_is_valid(value):
        raise ValidationError(
            _("ОГРН %(value)s не проходит проверку контрольной цифры: сверьте его с выпиской из ЕГРЮЛ."),
            params={"value": value},
        )


def _position_error(position):
    if not isinstance(position, list | tuple) or len(position) < 2:
        return _("каждая точка — пара чисел [долгота, широта]")
    longitude, latitude = position[0], position[1]
    if not all(isinstance(number, int | float) and not isinstance(number, bool) for number in (longitude, latitude)):
        return _("координаты должны быть числами")
    if not all(math.isfinite(number) for number in (longitude, latitude)):
        return _("координаты должны быть конечными числами")
    if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
        return _("долгота от −180 до 180, широта от −90 до 90 (порядок в GeoJSON: сначала долгота)")
    return None


def _polygon_error(rings):
    if not isinstance(rings, list) or not rings:
        return _("у многоугольника должен быть хотя бы один контур")
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return _("контур многоугольника — не меньше четырёх точек")
        for position in ring:
            error = _position_error(position)
            if error:
                return error
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return _("контур многоугольника должен быть замкнут: последняя точка совпадает с первой")
    return None


def geometry_error(geometry):
    """What is wrong with a GeoJSON geometry (Point, Polygon or MultiPolygon), or None if it is fine."""
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return _("тип объекта — Point, Polygon или MultiPolygon")
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        return _position_error(coordinates)
    if kind == "Polygon":
        return _polygon_error(coordinates)
    if not isinstance(coordinates, list) or not coordinates:
        return _("у мультимногоугольника должен быть хотя бы один многоугольник")
    for polygon in coordinates:
        error = _polygon_error(polygon)
        if error:
            return error
    return None


def validate_geojson(value):
    """A map geometry in GeoJSON: a Point, a Polygon or a MultiPolygon (a bare geometry or a Feature)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise ValidationError(
                _(
                    "Границы на карте: это не GeoJSON (ошибка разбора: %(error)s). Вставьте объект вида "
                    '{"type": "Point", "coordinates": [36.26, 54.51]}.'
                ),
                params={"error": error},
            ) from error
    if not isinstance(value, dict):
        raise ValidationError(
            _('Границы на карте: нужен объект GeoJSON вида {"type": "Polygon", "coordinates": [...]}.')
        )
    error = geometry_error(value)
    if error:
        raise ValidationError(_("Границы на карте: %(error)s."), params={"error": error})


def bare_geometry(value):
    """The geometry of a GeoJSON value that may be a Feature."""
    if value and value.get("type") == "Feature":
        return value.get("geometry")
    return value


def geometry_centre(value):
    """A representative [longitude, latitude] of a geometry: the point itself, or the mean of a polygon's outer ring."""
    geometry = bare_geometry(value)
    if not geometry:
        return None
    if geometry["type"] == "Point":
        return list(geometry["coordinates"][:2])
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    points = ring[:-1]
    return [sum(point[0] for point in points) / len(points), sum(point[1] for point in points) / len(points)]
