from datetime import UTC, datetime, timedelta

import pytest

from app.domain.intents import Intent
from app.domain.lead_scoring import LeadStage, score_lead, stage_for
from app.domain.memory import UserMemory

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


def memory(**fields) -> UserMemory:
    fields.setdefault("last_interaction_at", NOW)
    return UserMemory(user_id="whatsapp:+573000000000", **fields)


def test_unknown_contact_scores_zero_and_is_cold():
    score = score_lead(memory(interaction_count=1), NOW)
    assert score.score == 0
    assert score.stage == LeadStage.FRIO


def test_buying_signals_and_contact_request_make_a_lead_hot():
    lead = memory(
        name="Ana", role="contadora", interests=["excel", "automatización"], interaction_count=6,
        intent_counts={Intent.BUYING_SIGNALS.value: 2, Intent.CONTACT_REQUEST.value: 1},
        requested_course_ids=["c1"],
    )  # fmt: skip
    score = score_lead(lead, NOW)
    # 5 name + 5 role + 10 interests + 10 course + 10 engagement + 35 buying (capped) + 25 contact = 100
    assert score.score == 100
    assert score.stage == LeadStage.LISTO


def test_every_point_has_a_reason_that_adds_up():
    lead = memory(
        name="Luis",
        interests=["python"],
        interaction_count=3,
        intent_counts={Intent.EXPLORATION.value: 2, Intent.PRICE_OBJECTION.value: 1},
    )
    score = score_lead(lead, NOW)
    assert sum(r.points for r in score.reasons) == score.score
    assert any("nombre" in r.reason for r in score.reasons)
    assert any(r.points < 0 and "precio" in r.reason for r in score.reasons)
    assert "Puntaje" in score.explain()


def test_repeated_intents_are_capped():
    once = score_lead(memory(intent_counts={Intent.EXPLORATION.value: 1}), NOW).score
    many = score_lead(memory(intent_counts={Intent.EXPLORATION.value: 50}), NOW).score
    assert once == 5
    assert many == 10


@pytest.mark.parametrize(("idle_days", "kept"), [(0, 100), (6, 100), (7, 85), (30, 65), (89, 65), (120, 40)])
def test_inactivity_decays_the_score(idle_days, kept):
    lead = memory(
        name="Eva", intent_counts={Intent.BUYING_SIGNALS.value: 2}, last_interaction_at=NOW - timedelta(days=idle_days)
    )
    fresh = score_lead(lead.model_copy(update={"last_interaction_at": NOW}), NOW).score
    # Whole-number percentage, rounded half up (docs/lead-scoring.md).
    assert score_lead(lead, NOW).score == (fresh * kept + 50) // 100


def test_opted_out_contact_is_never_a_lead():
    lead = memory(name="Eva", opted_out=True, intent_counts={Intent.BUYING_SIGNALS.value: 3})
    score = score_lead(lead, NOW)
    assert score.score == 0
    assert score.stage == LeadStage.BAJA


@pytest.mark.parametrize(
    ("score", "stage"),
    [
        (0, LeadStage.FRIO),
        (29, LeadStage.FRIO),
        (30, LeadStage.TIBIO),
        (55, LeadStage.CALIENTE),
        (80, LeadStage.LISTO),
        (100, LeadStage.LISTO),
    ],
)
def test_stages(score, stage):
    assert stage_for(score) == stage


def test_score_never_goes_negative():
    lead = memory(intent_counts={Intent.OFF_TOPIC.value: 10, Intent.PRICE_OBJECTION.value: 5})
    assert score_lead(lead, NOW).score == 0
