"""Spanish labels and value formatting shared by the terminal, CSV and HTML reports."""

from __future__ import annotations

from datetime import datetime, tzinfo

from app.application.lead_report import LeadReport, LeadRow, mask_phone
from app.domain.lead_scoring import LeadStage

TITLE = "Informe de leads"

STAGE_COLORS: dict[LeadStage, str] = {
    LeadStage.FRIO: "#3b82f6",
    LeadStage.TIBIO: "#f59e0b",
    LeadStage.CALIENTE: "#f97316",
    LeadStage.LISTO: "#16a34a",
    LeadStage.BAJA: "#6b7280",
}
RICH_STAGE_STYLES: dict[LeadStage, str] = {
    LeadStage.FRIO: "blue",
    LeadStage.TIBIO: "yellow",
    LeadStage.CALIENTE: "dark_orange",
    LeadStage.LISTO: "bold green",
    LeadStage.BAJA: "dim",
}

CONVERSION_LABELS: dict[str, str] = {
    "buying_signals": "Mostraron intención de compra",
    "contact_requested": "Pidieron hablar con un asesor",
    "requested_course": "Preguntaron por un curso concreto",
    "marketing_consent": "Aceptan mensajes de marketing",
}


def yes_no(value: bool) -> str:
    return "sí" if value else "no"


def format_datetime(value: datetime | None, zone: tzinfo) -> str:
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def phone(row_or_user_id: LeadRow | str, show_full: bool) -> str:
    user_id = row_or_user_id if isinstance(row_or_user_id, str) else row_or_user_id.user_id
    return user_id if show_full else mask_phone(user_id)


def shorten(text: str | None, width: int) -> str:
    if not text:
        return "—"
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def filters_label(report: LeadReport, zone: tzinfo) -> str:
    """The filters in words; the list length is always one of them."""
    filters = report.filters
    parts = []
    if filters.min_score is not None:
        parts.append(f"puntaje ≥ {filters.min_score}")
    if filters.stage is not None:
        parts.append(f"etapa {filters.stage.value}")
    if filters.interest:
        parts.append(f"interés «{filters.interest}»")
    if filters.since is not None:
        parts.append(f"escribieron desde {format_datetime(filters.since, zone)}")
    parts.append(f"hasta {filters.limit} por lista")
    return ", ".join(parts)


def list_heading(title: str, shown: int, total: int) -> str:
    return f"{title} (se muestran {shown} de {total})"
