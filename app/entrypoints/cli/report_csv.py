"""The report's lead lists as one CSV file for a spreadsheet.

One row per lead and list: the best leads first, then each re-engagement list, told apart by
the first column. UTF-8 with a byte-order mark, so that Excel shows the accents; cells that a
spreadsheet would run as a formula are neutralised, since names and messages come from
strangers on WhatsApp.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import tzinfo
from pathlib import Path

from app.application.lead_report import LeadList, LeadReport
from app.entrypoints.cli.report_labels import format_datetime, phone, yes_no

HEADER = (
    "lista",
    "posición",
    "teléfono",
    "nombre",
    "puntaje",
    "etapa",
    "puntaje en su último mensaje",
    "intereses",
    "último mensaje",
    "último contacto",
    "primer contacto",
    "pidió asesor",
    "acepta marketing",
)
# A leading =, +, - or @ makes Excel, LibreOffice or Google Sheets evaluate a cell, also after
# spaces, tabs or line breaks, and in their full-width forms (＝＋－＠), which some spreadsheets
# read as the ASCII ones. A cell starting with whitespace that hides such a sign is defused too.
_FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def write_csv(report: LeadReport, path: Path, zone: tzinfo, show_phones: bool) -> int:
    """Write the file; returns the number of lead rows written."""
    rows = list(csv_rows(report, zone, show_phones))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)


def csv_rows(report: LeadReport, zone: tzinfo, show_phones: bool) -> Iterator[list[str]]:
    for lead_list in (report.leads, *report.reengagement):
        yield from _list_rows(lead_list, zone, show_phones)


def _list_rows(lead_list: LeadList, zone: tzinfo, show_phones: bool) -> Iterator[list[str]]:
    for position, row in enumerate(lead_list.rows, start=1):
        yield [
            lead_list.title,
            str(position),
            # A bare "+57..." id gets the apostrophe too, which also stops Excel reading it as a number.
            safe_cell(phone(row, show_phones)),
            safe_cell(row.name or ""),
            str(row.score),
            row.stage.value,
            str(row.base_score),
            safe_cell(", ".join(row.interests)),
            safe_cell(row.last_message or ""),
            format_datetime(row.last_contact_at, zone),
            format_datetime(row.first_contact_at, zone),
            yes_no(row.human_requested),
            yes_no(row.marketing_consent),
        ]


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe defuses formula characters."""
    return f"'{text}" if text.lstrip().startswith(_FORMULA_SIGNS) else text
