"""The report as rich tables in the terminal."""

from __future__ import annotations

from datetime import tzinfo

from rich import box
from rich.columns import Columns
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from app.application.lead_report import LeadExplanation, LeadList, LeadReport, NamedCount
from app.domain.lead_scoring import ACTIVE_STAGES
from app.entrypoints.cli.report_labels import (
    CONVERSION_LABELS,
    RICH_STAGE_STYLES,
    TITLE,
    filters_label,
    format_datetime,
    list_heading,
    phone,
    shorten,
    yes_no,
)

LAST_MESSAGE_WIDTH = 40


def render_report(report: LeadReport, console: Console, zone: tzinfo, show_phones: bool) -> None:
    console.print(f"[bold]{TITLE}[/bold] — {format_datetime(report.generated_at, zone)} ({report.timezone})")
    # Names, messages and interests come from students: printed as Text or escaped, never as markup.
    console.print(Text(f"Fuente: {report.source}"))
    console.print(Text(f"Filtros de las listas: {filters_label(report, zone)}\n"))
    console.print(Columns([_totals_table(report), _stages_table(report), _conversion_table(report)]))
    console.print(
        Columns(
            [
                _counts_table("Intereses principales", "Interés", report.top_interests),
                _counts_table("Cursos más pedidos", "Curso", report.top_courses),
            ]
        )
    )
    for lead_list in (report.leads, *report.reengagement):
        console.print(_lead_table(lead_list, zone, show_phones))


def render_explanation(explanation: LeadExplanation, console: Console, zone: tzinfo, show_phones: bool) -> None:
    score = explanation.score
    who = phone(explanation.user_id, show_phones) + (f" ({explanation.name})" if explanation.name else "")
    style = RICH_STAGE_STYLES[score.stage]
    console.print(f"[bold]¿Por qué {escape(who)} tiene {score.score}?[/bold]")
    console.print(Text.assemble("Puntaje hoy: ", (f"{score.score}/100 — {score.stage.value}", style)))
    table = Table(box=box.SIMPLE, show_header=True)
    table.add_column("Puntos", justify="right")
    table.add_column("Motivo")
    for reason in score.reasons:
        table.add_row(f"{reason.points:+d}", Text(reason.reason))
    table.add_row("=", f"{score.score} puntos", style="bold")
    console.print(table)
    if explanation.opted_out:
        console.print("[bold red]Pidió no recibir más mensajes: no aparece en ninguna lista y no se le contacta.[/]")
        return
    console.print(f"Puntaje en su último mensaje: {score.base_score} (guardado: {explanation.stored_score})")
    console.print(f"Último contacto: {format_datetime(explanation.last_contact_at, zone)}")
    console.print(f"Pidió hablar con un asesor: {yes_no(explanation.human_requested)}")
    console.print(f"Acepta mensajes de marketing: {yes_no(explanation.marketing_consent)}")


def _totals_table(report: LeadReport) -> Table:
    totals = report.totals
    table = Table(title="Totales", box=box.ROUNDED, show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    for label, value in (
        ("Usuarios", f"{totals.users:,}"),
        ("Activos últimos 7 días", f"{totals.active_7_days:,}"),
        ("Activos últimos 30 días", f"{totals.active_30_days:,}"),
        ("Leads (sin bajas)", f"{totals.leads:,}"),
        ("Dados de baja", f"{totals.opted_out:,}"),
        ("Puntaje promedio", f"{totals.average_score:.1f}"),
    ):
        table.add_row(label, value)
    return table


def _stages_table(report: LeadReport) -> Table:
    table = Table(title="Leads por etapa", box=box.ROUNDED)
    table.add_column("Etapa")
    table.add_column("Leads", justify="right")
    for stage in reversed(ACTIVE_STAGES):
        table.add_row(Text(stage.value, style=RICH_STAGE_STYLES[stage]), f"{report.totals.leads_by_stage[stage]:,}")
    return table


def _conversion_table(report: LeadReport) -> Table:
    table = Table(title="Señales de conversión", box=box.ROUNDED)
    table.add_column("Señal")
    table.add_column("Leads", justify="right")
    for field, label in CONVERSION_LABELS.items():
        table.add_row(label, f"{getattr(report.totals.conversion, field):,}")
    return table


def _counts_table(title: str, header: str, items: tuple[NamedCount, ...]) -> Table:
    table = Table(title=title, box=box.ROUNDED)
    table.add_column(header)
    table.add_column("Leads", justify="right")
    for item in items:
        table.add_row(Text(item.label), f"{item.count:,}")
    if not items:
        table.add_row("—", "0")
    return table


def _lead_table(lead_list: LeadList, zone: tzinfo, show_phones: bool) -> Table:
    table = Table(title=list_heading(lead_list.title, len(lead_list.rows), lead_list.total), box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right")
    table.add_column("Nombre", max_width=22, overflow="ellipsis")
    table.add_column("Teléfono", no_wrap=True)
    table.add_column("Puntaje", justify="right")
    table.add_column("Etapa", no_wrap=True)
    table.add_column("Intereses", max_width=28, overflow="fold")
    table.add_column("Último mensaje", max_width=LAST_MESSAGE_WIDTH, overflow="ellipsis", no_wrap=True)
    table.add_column("Último contacto", no_wrap=True)
    table.add_column("¿Pidió asesor?", justify="center")
    for position, row in enumerate(lead_list.rows, start=1):
        table.add_row(
            str(position),
            Text(row.name or "—"),
            Text(phone(row, show_phones)),
            str(row.score),
            Text(row.stage.value, style=RICH_STAGE_STYLES[row.stage]),
            Text(", ".join(row.interests) or "—"),
            Text(shorten(row.last_message, LAST_MESSAGE_WIDTH)),
            format_datetime(row.last_contact_at, zone),
            yes_no(row.human_requested),
        )
    if not lead_list.rows:
        table.caption = "Ningún lead cumple los filtros."
    return table
