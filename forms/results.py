"""Survey results: a summary per question of the submitted answers, and who may see it.

Answers are counted by block id against the questions of the page's current version, so a renamed
question keeps its answers. Multiple choice is counted per option, with the share of the people who
answered the question (shares may add up to more than 100 %) — Decidim's charts counted option
combinations instead (decidim#16421, #17491).
"""

import math
from collections import Counter
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forms.fields import format_decimal, plain_decimal
from forms.models import Submission, SurveyPage
from forms.permissions import can_view_submissions

CACHE_SECONDS = 600
HISTOGRAM_BINS = 10
LATEST_TEXT_ANSWERS = 20
NOT_SHOWN = {"file", "consent"}
TEXT_BLOCKS = {"short_text", "long_text", "email", "phone", "url"}


def results_visible_to(page, user, moment=None):
    """Staff always; otherwise as the survey says: everyone, everyone once it has closed, or nobody else.

    ``user`` None asks about any visitor.
    """
    if can_view_submissions(user):
        return True
    if not page.live:
        return False
    visibility = page.results_visibility
    if visibility == SurveyPage.ResultsVisibility.PUBLIC:
        return True
    if visibility == SurveyPage.ResultsVisibility.AFTER_CLOSE:
        return page.closes_at is not None and (moment or timezone.now()) >= page.closes_at
    return False


def results_unavailable_message(page):
    """Why a resident cannot see the results (yet)."""
    if page.results_visibility == SurveyPage.ResultsVisibility.AFTER_CLOSE:
        if page.closes_at:
            return _("Итоги опроса будут опубликованы после его закрытия — %(when)s (мск).") % {
                "when": date_format(localtime(page.closes_at), "d.m.Y H:i")
            }
        return _("Итоги опроса будут опубликованы после его закрытия.")
    return _("Итоги этого опроса видят только сотрудники платформы.")


def survey_results(page, *, include_text=False):
    """The results of a survey as plain JSON-ready data; ``include_text`` adds the latest free-text answers (staff).

    Kept in the cache under a key that changes with every new answer and every publication of the survey, so
    readers never see stale counts, while reading all the answers happens once per change, not once per visitor.
    """
    submitted = Submission.objects.submitted().filter(page_id=page.pk)
    state = submitted.aggregate(count=Count("pk"), last=Max("pk"))
    key = ":".join(
        str(part)
        for part in (
            "forms:survey-results",
            page.pk,
            page.live_revision_id,
            state["count"],
            state["last"],
            get_language(),
            int(include_text),
        )
    )
    return cache.get_or_set(key, lambda: _count(page, submitted, include_text), CACHE_SECONDS)


def _count(page, submitted, include_text):
    questions = [item for item in page.definition.fields if item.kind not in NOT_SHOWN]
    answers = {item.id: [] for item in questions}
    respondents = 0
    last_submitted_at = None
    rows = submitted.order_by("-submitted_at", "-pk").values_list("data", "submitted_at")
    for data, submitted_at in rows.iterator(chunk_size=500):
        respondents += 1
        last_submitted_at = last_submitted_at or submitted_at
        for item in questions:
            stored = data.get(item.id)
            if not item.is_empty(stored):
                answers[item.id].append((stored, submitted_at))
    return {
        "survey": {
            "id": page.pk,
            "title": page.title,
            "url": page.url,
            "closes_at": page.closes_at.isoformat() if page.closes_at else None,
            "results_visibility": page.results_visibility,
        },
        "respondents": respondents,
        "last_submitted_at": last_submitted_at.isoformat() if last_submitted_at else None,
        "questions": [_summarise(item, answers[item.id], include_text) for item in questions],
    }


def _summarise(item, answered, include_text):
    summary = {
        "id": item.id,
        "label": item.label,
        "code": item.code,
        "type": item.block_type,
        "answered": len(answered),
    }
    values = [stored for stored, _moment in answered]
    if item.kind in {"choice", "choices", "yes_no"}:
        return {**summary, "chart": "options", "multiple": item.kind == "choices", **_options(item, values)}
    if item.kind == "number":
        return {**summary, "chart": "histogram", **_numbers(item, values)}
    if item.kind in {"date", "date_range"}:
        return {**summary, "chart": "months", "months": _months(item, values)}
    summary["chart"] = "count"
    if include_text and item.block_type in TEXT_BLOCKS:
        summary["answers"] = [
            {"text": item.display(stored), "submitted_at": moment.isoformat()}
            for stored, moment in answered[:LATEST_TEXT_ANSWERS]
        ]
    return summary


# --- Choices ------------------------------------------------------------------------------------------------------


def _options(item, values):
    """Counts per option; in a multiple choice each chosen option counts once for its respondent."""
    offered = _offered_options(item)
    if item.kind == "yes_no":
        yes, no = offered
        counts = Counter(yes if stored else no for stored in values if isinstance(stored, bool))
    else:
        counts = Counter(text for stored in values for text in _chosen(item, stored))
    by_count = sorted(counts, key=lambda text: (-counts[text], text))
    if offered is None:  # a reference list (municipalities, TOS): the answers given are the options
        rows = [(text, True) for text in by_count]
    else:
        rows = [(text, True) for text in offered] + [(text, False) for text in by_count if text not in offered]
    base = len(values)
    return {
        "options": [
            {"label": text, "count": counts[text], "percent": _percent(counts[text], base), "offered": is_offered}
            for text, is_offered in rows
        ]
    }


