"""The protocol of a competition's result as a PDF: what the commission signs and files.

«Протокол подведения итогов конкурса …»: the competition and its legal basis, the moments the scoring closed and
the result was published (Moscow time), the rules (passing score, fund, cap per project, allocation, tie-breaks)
and the formula, the criteria with their weights, the ranking with the final scores, allocations, the cut-off and
funding lines, the funds' remainders, and what makes the result reproducible: the version of the scoring sheet
and the seed of the automatic assignment of experts. Experts are never named: the snapshot holds none.
"""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from competitions.models import moment
from competitions.results_views import (
    allocation_text,
    criteria_rows,
    formula_sentences,
    money_text,
    number_text,
    pool_rows,
    ranking_items,
    summary,
    tie_break_texts,
)
from website.pdf import Banner, Column, Document, draw_table


def protocol_title(competition):
    return _("Протокол подведения итогов конкурса «%(title)s»") % {"title": competition.title}


def ranking_columns():
    return [
        Column(_("Место"), 13, "CENTER"),
        Column(_("Номер"), 25),
        Column(_("Проект"), 36),
        Column(_("Заявитель"), 28),
        Column(_("Итоговый балл"), 20, "RIGHT"),
        Column(_("Запрошено"), 23, "RIGHT"),
        Column(_("Присуждено"), 23, "RIGHT"),
        Column(_("Итог"), 21),
    ]


def ranking_rows(results):
    rows = []
    for item in ranking_items(results):
        if "line" in item:
            rows.append(Banner(item["text"]))
            continue
        row = item["row"]
        final = row["final_text"] or "—"
        if row["exact_note"]:
            final = _("%(shown)s\n(точно %(exact)s)") % {"shown": final, "exact": row["exact_note"]}
        project = row["title"] + (f"\n{row['nomination']}" if row["nomination"] else "")
        rows.append(
            [
                row["rank"],
                row["number"],
                project,
                row["applicant"],
                final,
                row["requested_text"],
                row["granted_text"] or "—",
                row["standing_label"],
            ]
        )
    return rows


def build(competition, scoring_round, results):
    """The protocol as a finished ``Document`` (call ``render()`` for the bytes)."""
    rules = results["rules"]
    pdf = Document(protocol_title(competition), author=competition.organiser)
    pdf.heading(protocol_title(competition))
    pdf.facts(
        [
            (_("Конкурс"), f"{competition.title} ({competition.kind.name}, {competition.year})"),
            (_("Организатор"), competition.organiser),
            (_("Правовое основание"), competition.legal_basis),
            (_("Оценка закрыта"), _("%(when)s (мск)") % {"when": moment(scoring_round.closed_at)}),
            (_("Итоги опубликованы"), _("%(when)s (мск)") % {"when": moment(scoring_round.published_at)}),
            (_("Протокол сформирован"), _("%(when)s (мск)") % {"when": moment(timezone.now())}),
        ]
    )

    pdf.heading(_("1. Правила подведения итогов"), level=2)
    pdf.facts(
        [
            (_("Проходной балл"), number_text(rules["passing_score"], 2)),
            (_("Призовой фонд"), money_text(rules["fund"])),
            (_("Не больше на один проект"), money_text(rules["max_per_project"])),
            (_("Если проект не помещается в остаток фонда"), allocation_text(results)),
            (
                _("При равенстве баллов выше заявка, у которой"),
                "; ".join([*tie_break_texts(results), _("меньше номер заявки")]),
            ),
        ]
    )
    pdf.paragraph(_("Как считается итог:"), bold=True)
    for position, sentence in enumerate(formula_sentences(results), start=1):
        pdf.paragraph(f"{position}. {sentence}", size=9)

    pdf.heading(_("2. Критерии оценки"), level=2)
    draw_table(
        pdf,
        [
            Column(_("Критерий"), 50),
            Column(_("Как оценивается"), 25),
            Column(_("Шкала или расчёт"), 70),
            Column(_("Вес"), 35),
        ],
        [
            [
                criterion["name"],
                criterion["kind"],
                criterion["scale"],
                "\n".join([criterion["weight"], *criterion["weight_rules"]]),
            ]
            for criterion in criteria_rows(scoring_round)
        ],
    )

    pdf.heading(_("3. Рейтинг заявок и распределение средств"), level=2)
    counts = summary(results)
    pdf.paragraph(
        _(
            "Заявок в рейтинге: %(applications)s; набрали проходной балл: %(eligible)s; поддержано: %(funded)s "
            "на сумму %(granted)s."
        )
        % counts,
        size=9,
    )
    draw_table(pdf, ranking_columns(), ranking_rows(results), size=7.5)

    pdf.heading(_("4. Фонды"), level=2)
    draw_table(
        pdf,
        [
            Column(_("Фонд"), 70),
            Column(_("Размер"), 37, "RIGHT"),
            Column(_("Распределено"), 37, "RIGHT"),
            Column(_("Остаток"), 36, "RIGHT"),
        ],
        [[pool["name"], pool["fund"], pool["granted"], pool["remaining"]] for pool in pool_rows(results)],
        size=9,
    )

    pdf.heading(_("5. Воспроизводимость"), level=2)
    pdf.facts(
        [
            (_("Версия листа оценки"), str(rules["sheet_version"])),
            (_("Зерно случайного назначения экспертов"), scoring_round.seed),
            (_("Экспертов на заявку"), str(rules.get("experts_per_application") or "")),
        ],
        label_width=80,
    )
    pdf.paragraph(
        _(
            "Итог пересчитывается по опубликованным открытым данным (CSV, XLSX, JSON на странице итогов) и правилам "
            "выше; назначение экспертов воспроизводится по зерну и версии листа."
        ),
        size=9,
    )
    pdf.signature(_("Секретарь конкурсной комиссии"))
    return pdf


def protocol_response(competition, scoring_round, results):
    content = build(competition, scoring_round, results).render()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protocol-{competition.year}-{competition.pk}.pdf"'
    return response
