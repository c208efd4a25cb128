"""The published result of a competition, for everyone: <competition>/results/ and its files.

The page shows the ranking with the passing (cut-off) line and the funding line of each fund, the pools, the
rules and the formula in words, a bar chart of the final scores and links to the open data and the PDF protocol.
Until the secretary publishes, the page, the files and the protocol answer 404 to everybody, applicants
included (the secretariat reads the closed result in the admin). Everything comes from the snapshot fixed at the
close of scoring, which names no expert.
"""

from decimal import Decimal

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from competitions import ranking, scoring
from competitions.cofinancing import rubles
from competitions.criteria import ComputedSource
from competitions.models import ScoringRound
from competitions.results_exports import FORMATS, columns, export_response, records
from forms.fields import format_decimal

TOP_OF_RANKING = 5


def published_or_404(competition):
    """(results snapshot, scoring round) once the result is published; 404 before."""
    results = scoring.published_results(competition)
    if results is None:
        raise Http404(_("Итоги конкурса ещё не опубликованы."))
    scoring_round = ScoringRound.objects.select_related("sheet_version").get(competition=competition)
    return results, scoring_round


def number_text(value, places=None):
    return "" if value in (None, "") else format_decimal(Decimal(value), places=places)


def money_text(value):
    return "" if value in (None, "") else rubles(value)


def pool_name(pool):
    return _("Общий фонд конкурса") if not pool["name"] else _("Фонд номинации «%(name)s»") % {"name": pool["name"]}


# --- The rules and the formula in words -------------------------------------------------------------------------


def tie_break_texts(results):
    texts = dict(ranking.TIE_BREAKS)
    return [str(texts.get(rule, rule)) for rule in results["rules"]["tie_breaks"]]


def allocation_text(results):
    return str(dict(ranking.ALLOCATION_RULES).get(results["rules"]["allocation_rule"], ""))


def formula_sentences(results):
    """The contract of competitions.ranking written out for people, with this competition's numbers."""
    rules = results["rules"]
    tie_breaks = "; ".join(f"{position}) {text}" for position, text in enumerate(tie_break_texts(results), start=1))
    return [
        _(
            "Итог эксперта по заявке = сумма по критериям, которые оценивают эксперты: балл × вес критерия. "
            "Вес может зависеть от номинации и запрошенной суммы — он указан в таблице критериев."
        ),
        _(
            "Итоговый балл заявки = среднее арифметическое итогов экспертов, отправивших лист оценки, + сумма по "
            "расчётным критериям: баллы × вес."
        ),
        _(
            "Итоговый балл хранится точно (среднее трёх итогов может быть дробью вида 47/3) и показывается "
            "округлённым до 2 знаков; сравнение с проходным баллом и порядок считаются по точному значению."
        ),
        _("Заявка с итоговым баллом ниже проходного (%(score)s) не получает поддержку.")
        % {"score": number_text(rules["passing_score"], 2)},
        _(
            "Заявки упорядочены по итоговому баллу от большего к меньшему. При равенстве баллов выше та, у которой: "
            "%(rules)s; если и это не различает заявки — та, у которой меньше номер."
        )
        % {"rules": tie_breaks},
        _(
            "Деньги распределяются по порядку рейтинга в пределах фонда — общего фонда конкурса или фонда своей "
            "номинации, если он задан. Каждая поддержанная заявка получает запрошенную сумму, но не больше "
            "%(cap)s. Если заявка не помещается в остаток фонда — %(rule)s."
        )
        % {"cap": money_text(rules["max_per_project"]), "rule": allocation_text(results)},
    ]


def weight_rule_text(nomination, amount_from, amount_to, weight):
    parts = []
    if nomination:
        parts.append(_("номинация «%(name)s»") % {"name": nomination})
    if amount_from is not None and amount_to is not None:
        parts.append(
            _("запрошено от %(low)s и меньше %(high)s") % {"low": rubles(amount_from), "high": rubles(amount_to)}
        )
    elif amount_from is not None:
        parts.append(_("запрошено от %(low)s") % {"low": rubles(amount_from)})
    elif amount_to is not None:
        parts.append(_("запрошено меньше %(high)s") % {"high": rubles(amount_to)})
    return _("%(when)s — вес %(weight)s") % {"when": ", ".join(parts), "weight": format_decimal(weight)}


