"""The lead report on the JSON memory: totals, lists, filters, opt-out exclusion, explanations."""

import asyncio
from datetime import UTC, timedelta

import pytest

from app.application.lead_report import (
    ExplainLead,
    GenerateLeadReport,
    LeadReport,
    ReportFilters,
    canonical_interest,
    mask_phone,
    user_id_candidates,
)
from app.domain.lead_scoring import LeadStage
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from tests.report_memories import (
    ANA,
    CARLA,
    COURSE_EXCEL,
    COURSE_PYTHON,
    DIEGO,
    JORGE,
    LUIS,
    MARTA,
    NADIE,
    NOW,
    PEDRO,
    SOFIA,
    VALENTINA,
    sample_memories,
)


@pytest.fixture
def source(tmp_path):
    repository = JsonUserMemoryRepository(tmp_path / "memory")
    for memory in sample_memories():
        asyncio.run(repository.save_user_memory(memory))
    names = {course.id: course.name for course in load_catalog(bundled_catalog_path())}
    return JsonLeadReportSource(repository, names, "memoria JSON de prueba")


def build(source, **filters) -> LeadReport:
    return asyncio.run(GenerateLeadReport(source, lambda: NOW).execute(ReportFilters(**filters), UTC, "UTC"))


def ids(lead_list) -> list[str]:
    return [row.user_id for row in lead_list.rows]


def test_totals_count_everyone_but_lead_figures_leave_opted_out_contacts_out(source):
    totals = build(source).totals
    assert (totals.users, totals.opted_out, totals.leads) == (10, 1, 9)
    # Active: wrote less than 7 (30) whole days ago. Marta, at exactly 7 days, is no longer "last 7 days".
    assert (totals.active_7_days, totals.active_30_days) == (3, 6)
    assert totals.leads_by_stage == {
        LeadStage.FRIO: 5, LeadStage.TIBIO: 3, LeadStage.CALIENTE: 0, LeadStage.LISTO: 1,
    }  # fmt: skip
    conversion = totals.conversion
    assert (conversion.buying_signals, conversion.contact_requested) == (3, 1)  # Jorge asked too, then opted out
    assert (conversion.requested_course, conversion.marketing_consent) == (4, 5)
    assert totals.average_score == round((100 + 31 + 31 + 42 + 17 + 7 + 0 + 10 + 20) / 9, 1)


def test_score_distribution_uses_scores_as_of_report_time(source):
    buckets = {b.label: b.count for b in build(source).score_distribution}
    assert buckets == {
        "0-9": 2, "10-19": 2, "20-29": 1, "30-39": 2, "40-49": 1, "50-59": 0, "60-69": 0, "70-79": 0, "80-89": 0,
        "90-100": 1,
    }  # fmt: skip


def test_top_interests_and_courses_ignore_opted_out_contacts(source):
    report = build(source)
    assert [(i.label, i.count) for i in report.top_interests] == [
        ("excel", 3), ("python", 3), ("machine learning", 1), ("marketing", 1), ("sql", 1),
    ]  # fmt: skip
    assert [(c.key, c.label, c.count) for c in report.top_courses] == [
        (COURSE_EXCEL, "Automatización de Reportes de Excel con Python e IA", 2),
        (COURSE_PYTHON, "Python desde Cero", 2),
    ]


def test_new_leads_per_day_cover_the_last_30_days(source):
    days = build(source).new_leads_per_day
    assert len(days) == 30
    assert days[-1].day == NOW.date()
    counted = {d.day.isoformat(): d.count for d in days if d.count}
    assert counted == {"2026-10-20": 2, "2026-10-24": 1, "2026-10-29": 1, "2026-11-01": 1}


def test_best_leads_order_by_score_now_then_stored_score_then_recency_then_id(source):
    leads = build(source).leads
    assert leads.total == 9
    assert ids(leads) == [ANA, CARLA, LUIS, DIEGO, MARTA, PEDRO, NADIE, SOFIA, VALENTINA]
    ana = leads.rows[0]
    assert (ana.name, ana.score, ana.stage, ana.human_requested) == ("Ana Gómez", 100, LeadStage.LISTO, True)
    assert ana.last_message == '=HYPERLINK("http://x")'
    assert ana.interests == ("excel", "python")
    carla = leads.rows[1]
    assert (carla.score, carla.base_score) == (42, 65)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"min_score": 30}, [ANA, CARLA, LUIS, DIEGO]),
        ({"stage": LeadStage.TIBIO}, [CARLA, LUIS, DIEGO]),
        ({"stage": LeadStage.CALIENTE}, []),
        ({"interest": "python"}, [ANA, LUIS, DIEGO]),
        ({"interest": "python", "min_score": 50}, [ANA]),
        ({"since": NOW - timedelta(days=7)}, [ANA, MARTA, VALENTINA]),  # since is inclusive
        ({"since": NOW - timedelta(days=7) + timedelta(microseconds=1)}, [ANA, VALENTINA]),
        ({"limit": 2}, [ANA, CARLA]),
    ],
)
def test_filters_narrow_the_lead_list(source, filters, expected):
    leads = build(source, **filters).leads
    assert ids(leads) == expected
    if "limit" not in filters:
        assert leads.total == len(expected)


