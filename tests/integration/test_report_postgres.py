"""The lead report on a real PostgreSQL: same answers as the JSON memory, SQL decay = domain decay."""

import asyncio
import random
from datetime import UTC, timedelta

import psycopg
import pytest

from app.application.lead_report import (
    REENGAGEMENT_WINDOWS,
    GenerateLeadReport,
    LeadQuery,
    LeadReport,
    ReportFilters,
    reengagement_query,
)
from app.domain.intents import Intent
from app.domain.lead_scoring import ACTIVE_STAGES, LeadStage, score_lead, stage_score_range
from app.domain.memory import UserMemory
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from app.infrastructure.postgres.errors import DatabaseUnavailableError
from app.infrastructure.postgres.lead_report import REPORT_INDEXES, PostgresLeadReportSource, count_leads_sql
from tests.report_memories import ANA, COURSE_EXCEL, NOW, sample_memories
from tests.report_postgres import insert_memories, on_postgres, prepare_database

pytestmark = pytest.mark.postgres

FILTERS = [
    {},
    {"min_score": 30},
    {"stage": LeadStage.TIBIO},
    {"stage": LeadStage.FRIO, "limit": 3},
    {"interest": "python"},
    {"interest": "excel", "min_score": 15},
    {"since": NOW - timedelta(days=7)},
    {"limit": 1},
]


@pytest.fixture
def filled_database(database_url):
    prepare_database(database_url)
    insert_memories(database_url, sample_memories())
    return database_url


def postgres_report(url: str, filters: ReportFilters) -> LeadReport:
    return on_postgres(url, lambda source: GenerateLeadReport(source, lambda: NOW).execute(filters, UTC, "UTC"))


def json_report(directory, memories: list[UserMemory], filters: ReportFilters) -> LeadReport:
    repository = JsonUserMemoryRepository(directory)
    for memory in memories:
        asyncio.run(repository.save_user_memory(memory))
    names = {course.id: course.name for course in load_catalog(bundled_catalog_path())}
    source = JsonLeadReportSource(repository, names, "json")
    return asyncio.run(GenerateLeadReport(source, lambda: NOW).execute(filters, UTC, "UTC"))


def comparable(report: LeadReport) -> dict:
    return report.model_dump(exclude={"source"})


def test_migrations_create_the_report_indexes(filled_database):
    assert on_postgres(filled_database, lambda source: source.missing_indexes()) == []
    assert len(REPORT_INDEXES) == 4


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_postgres_and_json_memory_give_the_same_report(filled_database, tmp_path, filters):
    wanted = ReportFilters(**filters)
    expected = json_report(tmp_path / "memory", sample_memories(), wanted)
    actual = postgres_report(filled_database, wanted)
    assert comparable(actual) == comparable(expected)


def test_postgres_report_content(filled_database):
    report = postgres_report(filled_database, ReportFilters())
    assert report.source.startswith("PostgreSQL")
    assert (report.totals.users, report.totals.opted_out, report.totals.leads) == (10, 1, 9)
    assert report.leads.rows[0].user_id == ANA
    assert report.leads.rows[0].last_message == '=HYPERLINK("http://x")'
    assert report.top_courses[0].key == COURSE_EXCEL
    assert report.top_courses[0].label == "Automatización de Reportes de Excel con Python e IA"


def random_memories(count: int, seed: int) -> list[UserMemory]:
    """Varied memories whose last message is spread around every decay boundary."""
    rng = random.Random(seed)
    intents = list(Intent)
    boundaries = [timedelta(days=d) for d in (0, 7, 30, 90)]
    memories = []
    for number in range(count):
        idle = rng.choice(boundaries) + timedelta(microseconds=rng.choice([-1, 0, 1]) * rng.randint(0, 3))
        idle = idle if idle >= timedelta(0) else timedelta(0)
        idle = rng.choice([idle, timedelta(minutes=rng.randint(0, 200 * 24 * 60))])
        built = UserMemory(
            user_id=f"whatsapp:+5491100{number:05d}",
            name=rng.choice([None, "Ana", "Luis"]),
            role=rng.choice([None, "docente"]),
            interests=rng.sample(["python", "excel", "sql", "marketing", "automatización"], rng.randint(0, 3)),
            interaction_count=rng.randint(1, 30),
            intent_counts={rng.choice(intents).value: rng.randint(1, 3) for _ in range(rng.randint(0, 4))},
            requested_course_ids=rng.choice([[], [COURSE_EXCEL]]),
            marketing_consent=rng.random() < 0.5,
            opted_out=rng.random() < 0.05,
            first_interaction_at=NOW - idle - timedelta(days=rng.randint(0, 20)),
            last_interaction_at=NOW - idle,
        )
        stored = score_lead(built, built.last_interaction_at).base_score
        memories.append(built.model_copy(update={"lead_score": stored}))
    return memories