def band_text(low, high, points):
    values = {
        "low": "" if low is None else format_decimal(low),
        "high": "" if high is None else format_decimal(high),
    }
    if low is None and high is None:
        where = _("любое значение")
    elif low is None:
        where = _("меньше %(high)s") % values
    elif high is None:
        where = _("от %(low)s") % values
    else:
        where = _("от %(low)s и меньше %(high)s") % values
    return _("%(where)s — %(points)s") % {"where": where, "points": format_decimal(points)}


def criteria_rows(scoring_round):
    """The sheet's criteria for people: what is scored, on what scale or by what bands, with which weight."""
    sources = dict(ComputedSource.CHOICES)
    rows = []
    for criterion in scoring_round.criteria:
        if criterion.is_expert:
            kind = _("оценивают эксперты")
            scale = criterion.scale_text()
        else:
            kind = _("расчётный")
            source = criterion.answer_code if criterion.source == ComputedSource.ANSWER else ""
            scale = "; ".join(
                [
                    str(sources.get(criterion.source, criterion.source)) + (f" «{source}»" if source else ""),
                    *(band_text(*band) for band in criterion.bands),
                ]
            )
        rows.append(
            {
                "name": criterion.name,
                "kind": kind,
                "scale": scale,
                "weight": format_decimal(criterion.weight),
                "weight_rules": [weight_rule_text(*rule) for rule in criterion.weight_rules],
            }
        )
    return rows


# --- The ranking with its lines ---------------------------------------------------------------------------------


def cutoff_text(results):
    return _("Проходной балл: %(score)s — ниже линии заявки не поддерживаются") % {
        "score": number_text(results["rules"]["passing_score"], 2)
    }


def funding_text(pool, single):
    remaining = Decimal(pool["remaining"])
    where = (
        _("Граница финансирования") if single else _("Граница финансирования — %(pool)s") % {"pool": pool_name(pool)}
    )
    if remaining == 0:
        return _("%(where)s: фонд исчерпан") % {"where": where}
    return _("%(where)s: остаток фонда %(remaining)s") % {"where": where, "remaining": money_text(remaining)}


def ranking_items(results):
    """The rows in ranking order with the lines between them: ``{"row": …}`` or ``{"line": kind, "text": …}``.

    The cut-off line goes under the last application at or above the passing score (above every row when none
    is); a funding line goes under the last funded application of each fund.
    """
    table_columns = columns(results)
    criterion_columns = [column for column in table_columns if column.criterion_id]
    pools = {pool["key"]: pool for pool in results["pools"]}
    last_funded = {}
    for row in results["rows"]:
        if row["granted"] is not None:
            last_funded[row["pool"]] = row["rank"]
    cutoff_after = results["passing_line_after"]
    items = [] if cutoff_after else [{"line": "cutoff", "text": cutoff_text(results)}]
    for row, record in zip(results["rows"], records(results, table_columns), strict=True):
        exact = row["final_score"]
        items.append(
            {
                "row": {
                    **record,
                    "final_text": number_text(record["final_score_rounded"], 2),
                    "exact_note": _exact_note(exact, row["final_score_shown"]),
                    "criteria": [
                        number_text(record[column.key], 2 if column.kind == "score" else None)
                        for column in criterion_columns
                    ],
                    "requested_text": money_text(record["requested"]),
                    "granted_text": money_text(record["granted"]),
                    "funded": record["granted"] is not None,
                }
            }
        )
        for key, rank in last_funded.items():
            if rank == row["rank"]:
                items.append({"line": "funding", "text": funding_text(pools[key], single=len(pools) == 1)})
        if row["rank"] == cutoff_after:
            items.append({"line": "cutoff", "text": cutoff_text(results)})
    return items


def _exact_note(exact, shown):
    """The exact final score where the rounded one hides something («47/3», «23,456»), else empty."""
    if exact is None or ("/" not in exact and Decimal(exact) == Decimal(shown)):
        return ""
    return exact.replace(".", ",")


