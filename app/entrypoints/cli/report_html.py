"""The report as one self-contained HTML page with its charts as inline SVG.

The charts are static SVG (app.entrypoints.cli.report_svg): no script, nothing fetched, so the
file opens in any browser with no network and stays a few tens of kilobytes, whatever the
number of leads (the lists are limited; the charts have a fixed number of bars). The top of
the page has a fixed layout (header, key figures, then the four charts in a 2x2 grid of fixed
size) so that a screenshot test can find each chart; the tables follow and may be as long as
they need.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path

from app.application.lead_report import NEW_LEADS_DAYS, LeadList, LeadReport, NamedCount
from app.domain.lead_scoring import ACTIVE_STAGES, RECENCY_DECAY
from app.entrypoints.cli.report_labels import (
    CONVERSION_LABELS,
    STAGE_COLORS,
    TITLE,
    filters_label,
    format_datetime,
    list_heading,
    phone,
    shorten,
    yes_no,
)
from app.entrypoints.cli.report_svg import Bar, ChartBox, horizontal_bars, vertical_bars

PAGE_LEFT = 20
HEADER_HEIGHT = 96
KPI_HEIGHT = 104
CHART_WIDTH = 610
CHART_HEIGHT = 400
CHART_GAP = 20
CHARTS_TOP = HEADER_HEIGHT + KPI_HEIGHT + CHART_GAP
SCORE_COLOR = "#6366f1"
INTEREST_COLOR = "#8b5cf6"
NEW_LEADS_COLOR = "#0ea5e9"
LAST_MESSAGE_WIDTH = 80
LEAD_HEADERS = (
    "#", "Nombre", "Teléfono", "Puntaje", "Etapa", "Intereses", "Último mensaje", "Último contacto", "¿Pidió asesor?",
)  # fmt: skip
_LABEL_EVERY_DAYS = 5

_CSS = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: "Liberation Sans", Arial, Helvetica, sans-serif; color: #111827;
       background: #ffffff; }}
.page {{ width: {2 * CHART_WIDTH + CHART_GAP}px; margin-left: {PAGE_LEFT}px; }}
header {{ height: {HEADER_HEIGHT}px; overflow: hidden; padding-top: 14px; }}
header h1 {{ margin: 0 0 6px 0; font-size: 26px; }}
header p {{ margin: 2px 0; font-size: 13px; color: #4b5563; white-space: nowrap; overflow: hidden;
           text-overflow: ellipsis; }}
.kpis {{ height: {KPI_HEIGHT}px; display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; }}
.kpi {{ border: 1px solid #d1d5db; border-radius: 8px; padding: 12px; height: 92px; overflow: hidden; }}
.kpi .value {{ font-size: 28px; font-weight: bold; }}
.kpi .label {{ font-size: 13px; color: #4b5563; }}
.charts {{ display: grid; grid-template-columns: {CHART_WIDTH}px {CHART_WIDTH}px; gap: {CHART_GAP}px;
          margin-top: {CHART_GAP}px; }}
.chart {{ width: {CHART_WIDTH}px; height: {CHART_HEIGHT}px; overflow: hidden; border: 1px solid #e5e7eb; }}
.side-by-side {{ display: grid; grid-template-columns: 1fr 1fr; gap: {CHART_GAP}px; }}
h2 {{ font-size: 19px; margin: 28px 0 8px 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 13px; }}
th, td {{ border-bottom: 1px solid #e5e7eb; padding: 5px 6px; text-align: left; vertical-align: top; }}
th {{ background: #f3f4f6; }}
td.number {{ text-align: right; }}
.stage {{ color: #ffffff; border-radius: 4px; padding: 1px 6px; white-space: nowrap; }}
footer {{ margin: 28px 0; font-size: 12px; color: #4b5563; }}
"""


def write_html(report: LeadReport, path: Path, zone: tzinfo, show_phones: bool) -> None:
    path.write_text(render_html(report, zone, show_phones), encoding="utf-8")