def test_sql_decay_agrees_with_the_domain_on_the_same_memories(database_url):
    prepare_database(database_url, with_courses=False)
    memories = random_memories(600, seed=11)
    insert_memories(database_url, memories)
    expected = {m.user_id: score_lead(m, NOW).score for m in memories if not m.opted_out}

    async def scores(source: PostgresLeadReportSource):
        rows = await source.leads(LeadQuery(now=NOW, limit=10_000))
        return {row.user_id: row.score for row in rows}, await source.score_counts(NOW)

    listed, counts = on_postgres(database_url, scores)
    assert listed == expected
    histogram: dict[int, int] = {}
    for score in expected.values():
        histogram[score] = histogram.get(score, 0) + 1
    assert counts == histogram


@pytest.mark.parametrize("window", REENGAGEMENT_WINDOWS)
def test_the_planner_expects_the_rows_a_re_engagement_count_reads(database_url, window):
    # With the score-now CASE in it, the planner expected 0.5 % of the rows and could choose
    # a plan meant for a handful where there are tens of thousands (docs/report.md).
    prepare_database(database_url, with_courses=False)
    insert_memories(database_url, random_memories(600, seed=7))
    sql, parameters = count_leads_sql(reengagement_query(window, ReportFilters(), NOW))
    with psycopg.connect(database_url) as connection:
        actual = connection.execute(sql.encode(), parameters).fetchone()[0]
        [plan] = connection.execute(f"EXPLAIN (FORMAT JSON) {sql}".encode(), parameters).fetchone()[0]
    counted = plan["Plan"]["Plans"][0]  # the scan under count(*)
    assert actual >= 50
    assert counted["Plan Rows"] >= actual / 2, counted


@pytest.mark.parametrize("stage", ACTIVE_STAGES)
def test_sql_stage_counts_and_lists_agree_with_the_domain(database_url, stage):
    prepare_database(database_url, with_courses=False)
    memories = random_memories(300, seed=5)
    insert_memories(database_url, memories)
    low, high = stage_score_range(stage)
    expected = sorted(m.user_id for m in memories if not m.opted_out and low <= score_lead(m, NOW).score <= high)
    query = LeadQuery(now=NOW, min_score=low, max_score=high, limit=10_000)

    async def run(source: PostgresLeadReportSource):
        return await source.leads(query), await source.count_leads(query)

    rows, total = on_postgres(database_url, run)
    assert sorted(row.user_id for row in rows) == expected
    assert total == len(expected)
    assert all(row.stage == stage for row in rows)


def test_find_memory_reads_back_the_whole_memory(filled_database):
    original = next(m for m in sample_memories() if m.user_id == ANA)
    found = on_postgres(filled_database, lambda source: source.find_memory(ANA))
    assert found == original
    assert on_postgres(filled_database, lambda source: source.find_memory("whatsapp:+1")) is None


def test_course_names_fall_back_to_ids_without_the_school_tables(database_url):
    prepare_database(database_url, with_courses=False)
    insert_memories(database_url, sample_memories())
    report = postgres_report(database_url, ReportFilters())
    assert {c.label for c in report.top_courses} == {c.key for c in report.top_courses}


def test_an_unreachable_database_is_reported_as_unavailable(postgres_server_url):
    bogus = "postgresql://nobody:wrong@127.0.0.1:9/none"
    source = PostgresLeadReportSource(bogus, connect_timeout=1.0)
    with pytest.raises(DatabaseUnavailableError):
        asyncio.run(source.open())
