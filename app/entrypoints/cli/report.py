"""`python -m app report`: the marketers' lead report in the terminal, as CSV and as HTML.

    python -m app report                                  # totals, top leads, re-engagement lists
    python -m app report --min-score 55 --interest python --since 7d --limit 50
    python -m app report --csv leads.csv --html leads.html
    python -m app report --explain +573001234567          # ¿por qué este lead tiene 72?

It reads PostgreSQL when DATABASE_URL is set (and MEMORY_STORE is not json), else the JSON
memory in DATA_DIR; app.bootstrap.reports.open_lead_reports decides. docs/report.md has the details.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from app.application.errors import StoreUnavailableError
from app.application.lead_report import MAX_LIST_LIMIT, ReportFilters, canonical_interest, mask_phone
from app.bootstrap.reports import open_handoff_desk, open_lead_reports
from app.config import Settings
from app.domain.lead_scoring import ACTIVE_STAGES, LeadStage
from app.domain.text import normalize
from app.entrypoints.cli.report_csv import write_csv
from app.entrypoints.cli.report_html import write_html
from app.entrypoints.cli.report_terminal import render_explanation, render_report

_RELATIVE_DAYS = re.compile(r"^(\d{1,4})d$")
# Wide enough for the lead table when the output is a file or a pipe (rich would assume 80).
_MIN_WIDTH_WHEN_PIPED = 160


class ReportUsageError(ValueError):
    """An argument the report cannot use; the message is for the marketer, in Spanish."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--min-score", type=int, metavar="N", help="only leads whose score today is at least N")
    parser.add_argument("--since", metavar="FECHA", help="only leads who wrote since then: 2026-11-01 or 7d")
    parser.add_argument("--interest", metavar="TEMA", help="only leads interested in TEMA (e.g. python)")
    parser.add_argument("--stage", metavar="ETAPA", help="frio, tibio, caliente or listo (listo para cerrar)")
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="leads per list (default 20)")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the lead lists as CSV")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write a self-contained HTML page with charts")
    parser.add_argument("--explain", metavar="PHONE", help="explain one lead's score, point by point")
    parser.add_argument("--timezone", default="UTC", metavar="ZONE", help="dates in this zone (e.g. America/Bogota)")
    parser.add_argument("--show-phones", action="store_true", help="full phone numbers instead of masked ones")


def run(settings: Settings, args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    output = stdout or sys.stdout
    console = Console(file=output, width=None if output.isatty() else _MIN_WIDTH_WHEN_PIPED, highlight=False)
    errors = Console(file=sys.stderr, highlight=False, soft_wrap=True)
    try:
        zone = parse_zone(args.timezone)
        filters = build_filters(args, zone, datetime.now(UTC))
    except ReportUsageError as error:
        errors.print(f"[red]Error:[/red] {escape(str(error))}")
        return 2
    # One clear line when the database is down, instead of the pool's warning per retry.
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    try:
        return asyncio.run(_run(settings, args, filters, zone, console))
    except StoreUnavailableError as error:
        errors.print(f"[red]No se pudo leer la memoria de los usuarios:[/red] {escape(str(error))}")
        return 1
    except OSError as error:
        errors.print(f"[red]No se pudo escribir el archivo:[/red] {escape(str(error))}")
        return 1


async def _run(
    settings: Settings, args: argparse.Namespace, filters: ReportFilters, zone: tzinfo, console: Console
) -> int:
    async with open_lead_reports(settings) as reports:
        if args.explain:
            explanation = await reports.explain.execute(args.explain)
            if explanation is None:
                console.print(f"No hay ningún contacto con el teléfono {escape(args.explain)}.")
                return 1
            render_explanation(explanation, console, zone, args.show_phones)
            return 0
        report = await reports.generate.execute(filters, zone, args.timezone)
    render_report(report, console, zone, args.show_phones)
    if settings.database_url is not None and settings.memory_store != "json":
        render_sales_desk(settings, console, args.show_phones)
    if args.csv:
        rows = write_csv(report, args.csv, zone, args.show_phones)
        console.print(f"CSV con {rows} filas: {escape(str(args.csv))}")
    if args.html:
        write_html(report, args.html, zone, args.show_phones)
        console.print(f"Página HTML: {escape(str(args.html))}")
    return 0


def render_sales_desk(settings: Settings, console: Console, show_phones: bool) -> None:
    """Open hand-offs (how long each student has waited) and replies that did not arrive."""
    try:
        with open_handoff_desk(settings) as desk:
            handoffs, figures = desk.open_handoffs(), desk.delivery_figures()
    except StoreUnavailableError as error:
        console.print(f"[dim]Traspasos y entregas no disponibles: {escape(str(error))}[/dim]")
        return
    now = datetime.now(UTC)
    console.print(f"\n[bold]Traspasos a un asesor abiertos: {len(handoffs)}[/bold]")
    for handoff in handoffs:
        waited = now - (handoff.waiting_since or handoff.opened_at)
        phone = handoff.user_id if show_phones else mask_phone(handoff.user_id)
        console.print(
            f"  #{handoff.id} {escape(phone)} {escape(handoff.summary.name or '(sin nombre)')} · "
            f"abierto {handoff.opened_at:%Y-%m-%d %H:%M} UTC · esperando {int(waited.total_seconds() // 60)} min"
        )
    console.print(
        f"[bold]Entregas:[/bold] {figures.waiting_messages} mensajes por responder, "
        f"{figures.unsent_parts} partes por enviar, {figures.failed_parts_24h} fallidas en 24 h"
    )
    for error in figures.provider_errors_24h:
        meaning = f" ({error.meaning})" if error.meaning else ""
        console.print(f"  error {error.code}{escape(meaning)}: {error.count}")


def build_filters(args: argparse.Namespace, zone: tzinfo, now: datetime) -> ReportFilters:
    try:
        return ReportFilters(
            min_score=args.min_score,
            since=parse_since(args.since, zone, now) if args.since else None,
            interest=canonical_interest(args.interest) if args.interest else None,
            stage=parse_stage(args.stage) if args.stage else None,
            limit=args.limit,
        )
    except ValidationError as error:
        fields = ", ".join(str(e["loc"][0]) for e in error.errors())
        raise ReportUsageError(
            f"valor fuera de rango en {fields} (puntaje de 0 a 100, límite de 1 a {MAX_LIST_LIMIT:,})"
        ) from None


def parse_since(text: str, zone: tzinfo, now: datetime) -> datetime:
    """ "7d" (the last 7 days), a date (midnight in the report's zone) or a date and time."""
    relative = _RELATIVE_DAYS.match(text.strip())
    if relative:
        return now - timedelta(days=int(relative.group(1)))
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReportUsageError(f"--since {text!r}: use una fecha (2026-11-01) o un número de días (7d)") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def parse_stage(text: str) -> LeadStage:
    """Stage names without accents or the rest of the words: "frio", "listo"."""
    wanted = normalize(text)
    for stage in ACTIVE_STAGES:
        if normalize(stage.value).startswith(wanted) and wanted:
            return stage
    if wanted and wanted in normalize(LeadStage.BAJA.value):
        raise ReportUsageError("los contactos dados de baja no aparecen en ninguna lista")
    names = ", ".join(stage.value for stage in ACTIVE_STAGES)
    raise ReportUsageError(f"--stage {text!r}: use una de estas etapas: {names}")


def parse_zone(name: str) -> tzinfo:
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ReportUsageError(f"--timezone {name!r}: zona horaria desconocida (p. ej. America/Bogota)") from None