def _offered_options(item):
    if item.kind == "yes_no":
        return [_("Да"), _("Нет")]
    if item.block_type in {"municipality", "tos"}:
        return None
    return item.block.get_options(item.value)


def _chosen(item, stored):
    if item.kind == "choices":
        return list(dict.fromkeys(str(text) for text in stored)) if isinstance(stored, list) else []
    if isinstance(stored, dict):
        return [stored["name"]] if stored.get("name") else []
    return [str(stored)]


def _percent(count, base):
    if not base:
        return 0.0
    return float((Decimal(count) * 100 / base).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


# --- Numbers ------------------------------------------------------------------------------------------------------


def _numbers(item, values):
    numbers = sorted(number for number in (_decimal(stored) for stored in values) if number is not None)
    unit = _unit(item)
    if not numbers:
        return {"unit": unit, "stats": None, "histogram": []}
    count = len(numbers)
    middle = count // 2
    median = numbers[middle] if count % 2 else (numbers[middle - 1] + numbers[middle]) / 2
    stats = {
        "count": count,
        "mean": _round(sum(numbers) / count),
        "median": _round(median),
        "min": numbers[0],
        "max": numbers[-1],
    }
    return {
        "unit": unit,
        "stats": {key: value if key == "count" else plain_decimal(value) for key, value in stats.items()},
        "stats_text": {key: _with_unit(value, unit) for key, value in stats.items() if key != "count"},
        "histogram": _histogram(numbers, unit, _scale(item, numbers)),
    }


def _scale(item, numbers):
    """A short whole-number scale set on the question (a rating from 1 to 5), to be shown in full; else None."""
    low, high = _decimal(item.value.get("min_value")), _decimal(item.value.get("max_value"))
    if low is None or high is None or low != low.to_integral_value() or high != high.to_integral_value():
        return None
    if high - low >= HISTOGRAM_BINS or numbers[0] < low or numbers[-1] > high:
        return None
    return low, high


def _histogram(numbers, unit, scale=None):
    """At most ten bins of equal width. Whole numbers get whole bins of a round width (1, 2, 5, 10, 20, 50…)."""
    low, high = scale or (numbers[0], numbers[-1])
    whole = all(number == number.to_integral_value() for number in numbers)
    if whole:
        width = _round_width(low, high)
        first = _floor_to(low, width)
        edges = []
        while not edges or edges[-1][1] < high:
            start = first + len(edges) * width
            edges.append((start, start + width - 1))
    else:
        bins = min(HISTOGRAM_BINS, math.ceil(math.sqrt(len(numbers)))) if high > low else 1
        width = (high - low) / bins
        first = low
        edges = [
            (low + index * width, high if index == bins - 1 else low + (index + 1) * width) for index in range(bins)
        ]
    counts = [0] * len(edges)
    for number in numbers:
        index = int((number - first) / width) if width else 0
        counts[min(index, len(edges) - 1)] += 1
    return [
        {
            "start": plain_decimal(_round(start)),
            "end": plain_decimal(_round(end)),
            "label": _bin_label(start, end, whole, unit),
            "count": count,
            "percent": _percent(count, len(numbers)),
        }
        for (start, end), count in zip(edges, counts, strict=True)
    ]


def _round_width(low, high):
    """The smallest width of 1, 2 or 5 times a power of ten that covers low..high in at most ten bins."""
    scale = Decimal(1)
    while True:
        for step in (1, 2, 5):
            width = scale * step
            first = _floor_to(low, width)
            if (high - first) // width + 1 <= HISTOGRAM_BINS:
                return width
        scale *= 10


def _floor_to(number, width):
    return (number / width).to_integral_value(rounding=ROUND_FLOOR) * width


def _bin_label(start, end, whole, unit):
    if whole and start == end:
        return _with_unit(start, unit)
    return f"{_with_unit(start, '')}–{_with_unit(end, unit)}"


def _decimal(stored):
    try:
        number = Decimal(str(stored))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _round(number):
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if number != number.to_integral_value() else number


def _unit(item):
    """The unit the question's field shows beside the input: ₽, %, or the one the methodologist set."""
    return getattr(item.form_field(), "unit", "")


def _with_unit(number, unit):
    text = format_decimal(_round(number))
    return f"{text}\u00a0{unit}" if unit else text


# --- Dates --------------------------------------------------------------------------------------------------------


def _months(item, values):
    """Answers per calendar month (a period counts in the month it starts), in date order."""
    counts = Counter()
    for stored in values:
        raw = stored.get("start") if isinstance(stored, dict) else stored
        day = parse_date(raw) if isinstance(raw, str) else None
        if day:
            counts[day.replace(day=1)] += 1
    total = sum(counts.values())
    return [
        {
            "month": month.strftime("%Y-%m"),
            "label": date_format(month, "F Y"),
            "count": count,
            "percent": _percent(count, total),
        }
        for month, count in sorted(counts.items())
    ]
