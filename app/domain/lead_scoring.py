"""Lead scoring: a pure, explainable function of what the bot knows about a person.

The score is recomputed from the memory on every message instead of being nudged up
and down, so the same memory always gives the same score and every point has a reason.
Range 0-100. docs/lead-scoring.md explains it for marketers.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.intents import Intent
from app.domain.memory import UserMemory

MAX_SCORE = 100

# Points for each time an intent was seen, and the cap per intent: a student who
# repeats "quiero inscribirme" is hotter than one who said it once, but not unboundedly.
INTENT_POINTS: dict[Intent, tuple[int, int]] = {
    Intent.BUYING_SIGNALS: (20, 35),
    Intent.CONTACT_REQUEST: (25, 25),
    Intent.AUTOMATION_NEED: (8, 12),
    Intent.PROFESSION_CHANGE: (8, 12),
    Intent.EXPLORATION: (5, 10),
    Intent.GENERAL_QUESTION: (3, 6),
    Intent.PRICE_OBJECTION: (-4, -8),
    Intent.TIME_OBJECTION: (-4, -8),
    Intent.FREE_RESOURCES: (-3, -6),
    Intent.OFF_TOPIC: (-2, -6),
}

INTENT_REASONS: dict[Intent, str] = {
    Intent.BUYING_SIGNALS: "mostró intención de compra",
    Intent.CONTACT_REQUEST: "pidió hablar con un asesor",
    Intent.AUTOMATION_NEED: "tiene una necesidad concreta de automatización",
    Intent.PROFESSION_CHANGE: "busca un cambio de profesión",
    Intent.EXPLORATION: "está explorando cursos",
    Intent.GENERAL_QUESTION: "hizo preguntas sobre los cursos",
    Intent.PRICE_OBJECTION: "puso objeciones de precio",
    Intent.TIME_OBJECTION: "puso objeciones de tiempo",
    Intent.FREE_RESOURCES: "busca recursos gratuitos",
    Intent.OFF_TOPIC: "escribió mensajes fuera de tema",
}

# Inactivity keeps this share of the score: a hot lead from three months ago is not hot.
RECENCY_DECAY: tuple[tuple[int, float], ...] = ((90, 0.4), (30, 0.65), (7, 0.85))


class LeadStage(StrEnum):
    FRIO = "frío"
    TIBIO = "tibio"
    CALIENTE = "caliente"
    LISTO = "listo para cerrar"
    BAJA = "dado de baja"


STAGE_THRESHOLDS: tuple[tuple[int, LeadStage], ...] = (
    (80, LeadStage.LISTO),
    (55, LeadStage.CALIENTE),
    (30, LeadStage.TIBIO),
    (0, LeadStage.FRIO),
)


class ScoreReason(BaseModel):
    model_config = ConfigDict(frozen=True)

    points: int
    reason: str


class LeadScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: int
    stage: LeadStage
    reasons: tuple[ScoreReason, ...]

    def explain(self) -> str:
        lines = [f"Puntaje {self.score}/100 ({self.stage.value}):"]
        lines += [f"  {r.points:+d}  {r.reason}" for r in self.reasons]
        return "\n".join(lines)


def stage_for(score: int) -> LeadStage:
    for threshold, stage in STAGE_THRESHOLDS:
        if score >= threshold:
            return stage
    return LeadStage.FRIO


def score_lead(memory: UserMemory, now: datetime) -> LeadScore:
    """Score a lead from its memory at the moment `now`."""
    if memory.opted_out:
        reason = ScoreReason(points=0, reason="pidió no recibir más mensajes")
        return LeadScore(score=0, stage=LeadStage.BAJA, reasons=(reason,))
    reasons = _profile_reasons(memory) + _engagement_reasons(memory) + _intent_reasons(memory)
    raw = max(0, min(MAX_SCORE, sum(r.points for r in reasons)))
    decayed, decay_reason = _apply_recency(raw, memory, now)
    if decay_reason is not None:
        reasons.append(decay_reason)
    return LeadScore(score=decayed, stage=stage_for(decayed), reasons=tuple(reasons))


def _profile_reasons(memory: UserMemory) -> list[ScoreReason]:
    reasons: list[ScoreReason] = []
    if memory.name:
        reasons.append(ScoreReason(points=5, reason="dio su nombre"))
    if memory.role:
        reasons.append(ScoreReason(points=5, reason=f"contó su profesión ({memory.role})"))
    if memory.interests:
        points = min(15, 5 * len(memory.interests))
        shown = ", ".join(memory.interests[:3])
        reasons.append(ScoreReason(points=points, reason=f"tiene intereses claros ({shown})"))
    if memory.pain_points:
        reasons.append(ScoreReason(points=5, reason="compartió un problema que quiere resolver"))
    if memory.requested_course_ids:
        reasons.append(ScoreReason(points=10, reason="preguntó por un curso concreto"))
    return reasons


def _engagement_reasons(memory: UserMemory) -> list[ScoreReason]:
    if memory.interaction_count <= 1:
        return []
    points = min(15, 2 * (memory.interaction_count - 1))
    return [ScoreReason(points=points, reason=f"{memory.interaction_count} mensajes enviados")]


def _intent_reasons(memory: UserMemory) -> list[ScoreReason]:
    reasons: list[ScoreReason] = []
    for intent, (per_time, cap) in INTENT_POINTS.items():
        times = memory.intent_counts.get(intent.value, 0)
        if times == 0:
            continue
        points = max(cap, per_time * times) if cap < 0 else min(cap, per_time * times)
        suffix = f" ({times} veces)" if times > 1 else ""
        reasons.append(ScoreReason(points=points, reason=INTENT_REASONS[intent] + suffix))
    return reasons


def _apply_recency(score: int, memory: UserMemory, now: datetime) -> tuple[int, ScoreReason | None]:
    if memory.last_interaction_at is None or score == 0:
        return score, None
    idle_days = (now - memory.last_interaction_at).days
    for days, keep in RECENCY_DECAY:
        if idle_days >= days:
            decayed = round(score * keep)
            reason = ScoreReason(points=decayed - score, reason=f"{idle_days} días sin escribir")
            return decayed, reason
    return score, None
