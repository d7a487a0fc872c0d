"""The report as one self-contained HTML page with plotly charts.

plotly.js is embedded in the page (include_plotlyjs=True on the first chart), so the file
opens in any browser with no network. The top of the page has a fixed layout (header, key
figures, then the four charts in a 2x2 grid of fixed size) so that a screenshot test can find
each chart; the tables follow and may be as long as they need.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import tzinfo
from pathlib import Path

import plotly.graph_objects as go

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
_SMALL_COUNT = 8
_FIVE_DAYS_MS = 5 * 24 * 3600 * 1000
_PLOT_CONFIG = {"displayModeBar": False, "responsive": False}

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
    # plotly.js goes inline once, with the first chart; the others reuse it.
    chart_divs = [
        figure.to_html(full_html=False, include_plotlyjs=index == 0, config=_PLOT_CONFIG, div_id=f"chart-{index}")
        for index, figure in enumerate(charts)
    ]
    body = "\n".join(
        [
            _header(report, zone),
            _kpis(report),
            '<section class="charts">'
            + "".join(f'<div class="chart">{div}</div>' for div in chart_divs)
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


def _figure(title: str) -> go.Figure:
    figure = go.Figure()
    figure.update_layout(
        title={"text": title, "x": 0.02, "font": {"size": 16}},
        template="plotly_white",
        width=CHART_WIDTH - 2,
        height=CHART_HEIGHT - 2,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        showlegend=False,
        font={"family": "Liberation Sans, Arial, sans-serif"},
    )
    return figure


def _score_chart(report: LeadReport) -> go.Figure:
    figure = _figure("Distribución de puntajes (hoy)")
    buckets = report.score_distribution
    counts = [b.count for b in buckets]
    figure.add_bar(x=[b.label for b in buckets], y=counts, marker_color=SCORE_COLOR)
    figure.update_xaxes(title_text="Puntaje", type="category")
    _count_axis(figure, "y", counts)
    return figure


def _stage_chart(report: LeadReport) -> go.Figure:
    figure = _figure("Leads por etapa")
    stages = list(ACTIVE_STAGES)
    counts = [report.totals.leads_by_stage[stage] for stage in stages]
    figure.add_bar(
        x=[s.value for s in stages],
        y=counts,
        marker_color=[STAGE_COLORS[s] for s in stages],
        text=counts,
        texttemplate="%{y:,d}",
    )
    _count_axis(figure, "y", counts)
    return figure


def _interest_chart(items: tuple[NamedCount, ...]) -> go.Figure:
    figure = _figure("Intereses principales")
    shown = list(reversed(items))  # plotly draws the first bar at the bottom
    figure.add_bar(x=[i.count for i in shown], y=[i.label for i in shown], orientation="h", marker_color=INTEREST_COLOR)
    figure.update_layout(margin={"l": 170, "r": 20, "t": 50, "b": 50})
    _count_axis(figure, "x", [i.count for i in shown])
    return figure


def _new_leads_chart(report: LeadReport) -> go.Figure:
    figure = _figure(f"Nuevos leads por día (últimos {NEW_LEADS_DAYS} días, {report.timezone})")
    days = report.new_leads_per_day
    counts = [d.count for d in days]
    figure.add_bar(x=[d.day.isoformat() for d in days], y=counts, marker_color=NEW_LEADS_COLOR)
    figure.update_xaxes(type="date", tickformat="%d/%m", dtick=_FIVE_DAYS_MS, tickangle=0)
    _count_axis(figure, "y", counts)
    return figure


def _count_axis(figure: go.Figure, axis: str, counts: list[int]) -> None:
    """Whole numbers only: a few leads must not be drawn on a 0, 0.5, 1, 1.5 scale."""
    settings: dict[str, object] = {"title_text": "Leads", "rangemode": "tozero", "tickformat": ",d"}
    if max(counts, default=0) <= _SMALL_COUNT:
        settings["dtick"] = 1
    if axis == "x":
        figure.update_xaxes(**settings)
    else:
        figure.update_yaxes(**settings)


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