def render_html(report: LeadReport, zone: tzinfo, show_phones: bool) -> str:
    charts = [
        _score_chart(report),
        _stage_chart(report),
        _interest_chart(report.top_interests),
        _new_leads_chart(report),
    ]
    body = "\n".join(
        [
            _header(report, zone),
            _kpis(report),
            '<section class="charts">'
            + "".join(f'<div class="chart" id="chart-{i}">{svg}</div>' for i, svg in enumerate(charts))
            + "</section>",
            '<section class="side-by-side">',
            _counts_table("Señales de conversión", "Señal", _conversion_items(report)),
            _counts_table("Cursos más pedidos", "Curso", report.top_courses),
            "</section>",
            *(_lead_table(lead_list, zone, show_phones) for lead_list in (report.leads, *report.reengagement)),
            _footer(),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(TITLE)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f'<body>\n<div class="page">\n{body}\n</div>\n</body>\n</html>\n'
    )


def _box(left: int = 70) -> ChartBox:
    return ChartBox(width=CHART_WIDTH - 2, height=CHART_HEIGHT - 2, left=left)


def _score_chart(report: LeadReport) -> str:
    bars = [Bar(label=b.label, value=b.count, color=SCORE_COLOR) for b in report.score_distribution]
    return vertical_bars("Distribución de puntajes (hoy)", bars, _box(), "Leads", category_title="Puntaje")


def _stage_chart(report: LeadReport) -> str:
    counts = report.totals.leads_by_stage
    bars = [Bar(label=s.value, value=counts[s], color=STAGE_COLORS[s]) for s in ACTIVE_STAGES]
    return vertical_bars("Leads por etapa", bars, _box(), "Leads", value_labels=True)


def _interest_chart(items: tuple[NamedCount, ...]) -> str:
    bars = [Bar(label=i.label, value=i.count, color=INTEREST_COLOR) for i in items]
    return horizontal_bars("Intereses principales", bars, _box(left=170), "Leads")


def _new_leads_chart(report: LeadReport) -> str:
    # One label every five days, as dd/mm; every bar keeps its full date in its tooltip.
    bars = [
        Bar(label=d.day.strftime("%d/%m"), value=d.count, color=NEW_LEADS_COLOR, show_label=i % _LABEL_EVERY_DAYS == 0)
        for i, d in enumerate(report.new_leads_per_day)
    ]
    title = f"Nuevos leads por día (últimos {NEW_LEADS_DAYS} días, {report.timezone})"
    return vertical_bars(title, bars, _box(), "Leads")


def _header(report: LeadReport, zone: tzinfo) -> str:
    generated = f"{format_datetime(report.generated_at, zone)} ({report.timezone})"
    return (
        f"<header><h1>{html.escape(TITLE)}</h1>"
        f"<p>Generado: {html.escape(generated)} · Fuente: {html.escape(report.source)}</p>"
        f"<p>Filtros de las listas: {html.escape(filters_label(report, zone))}</p></header>"
    )


def _kpis(report: LeadReport) -> str:
    totals = report.totals
    cards = (
        ("Usuarios", f"{totals.users:,}"),
        ("Activos 7 días", f"{totals.active_7_days:,}"),
        ("Activos 30 días", f"{totals.active_30_days:,}"),
        ("Leads (sin bajas)", f"{totals.leads:,}"),
        ("Dados de baja", f"{totals.opted_out:,}"),
        ("Puntaje promedio", f"{totals.average_score:.1f}"),
    )
    items = "".join(
        f'<div class="kpi"><div class="value">{html.escape(value)}</div><div class="label">{html.escape(label)}</div>'
        "</div>"
        for label, value in cards
    )
    return f'<section class="kpis">{items}</section>'


def _conversion_items(report: LeadReport) -> tuple[NamedCount, ...]:
    conversion = report.totals.conversion
    return tuple(
        NamedCount(key=field, label=label, count=getattr(conversion, field))
        for field, label in CONVERSION_LABELS.items()
    )


def _counts_table(title: str, header: str, items: Iterable[NamedCount]) -> str:
    rows = "".join(
        f'<tr><td>{html.escape(item.label)}</td><td class="number">{item.count:,}</td></tr>' for item in items
    )
    return (
        f"<div><h2>{html.escape(title)}</h2><table><tr><th>{html.escape(header)}</th><th>Leads</th></tr>"
        f"{rows or '<tr><td>—</td><td class=number>0</td></tr>'}</table></div>"
    )


def _lead_table(lead_list: LeadList, zone: tzinfo, show_phones: bool) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in LEAD_HEADERS)
    rows = []
    for position, row in enumerate(lead_list.rows, start=1):
        stage = (
            f'<span class="stage" style="background:{STAGE_COLORS[row.stage]}">{html.escape(row.stage.value)}</span>'
        )
        cells = (
            f'<td class="number">{position}</td>',
            f"<td>{html.escape(row.name or '—')}</td>",
            f"<td>{html.escape(phone(row, show_phones))}</td>",
            f'<td class="number">{row.score}</td>',
            f"<td>{stage}</td>",
            f"<td>{html.escape(', '.join(row.interests) or '—')}</td>",
            f"<td>{html.escape(shorten(row.last_message, LAST_MESSAGE_WIDTH))}</td>",
            f"<td>{html.escape(format_datetime(row.last_contact_at, zone))}</td>",
            f"<td>{yes_no(row.human_requested)}</td>",
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(LEAD_HEADERS)}">Ningún lead cumple los filtros.</td></tr>')
    heading = list_heading(lead_list.title, len(lead_list.rows), lead_list.total)
    return f"<h2>{html.escape(heading)}</h2><table><tr>{head}</tr>{''.join(rows)}</table>"


def _footer() -> str:
    decay = ", ".join(f"{percent} % desde {days} días sin escribir" for days, percent in sorted(RECENCY_DECAY))
    return (
        "<footer>El puntaje de hoy es el puntaje de su último mensaje con la pérdida por inactividad "
        f"(conserva el {html.escape(decay)}). Los contactos dados de baja no aparecen en ninguna lista. "
        "Cómo se calcula: docs/lead-scoring.md.</footer>"
    )