def test_a_limited_list_still_reports_how_many_leads_match(source):
    leads = build(source, limit=2).leads
    assert (len(leads.rows), leads.total) == (2, 9)


def test_reengagement_lists_hold_consenting_contacts_silent_for_30_to_89_and_90_plus_days(source):
    first, second = build(source).reengagement
    assert (first.key, ids(first), first.total) == ("reenganche_30_89", [CARLA], 1)
    assert (second.key, ids(second), second.total) == ("reenganche_90_mas", [PEDRO], 1)  # Sofía gave no consent
    assert SOFIA not in ids(second)


def test_reengagement_lists_take_score_filters_but_not_since(source):
    first, second = build(source, min_score=20, since=NOW - timedelta(days=1)).reengagement
    assert ids(first) == [CARLA]
    assert ids(second) == []  # Pedro is at 17 today


@pytest.mark.parametrize(
    "filters",
    [{}, {"interest": "python"}, {"min_score": 0}, {"since": NOW - timedelta(days=1)}, {"limit": 1000}],
)
def test_opted_out_contacts_are_in_no_list_whatever_the_filters(source, filters):
    report = build(source, **filters)
    for lead_list in (report.leads, *report.reengagement):
        assert JORGE not in ids(lead_list)


def test_the_opted_out_stage_cannot_be_asked_for():
    with pytest.raises(ValueError, match="opted-out"):
        ReportFilters(stage=LeadStage.BAJA)


def test_explain_finds_a_lead_however_the_phone_is_typed(source):
    explain = ExplainLead(source, lambda: NOW)
    for typed in ("whatsapp:+573001110001", "+573001110001", "573001110001", "+57 300 111 0001"):
        explanation = asyncio.run(explain.execute(typed))
        assert explanation is not None and explanation.user_id == ANA
    assert asyncio.run(explain.execute("+10000000000")) is None


def test_explanation_of_an_idle_lead_shows_the_decay(source):
    explanation = asyncio.run(ExplainLead(source, lambda: NOW).execute("+573001110003"))
    score = explanation.score
    assert (score.base_score, score.score, explanation.stored_score) == (65, 42, 65)
    assert sum(r.points for r in score.reasons) == 42
    assert score.reasons[-1].points == -23
    assert "45 días sin escribir" in score.reasons[-1].reason


def test_explanation_of_an_opted_out_contact_says_not_to_contact_them(source):
    explanation = asyncio.run(ExplainLead(source, lambda: NOW).execute("+573001110006"))
    assert explanation.opted_out
    assert (explanation.score.score, explanation.score.stage) == (0, LeadStage.BAJA)


@pytest.mark.parametrize(
    ("user_id", "masked"),
    [
        ("whatsapp:+573004561234", "whatsapp:+57300***1234"),
        ("+14155238886", "+14155***8886"),
        ("whatsapp:+123", "whatsapp:+***"),
    ],
)
def test_phones_are_masked(user_id, masked):
    assert mask_phone(user_id) == masked


def test_typed_phone_candidates_include_the_whatsapp_form():
    assert user_id_candidates("+57 300 111 0001")[:2] == ["+573001110001", "whatsapp:+573001110001"]


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("automatizacion", "automatización"),
        ("Python", "python"),
        ("IA generativa", "ia generativa"),
        ("cocina", "cocina"),
    ],
)
def test_typed_interests_resolve_to_stored_topics(typed, topic):
    assert canonical_interest(typed) == topic


def test_valentina_with_a_zero_score_is_still_a_cold_lead(source):
    row = next(r for r in build(source).leads.rows if r.user_id == VALENTINA)
    assert (row.score, row.stage) == (0, LeadStage.FRIO)
