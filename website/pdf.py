"""PDF documents in Russian: protocols, checklists, any printable record the platform issues.

The PDF core fonts have no Cyrillic, so every document embeds DejaVu Sans (website/fonts, with its license).
``Document`` is an A4 page with the fonts registered, page numbers in the footer and a few building blocks
(headings, paragraphs, label–value lists, a signature line); ``draw_table`` draws a table that wraps long text,
repeats its header on every page and can carry full-width lines between rows (a cut-off line, a subtotal).
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVu"
TEXT_SIZE = 10
HEADER_FILL = (232, 236, 241)
BANNER_FILL = (255, 243, 205)

# fpdf2 subsets the fonts with fontTools, which logs every glyph of every document at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Column:
    """A table column: ``width`` is relative to the other columns; ``align`` LEFT, RIGHT or CENTER."""

    heading: str
    width: float = 1
    align: str = "LEFT"


@dataclass(frozen=True)
class Banner:
    """A row that spans the whole table, set in bold on a tinted ground: a line the reader must not miss."""

    text: str


class Document(FPDF):
    def __init__(self, title, *, orientation="portrait", author=""):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(title)
        self.set_author(author)
        self.set_creator(_("Методическая платформа благоустройства"))
        self.set_lang("ru")
        self.set_font(FAMILY, size=TEXT_SIZE)
        self.add_page()

    def footer(self):
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(90)
        self.cell(0, 5, _("Страница %(page)s из %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="C")
        self.set_text_color(0)

    def heading(self, text, *, level=1, keep_with=30):
        """A heading; it starts a new page rather than stand alone at the foot of one (``keep_with`` mm)."""
        sizes = {1: 14, 2: 12, 3: 10.5}
        if self.will_page_break(keep_with):
            self.add_page()
        self.ln(2 if level > 1 else 0)
        self.set_font(FAMILY, "B", sizes[level])
        self.multi_cell(0, sizes[level] * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)
        self.set_font(FAMILY, size=TEXT_SIZE)

    def paragraph(self, text, *, size=TEXT_SIZE, bold=False):
        self.set_font(FAMILY, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)
        self.set_font(FAMILY, size=TEXT_SIZE)

    def facts(self, pairs, *, label_width=60):
        """Label–value lines without borders, the label in bold; empty values are left out."""
        shown = [(str(label), str(value)) for label, value in pairs if value not in (None, "")]
        if not shown:
            return
        with self.table(
            col_widths=(label_width, self.epw - label_width),
            first_row_as_headings=False,
            borders_layout="NONE",
            text_align="LEFT",
            line_height=5,
            padding=(0.6, 1, 0.6, 0),
        ) as table:
            for label, value in shown:
                line = table.row()
                line.cell(label, style=FontFace(emphasis="BOLD"))
                line.cell(value)
        self.ln(2)

    def signature(self, role):
        """«Секретарь конкурсной комиссии ________ / ________ /» and a date line, kept on one page."""
        if self.will_page_break(30):
            self.add_page()
        self.ln(8)
        self.set_font(FAMILY, size=TEXT_SIZE)
        self.multi_cell(
            0, 6, f"{role}    ____________________ / ______________________ /", new_x="LMARGIN", new_y="NEXT"
        )
        self.set_font(FAMILY, size=7.5)
        self.set_text_color(90)
        self.cell(0, 4, _("подпись                                  расшифровка подписи"), align="C")
        self.set_text_color(0)
        self.ln(8)
        self.set_font(FAMILY, size=TEXT_SIZE)
        self.cell(0, 6, _("«____» ________________ 20____ г."), new_x="LMARGIN", new_y="NEXT")

    def render(self):
        """The finished document as bytes."""
        return bytes(self.output())


def draw_table(pdf, columns, rows, *, size=8):
    """A table: ``rows`` are lists of cell texts (None prints empty) or ``Banner`` lines across the table."""
    pdf.set_font(FAMILY, size=size)
    with pdf.table(
        col_widths=[column.width for column in columns],
        text_align=[column.align for column in columns],
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        line_height=size * 0.5,
        padding=1,
        repeat_headings=1,
    ) as table:
        header = table.row()
        for column in columns:
            header.cell(column.heading, align="CENTER")
        for row in rows:
            line = table.row()
            if isinstance(row, Banner):
                banner = FontFace(emphasis="BOLD", fill_color=BANNER_FILL)
                line.cell(row.text, colspan=len(columns), align="LEFT", style=banner)
                continue
            for value in row:
                line.cell("" if value is None else str(value))
    pdf.set_font(FAMILY, size=TEXT_SIZE)
    pdf.ln(2)
