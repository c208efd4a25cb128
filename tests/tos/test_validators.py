"""INN, OGRN and GeoJSON checks: real numbers pass, typos are caught with a message that says what to do."""

import pytest
from django.core.exceptions import ValidationError

from tos.validators import geometry_centre, inn_is_valid, ogrn_is_valid, validate_geojson, validate_inn, validate_ogrn

# Public registry numbers of well-known organisations (checksums verified by the tax service's rules).
VALID_INN_10 = ["7707083893", "7728168971"]
VALID_OGRN_13 = ["1027700132195", "1027739609391"]


@pytest.mark.parametrize("value", VALID_INN_10)
def test_real_organisation_inns_pass(value):
    assert inn_is_valid(value)
    validate_inn(value)


def test_person_inn_of_twelve_digits_has_two_control_digits():
    assert inn_is_valid("500100732259")
    assert not inn_is_valid("500100732250")


@pytest.mark.parametrize("value", ["7707083894", "770708389", "77070838931", "77070838a3"])
def test_wrong_inns_are_refused_with_a_russian_message(value):
    with pytest.raises(ValidationError) as error:
        validate_inn(value)
    assert "ИНН" in error.value.messages[0]


@pytest.mark.parametrize("value", VALID_OGRN_13)
def test_real_ogrns_pass(value):
    assert ogrn_is_valid(value)
    validate_ogrn(value)


def test_ogrn_with_a_typo_names_the_fix():
    with pytest.raises(ValidationError) as error:
        validate_ogrn("1027700132196")
    assert "контрольной цифры" in error.value.messages[0] and "ЕГРЮЛ" in error.value.messages[0]


def test_geojson_point_polygon_and_feature_pass():
    validate_geojson({"type": "Point", "coordinates": [36.26, 54.51]})
    square = [[36.0, 54.0], [36.1, 54.0], [36.1, 54.1], [36.0, 54.1], [36.0, 54.0]]
    validate_geojson({"type": "Polygon", "coordinates": [square]})
    validate_geojson(
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [[square]]}}
    )
    assert geometry_centre({"type": "Polygon", "coordinates": [square]}) == pytest.approx([36.05, 54.05])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("{not json", "это не GeoJSON"),
        ('{"type": "LineString", "coordinates": [[36, 54], [37, 55]]}', "Point, Polygon или MultiPolygon"),
        ({"type": "Point", "coordinates": [54.51, 236.26]}, "долгота от −180 до 180"),
        ({"type": "Polygon", "coordinates": [[[36, 54], [36.1, 54], [36.1, 54.1], [36, 54.2]]]}, "замкнут"),
        ({"type": "Point", "coordinates": ["36", "54"]}, "числами"),
        ([36.26, 54.51], "объект GeoJSON"),
    ],
)
def test_malformed_geojson_is_explained(value, expected):
    with pytest.raises(ValidationError) as error:
        validate_geojson(value)
    assert expected in error.value.messages[0]
    assert error.value.messages[0].startswith("Границы на карте")
