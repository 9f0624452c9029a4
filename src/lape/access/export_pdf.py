"""The family's export as a readable PDF (fpdf2): the same people, sections and fields as the JSON.

Offline, with no font file: the PDF's standard Helvetica, whose Latin-1 encoding covers Finnish
and Swedish (ä, ö, å, é...). Other characters degrade safely (`pdf_text`): typographic dashes and
quotes to their ASCII forms, accented letters to their base letter, anything else to "?". No
Unicode font ships with the platform, and none may be downloaded at run time (docs/family-view.md).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .family_export import ExportItem, FamilyExport, Value

_REPLACEMENTS = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2026": "...",
        "\u2022": "-",
        "\u20ac": "EUR",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


def pdf_text(text: str) -> str:
    """Text the standard PDF fonts can show (Latin-1): ä, ö, å kept; others degrade, never fail."""
    text = unicodedata.normalize("NFC", text.translate(_REPLACEMENTS))
    out = []
    for char in text:
        if char in "\n\t" or (ord(char) < 256 and unicodedata.category(char)[0] != "C"):
            out.append(char)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) < 256 for c in base) else "?")
    return "".join(out)


def _shown(value: Value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "-"
    return str(value)


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 8, pdf_text(_("Page %(page)s") % {"page": self.page_no()}), align="C")


def _line(
    pdf: FPDF, text: str, *, size: int = 10, style: str = "", indent: float = 0, gap: float = 0
) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if gap:
        pdf.ln(gap)


def _item(pdf: FPDF, export_item: ExportItem, indent: float) -> None:
    for f in export_item.fields:
        nested = isinstance(f.value, list) and any(isinstance(v, ExportItem) for v in f.value)
        if nested:
            _line(pdf, f"{f.label}:", style="B", indent=indent)
            for sub in f.value:  # type: ignore[union-attr]
                if isinstance(sub, ExportItem):
                    _item(pdf, sub, indent + 6)
        else:
            _line(pdf, f"{f.label}: {_shown(f.value)}", indent=indent)
    pdf.ln(2)


def as_pdf(export: FamilyExport) -> bytes:
    """The export as a PDF document (bytes)."""
    pdf = _Document(format="A4")
    pdf.set_title(pdf_text(_("My family's information")))
    pdf.set_lang(get_language() or "fi")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    _line(pdf, _("My family's information"), size=16, style="B", gap=2)
    _line(pdf, _("Exported on %(when)s.") % {"when": _shown(export.generated_at)})
    _line(
        pdf,
        _(
            "This is the information the platform holds about you and the children in your custody "
            "that you may see (GDPR, articles 15 and 20). The same information is available as JSON."
        ),
        gap=4,
    )
    for exported in export.people:
        name = f"{exported.person.given_names} {exported.person.family_name}"
        _line(pdf, name, size=14, style="B", gap=1)
        for section in exported.sections:
            _line(pdf, section.title, size=12, style="B", indent=2, gap=1)
            if not section.items:
                _line(pdf, _("None."), indent=4, gap=2)
            for export_item in section.items:
                _item(pdf, export_item, indent=4)
    return bytes(pdf.output())
