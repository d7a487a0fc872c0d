"""The documented scoring model (docs/lead-scoring.md): explanations, decay, stages."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.intents import Intent
from app.domain.lead_scoring import (
    ACTIVE_STAGES,
    MAX_SCORE,
    LeadStage,
    decay_score,
    kept_percent,
    score_lead,
    score_now,
    stage_for,
    stage_score_range,
)
from app.domain.memory import UserMemory

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def lead(**fields) -> UserMemory:
    fields.setdefault("last_interaction_at", NOW)
    return UserMemory(user_id="whatsapp:+573001234567", **fields)


def test_a_lead_at_72_is_explained_point_by_point():
    memory = lead(
        name="Ana", role="contadora", interests=["excel", "automatización"], interaction_count=5,
        intent_counts={Intent.EXPLORATION.value: 2, Intent.BUYING_SIGNALS.value: 1, Intent.PRICE_OBJECTION.value: 1},
        requested_course_ids=["c-excel"], last_interaction_at=NOW - timedelta(days=10),
    )  # fmt: skip
    score = score_lead(memory, NOW)
    # 5 name + 5 role + 10 interests + 10 course + 8 engagement + 10 exploring + 20 buying - 4 price = 64,
    # then 10 days without writing keep 85 %: 54.4 -> 54.
    assert score.base_score == 64
    assert score.score == 54
    assert score.stage == LeadStage.TIBIO
    assert sum(r.points for r in score.reasons) == score.score
    assert score.reasons[-1].points == -10
    assert "10 días sin escribir" in score.reasons[-1].reason
    assert "85 %" in score.reasons[-1].reason
    text = score.explain()
    assert text.startswith("Puntaje 54/100 (tibio)")
    assert "+20  mostró intención de compra" in text
    assert "-4  puso objeciones de precio" in text


def test_points_beyond_100_are_shown_as_the_cap_so_the_explanation_adds_up():
    memory = lead(
        name="Ana", role="contadora", interests=["excel", "python", "sql"], pain_points=["reportes"],
        interaction_count=20, requested_course_ids=["c-excel"],
        intent_counts={Intent.BUYING_SIGNALS.value: 3, Intent.CONTACT_REQUEST.value: 2},
    )  # fmt: skip
    score = score_lead(memory, NOW)
    assert score.score == MAX_SCORE
    assert score.reasons[-1].reason == "el puntaje máximo es 100"
    assert sum(r.points for r in score.reasons) == MAX_SCORE


def test_negative_points_stop_at_zero_and_say_so():
    memory = lead(intent_counts={Intent.OFF_TOPIC.value: 3, Intent.FREE_RESOURCES.value: 2})
    score = score_lead(memory, NOW)
    assert score.score == 0
    assert score.reasons[-1].reason == "el puntaje mínimo es 0"
    assert sum(r.points for r in score.reasons) == 0


def test_decay_rounds_half_up_in_whole_numbers_as_sql_does():
    # 50 * 85 % = 42.5: Python's round() would give 42, PostgreSQL's integer arithmetic 43.
    assert decay_score(50, 85) == 43
    assert decay_score(10, 65) == 7  # 6.5
    assert decay_score(0, 40) == 0
    assert decay_score(100, 100) == 100


@pytest.mark.parametrize(
    ("idle", "percent"),
    [
        (timedelta(days=7) - timedelta(microseconds=1), 100),
        (timedelta(days=7), 85),
        (timedelta(days=30) - timedelta(microseconds=1), 85),
        (timedelta(days=30), 65),
        (timedelta(days=90) - timedelta(microseconds=1), 65),
        (timedelta(days=90), 40),
        (timedelta(days=400), 40),
        (-timedelta(days=1), 100),  # a clock slightly ahead: no decay
    ],
)
def test_decay_steps_start_at_whole_days_of_inactivity(idle, percent):
    memory = lead(name="Eva", intent_counts={Intent.BUYING_SIGNALS.value: 2}, last_interaction_at=NOW - idle)
    score = score_lead(memory, NOW)
    assert score.kept_percent == percent
    assert score.score == decay_score(score.base_score, percent)


def test_a_contact_without_any_message_keeps_the_whole_score():
    score = score_lead(lead(name="Eva", last_interaction_at=None), NOW)
    assert score.idle_days is None
    assert score.score == score.base_score == 5


def test_the_stored_base_score_and_the_last_contact_give_the_score_now():
    """What SQL computes from two columns equals the full recomputation, on varied memories."""
    rng = random.Random(7)
    intents = list(Intent)
    for _ in range(500):
        memory = lead(
            name=rng.choice([None, "Ana"]),
            role=rng.choice([None, "docente"]),
            interests=rng.sample(["python", "excel", "sql", "marketing"], rng.randint(0, 4)),
            interaction_count=rng.randint(0, 40),
            intent_counts={rng.choice(intents).value: rng.randint(1, 4) for _ in range(rng.randint(0, 4))},
            last_interaction_at=NOW - timedelta(minutes=rng.randint(-60, 200 * 24 * 60)),
        )
        stored = score_lead(memory, memory.last_interaction_at).base_score
        assert score_now(stored, memory.last_interaction_at, NOW) == score_lead(memory, NOW).score


def test_opted_out_contacts_score_zero_and_must_not_be_contacted():
    memory = lead(name="Eva", opted_out=True, intent_counts={Intent.BUYING_SIGNALS.value: 3})
    score = score_lead(memory, NOW)
    assert (score.score, score.base_score, score.stage) == (0, 0, LeadStage.BAJA)
    assert "no contactar" in score.explain()


def test_stage_ranges_cover_every_score_once():
    covered = []
    for stage in ACTIVE_STAGES:
        low, high = stage_score_range(stage)
        covered += range(low, high + 1)
        assert all(stage_for(s) == stage for s in range(low, high + 1))
    assert sorted(covered) == list(range(MAX_SCORE + 1))
    with pytest.raises(ValueError, match="opted-out"):
        stage_score_range(LeadStage.BAJA)


def test_kept_percent_without_a_last_message():
    assert kept_percent(None) == 100