def chart_bars(results):
    """One bar per scored application, as a share of the highest final score, with the value written beside it."""
    scored = [row for row in results["rows"] if row["final_score_shown"] is not None]
    passing = Decimal(results["rules"]["passing_score"])
    top = max([Decimal(row["final_score_shown"]) for row in scored] + [passing], default=Decimal("0"))

    def share(value):
        return "0" if top <= 0 else format(max(Decimal("0"), value) * 100 / top, ".2f")

    bars = [
        {
            "rank": row["rank"],
            "number": row["number"],
            "title": row["title"],
            "value": number_text(row["final_score_shown"], 2),
            "width": share(Decimal(row["final_score_shown"])),
            "standing": row["standing"],
            "standing_label": ranking.Standing.LABELS.get(row["standing"], row["standing"]),
        }
        for row in scored
    ]
    return {"bars": bars, "passing_at": share(passing), "passing": number_text(passing, 2)}


def pool_rows(results):
    return [
        {
            "name": pool_name(pool),
            "fund": money_text(pool["fund"]),
            "granted": money_text(pool["granted"]),
            "remaining": money_text(pool["remaining"]),
        }
        for pool in results["pools"]
    ]


def summary(results):
    rows = results["rows"]
    return {
        "applications": len(rows),
        "eligible": sum(1 for row in rows if row["eligible"]),
        "funded": sum(1 for row in rows if row["granted"] is not None),
        "granted": money_text(sum((Decimal(pool["granted"]) for pool in results["pools"]), Decimal("0"))),
    }


# --- Views (routed from CompetitionPage) ------------------------------------------------------------------------


def results_page(page, request):
    results, scoring_round = published_or_404(page)
    has_nominations = any(row["nomination"] for row in results["rows"])
    context = page.get_context(request)
    context.update(
        {
            "results": results,
            "scoring_round": scoring_round,
            "criterion_headers": [
                {
                    "name": criterion["name"],
                    "note": _("средний балл экспертов") if criterion["kind"] == "expert" else _("баллы по расчёту"),
                }
                for criterion in results["criteria"]
            ],
            "has_nominations": has_nominations,
            "table_width": 8 + has_nominations + len(results["criteria"]),
            "items": ranking_items(results),
            "chart": chart_bars(results),
            "pools": pool_rows(results),
            "summary": summary(results),
            "criteria": criteria_rows(scoring_round),
            "formula": formula_sentences(results),
            "tie_breaks": tie_break_texts(results),
            "allocation_rule": allocation_text(results),
            "passing_score": number_text(results["rules"]["passing_score"], 2),
            "fund": money_text(results["rules"]["fund"]),
            "max_per_project": money_text(results["rules"]["max_per_project"]),
        }
    )
    return TemplateResponse(request, "competitions/results/results_page.html", context)


def results_export(page, request, fmt):
    if fmt not in FORMATS:
        raise Http404(_("Такого формата итогов нет: есть CSV, XLSX и JSON."))
    results, scoring_round = published_or_404(page)
    return export_response(page, scoring_round, results, fmt, page_url=page.get_full_url(request))


def results_protocol(page, request):
    from competitions.protocol_pdf import protocol_response

    results, scoring_round = published_or_404(page)
    return protocol_response(page, scoring_round, results)


def applicant_results(application):
    """The «Итоги экспертизы» block of the applicant's own page: ``{"published": False}`` for an admitted
    application before publication, its row, criteria and comments after it, None for any other application."""
    feedback = scoring.applicant_feedback(application)
    if feedback is None:
        return {"published": False} if application.status == application.Status.ADMITTED else None
    row = feedback["row"]
    criteria = []
    for criterion in feedback["criteria"]:
        if criterion["kind"] == "expert":
            value = number_text(criterion["mean"], 2)
            note = _("средний балл экспертов, шкала %(low)s–%(high)s") % {
                "low": number_text(criterion["min_score"]),
                "high": number_text(criterion["max_score"]),
            }
        else:
            value = number_text(criterion["points"])
            note = _("баллы по расчёту")
        criteria.append({"name": criterion["name"], "value": value, "note": note})
    return {
        "published": True,
        "rank": row["rank"],
        "of": len(feedback["results"]["rows"]),
        "final": number_text(row["final_score_shown"], 2),
        "passing_score": number_text(feedback["results"]["rules"]["passing_score"], 2),
        "standing": row["standing"],
        "standing_label": ranking.Standing.LABELS.get(row["standing"], row["standing"]),
        "granted": money_text(row["granted"]),
        "criteria": criteria,
        "comments": feedback["comments"],
        "comments_shown": application.competition.show_comments_to_applicants,
    }
