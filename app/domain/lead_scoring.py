"""Lead scoring: a pure, explainable function of what the bot knows about a person.

The score is recomputed from the memory on every message instead of being nudged up
and down, so the same memory always gives the same score and every point has a reason.
Range 0-100. docs/lead-scoring.md explains it for marketers.

Two numbers matter:
- the *base score*: what the conversation earned, as of the person's last message. This is
  what the bot stores in `lead_score` after every message;
- the *score now*: the base score after the inactivity decay for the days since then. Reports
  show this one. PostgreSQL computes it from the stored `lead_score` and
  `last_interaction_at` with the same whole-number arithmetic as `decay_score` below
  (app/infrastructure/postgres/lead_report.py), and the tests check that both agree.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from app.domain.intents import Intent
from app.domain.memory import UserMemory

MIN_SCORE = 0
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

# Profile facts and what each is worth.
NAME_POINTS = 5
ROLE_POINTS = 5
POINTS_PER_INTEREST = 5
MAX_INTEREST_POINTS = 15
PAIN_POINT_POINTS = 5
REQUESTED_COURSE_POINTS = 10
# Engagement: points per message after the first, capped.
POINTS_PER_MESSAGE = 2
MAX_ENGAGEMENT_POINTS = 15

# (days without writing, percentage of the score kept), longest first: a hot lead from three
# months ago is not hot. Whole percentages so that SQL reproduces the same integers.
RECENCY_DECAY: tuple[tuple[int, int], ...] = ((90, 40), (30, 65), (7, 85))


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

# The stages a contact who did not opt out can be in, coldest first.
ACTIVE_STAGES: tuple[LeadStage, ...] = tuple(stage for _, stage in reversed(STAGE_THRESHOLDS))


class ScoreReason(BaseModel):
    model_config = ConfigDict(frozen=True)

    points: int
    reason: str


class LeadScore(BaseModel):
    """A score with every point accounted for: the reasons always add up to `score`."""

    model_config = ConfigDict(frozen=True)

    score: int
    stage: LeadStage
    reasons: tuple[ScoreReason, ...]
    base_score: int
    idle_days: int | None = None
    kept_percent: int = 100

    def explain(self) -> str:
        lines = [f"Puntaje {self.score}/100 ({self.stage.value}):"]
        lines += [f"  {r.points:+d}  {r.reason}" for r in self.reasons]
        return "\n".join(lines)


def stage_for(score: int) -> LeadStage:
    for threshold, stage in STAGE_THRESHOLDS:
        if score >= threshold:
            return stage
    return LeadStage.FRIO


def stage_score_range(stage: LeadStage) -> tuple[int, int]:
    """The scores (inclusive) that put a lead in `stage`; opted-out contacts have none."""
    if stage == LeadStage.BAJA:
        raise ValueError("opted-out contacts are not ranked by score")
    upper = MAX_SCORE
    for threshold, candidate in STAGE_THRESHOLDS:
        if candidate == stage:
            return threshold, upper
        upper = threshold - 1
    raise ValueError(f"unknown stage {stage}")  # pragma: no cover - every active stage is listed


def idle_days_between(last_interaction_at: datetime | None, now: datetime) -> int | None:
    """Whole days since the last message (rounded down), None when there was none."""
    if last_interaction_at is None:
        return None
    return (now - last_interaction_at).days


def kept_percent(idle_days: int | None) -> int:
    """The share of the base score (in %) kept after `idle_days` without writing."""
    if idle_days is None:
        return 100
    for days, keep in RECENCY_DECAY:
        if idle_days >= days:
            return keep
    return 100


def decay_score(base_score: int, percent: int) -> int:
    """`percent` of the score, rounded half up in whole numbers.

    Integer arithmetic on purpose: PostgreSQL's `(lead_score * percent + 50) / 100` gives
    exactly the same result, whereas floats and Python's round() (half to even) would not.
    """
    return (base_score * percent + 50) // 100


def score_now(base_score: int, last_interaction_at: datetime | None, now: datetime) -> int:
    """The score shown today for a stored (base) score: what SQL reports compute."""
    clamped = max(MIN_SCORE, min(MAX_SCORE, base_score))
    return decay_score(clamped, kept_percent(idle_days_between(last_interaction_at, now)))


def score_lead(memory: UserMemory, now: datetime) -> LeadScore:
    """Score a lead from its memory at the moment `now`."""
    if memory.opted_out:
        reason = ScoreReason(points=0, reason="pidió no recibir más mensajes: no contactar")
        return LeadScore(score=0, stage=LeadStage.BAJA, reasons=(reason,), base_score=0)
    reasons = _profile_reasons(memory) + _engagement_reasons(memory) + _intent_reasons(memory)
    reasons += _enrolment_reasons(memory, sum(r.points for r in reasons))
    raw = sum(r.points for r in reasons)
    base = max(MIN_SCORE, min(MAX_SCORE, raw))
    if base != raw:
        reasons.append(_range_reason(raw, base))
    idle_days = idle_days_between(memory.last_interaction_at, now)
    percent = kept_percent(idle_days)
    score = decay_score(base, percent)
    if score != base:
        share = f"conserva el {percent} % del puntaje"
        reasons.append(ScoreReason(points=score - base, reason=f"{idle_days} días sin escribir ({share})"))
    return LeadScore(
        score=score,
        stage=stage_for(score),
        reasons=tuple(reasons),
        base_score=base,
        idle_days=idle_days,
        kept_percent=percent,
    )


def _enrolment_reasons(memory: UserMemory, points: int) -> list[ScoreReason]:
    """A student who asked to enrol in a course is ready to close, whatever else the
    conversation earned: the points that bring them to that stage."""
    ready = STAGE_THRESHOLDS[0][0]
    if memory.enrolment_course_id is None or points >= ready:
        return []
    return [ScoreReason(points=ready - points, reason="pidió inscribirse en un curso: listo para cerrar")]


def _range_reason(raw: int, base: int) -> ScoreReason:
    # Keeps the explanation adding up when the points leave the 0-100 range.
    if raw > base:
        return ScoreReason(points=base - raw, reason=f"el puntaje máximo es {MAX_SCORE}")
    return ScoreReason(points=base - raw, reason=f"el puntaje mínimo es {MIN_SCORE}")


def _profile_reasons(memory: UserMemory) -> list[ScoreReason]:
    reasons: list[ScoreReason] = []
    if memory.name:
        reasons.append(ScoreReason(points=NAME_POINTS, reason="dio su nombre"))
    if memory.role:
        reasons.append(ScoreReason(points=ROLE_POINTS, reason=f"contó su profesión ({memory.role})"))
    if memory.interests:
        points = min(MAX_INTEREST_POINTS, POINTS_PER_INTEREST * len(memory.interests))
        shown = ", ".join(memory.interests[:3])
        reasons.append(ScoreReason(points=points, reason=f"tiene intereses claros ({shown})"))
    if memory.pain_points:
        reasons.append(ScoreReason(points=PAIN_POINT_POINTS, reason="compartió un problema que quiere resolver"))
    if memory.requested_course_ids:
        reasons.append(ScoreReason(points=REQUESTED_COURSE_POINTS, reason="preguntó por un curso concreto"))
    return reasons


def _engagement_reasons(memory: UserMemory) -> list[ScoreReason]:
    if memory.interaction_count <= 1:
        return []
    points = min(MAX_ENGAGEMENT_POINTS, POINTS_PER_MESSAGE * (memory.interaction_count - 1))
    return [ScoreReason(points=points, reason=f"{memory.interaction_count} mensajes enviados")]


def _intent_reasons(memory: UserMemory) -> list[ScoreReason]:
    reasons: list[ScoreReason] = []
    for intent, (per_time, cap) in INTENT_POINTS.items():
        times = memory.intent_counts.get(intent.value, 0)
        if times <= 0:
            continue
        points = max(cap, per_time * times) if cap < 0 else min(cap, per_time * times)
        suffix = f" ({times} veces)" if times > 1 else ""
        reasons.append(ScoreReason(points=points, reason=INTENT_REASONS[intent] + suffix))
    return reasons
