"""What /health answers: the models, and the figures of a REST-mode web process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, field_validator

from app.application.errors import StoreUnavailableError
from app.config import Settings, WebhookTrust
from app.domain.ai import AIUsageTotals
from app.domain.modes import AIState, Mode, select_mode
from app.infrastructure.queue.health import DeliveryFigures
from app.infrastructure.redaction import redact

if TYPE_CHECKING:
    from app.infrastructure.queue.intake import MessageIntake


class ComponentHealth(BaseModel):
    model_config = ConfigDict(frozen=True)

    backend: str
    state: str
    detail: str | None = None
    pending_writes: int | None = None  # memory updates waiting for the database to return
    deliveries: DeliveryFigures | None = None  # REST delivery, all processes

    @field_validator("detail")
    @classmethod
    def _no_secret(cls, value: str | None) -> str | None:
        # Details quote errors, and an error may quote a connection string.
        return redact(value) if value else value


class Health(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: str
    mode: Mode
    ai: AIState
    components: dict[str, ComponentHealth]
    ai_usage: AIUsageTotals | None = None  # calls and tokens since start, in this process


_WEBHOOK_SIGNATURES = {
    WebhookTrust.SIGNED: "signature validation on",
    WebhookTrust.NOTHING: "no TWILIO_AUTH_TOKEN: every webhook request refused",
    WebhookTrust.ANYONE: "signature validation off: unsigned requests accepted",
}


def webhook_signatures(settings: Settings) -> str:
    """What the webhooks accept, in the words /health shows."""
    return _WEBHOOK_SIGNATURES[settings.webhook_trust]


def is_degraded(components: dict[str, ComponentHealth]) -> bool:
    return any(c.state in {"down", AIState.DEGRADED.value} for c in components.values())


def rest_health(settings: Settings, intake: MessageIntake, engine: Health | None = None) -> Health:
    """/health of a REST-mode web process: the database as this process reaches it, delivery
    figures of every process (from the database), the engine's own state when a worker runs
    here (`engine`). A busy database is reported as such, not as down."""
    signatures = webhook_signatures(settings)
    try:
        figures = intake.figures()
    except StoreUnavailableError as error:
        database = ComponentHealth(backend="postgres", state="down", detail=str(error))
        twilio = ComponentHealth(backend="rest", state="degraded", detail=f"{signatures}; figures unavailable")
    else:
        database = ComponentHealth(backend="postgres", state="ok")
        stuck = figures.failed_parts_24h > 0 or figures.workers_alive == 0
        twilio = ComponentHealth(
            backend="rest", state="degraded" if stuck else "ok", detail=signatures, deliveries=figures
        )
    components = {"database": database, "twilio": twilio}
    mode = select_mode(courses_in_database=True, memory_in_database=True, ai_configured=settings.ai_configured)
    ai = AIState.ON if settings.ai_configured else AIState.OFF
    reports = figures.workers if database.state == "ok" else ()
    if reports:
        # What the workers themselves say: a database without the school's course tables,
        # an AI that keeps failing, on whichever machine they run.
        mode = Mode(reports[0].mode)
        ai = AIState.DEGRADED if any(r.ai == AIState.DEGRADED.value for r in reports) else AIState(reports[0].ai)
        summary = "; ".join(f"{r.worker}: {r.mode}, AI {r.ai}, courses {r.courses}" for r in reports)
        off_catalogue = any(not r.courses.startswith("postgres") for r in reports)
        components["workers"] = ComponentHealth(
            backend="queue", state="degraded" if off_catalogue else "ok", detail=summary
        )
    if engine is not None:
        components.update({name: c for name, c in engine.components.items() if name != "twilio"})
        mode, ai = engine.mode, engine.ai
    return Health(status="degraded" if is_degraded(components) else "ok", mode=mode, ai=ai, components=components)
