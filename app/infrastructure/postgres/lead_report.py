"""The lead report in SQL: aggregates and LIMITed lists, never every row in Python.

The score a report shows is the score *now*: the stored `lead_score` (the base score at the
last message, see app.domain.lead_scoring) decayed by the days since `last_interaction_at`.
SQL computes it with the domain's own constants and the same integer arithmetic as
`decay_score`: `(lead_score * percent + 50) / 100`, the percentage chosen by comparing
`last_interaction_at` with `now - N days` computed in Python (so calendar and DST rules never
differ). tests/integration/test_report_postgres.py checks that both give the same numbers.

Lists use the indexes of migration 0050-0053. Within one inactivity bucket (less than 7 days,
7-29, 30-89, 90+) the decay is one fixed percentage, so ordering by score now equals ordering
by the stored score: each bucket's best rows come straight off the
(lead_score, last_interaction_at, user_id) index, and the few candidates are merged.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from psycopg.rows import dict_row
from pydantic import BaseModel, ConfigDict

from app.application.lead_report import (
    ACTIVE_WINDOWS_DAYS,
    ConversionSignals,
    LeadQuery,
    LeadRow,
    NamedCount,
    Popularity,
    SourceSummary,
    UserCounts,
)
from app.domain.intents import Intent
from app.domain.lead_scoring import MAX_SCORE, MIN_SCORE, RECENCY_DECAY, decay_score, stage_for
from app.domain.memory import UserMemory
from app.infrastructure.postgres.async_pool import DRIVER_ERRORS, command_pool, open_command_pool
from app.infrastructure.postgres.catalog_schema import COURSES, CatalogSchema
from app.infrastructure.postgres.memory_rows import memory_from_row
from app.infrastructure.postgres.sync_client import translate_psycopg
from app.infrastructure.redaction import redact

logger = logging.getLogger(__name__)

REPORT_INDEXES = (
    "idx_user_memory_report_rank",
    "idx_user_memory_report_consent",
    "idx_user_memory_report_first_contact",
    "idx_user_memory_report_interests",
)
# A report is a handful of big reads; a runaway one must not hold the database forever.
STATEMENT_TIMEOUT_MS = 120_000
POOL_SIZE = 4
_ORDER = 'score DESC, lead_score DESC, last_interaction_at DESC NULLS LAST, user_id COLLATE "C"'
_BEST_ORDER = (
    'best.score DESC, best.lead_score DESC, best.last_interaction_at DESC NULLS LAST, best.user_id COLLATE "C"'
)
_INDEX_ORDER = 'lead_score DESC NULLS LAST, last_interaction_at DESC NULLS LAST, user_id COLLATE "C"'
_CLAMPED = f"LEAST(GREATEST(lead_score, {MIN_SCORE}), {MAX_SCORE})"


class DecayBucket(BaseModel):
    """Rows idle for [idle_from, idle_below) days keep `percent` of their stored score; rows
    with no last message at all form their own bucket, undecayed."""

    model_config = ConfigDict(frozen=True)

    idle_from: int | None
    idle_below: int | None
    percent: int
    never_contacted: bool = False


def decay_buckets() -> tuple[DecayBucket, ...]:
    """The inactivity buckets of RECENCY_DECAY, most recent first."""
    steps = sorted(RECENCY_DECAY)
    buckets = [DecayBucket(idle_from=None, idle_below=steps[0][0], percent=100)]
    for (days, percent), following in zip(steps, [*steps[1:], None], strict=True):
        buckets.append(DecayBucket(idle_from=days, idle_below=following[0] if following else None, percent=percent))
    buckets.append(DecayBucket(idle_from=None, idle_below=None, percent=100, never_contacted=True))
    return tuple(buckets)


def stored_score_range(percent: int, low: int, high: int) -> tuple[int, int] | None:
    """Stored scores whose decayed value is in [low, high]: a range the index can seek.

    Computed with the domain's decay_score itself (it is monotonic, so the matches are
    contiguous); None when no stored score qualifies.
    """
    matching = [s for s in range(MIN_SCORE, MAX_SCORE + 1) if low <= decay_score(s, percent) <= high]
    return (matching[0], matching[-1]) if matching else None


def score_now_sql() -> str:
    """The score now as a SQL expression over lead_score and last_interaction_at."""
    branches = " ".join(
        f"WHEN last_interaction_at <= %(idle_{days})s THEN ({_CLAMPED} * {percent} + 50) / 100"
        for days, percent in RECENCY_DECAY
    )
    return f"CASE {branches} ELSE {_CLAMPED} END"


def zone_name(zone: tzinfo) -> str:
    """The IANA name PostgreSQL needs for a Python time zone."""
    name = getattr(zone, "key", None) or zone.tzname(None)
    if not name:
        raise ValueError(f"time zone {zone!r} has no name PostgreSQL would know")
    return name


class PostgresLeadReportSource:
    """The LeadReportSource port on PostgreSQL (psycopg: the report is a synchronous CLI edge,
    the async pool only lets its independent queries run side by side)."""

    def __init__(
        self,
        dsn: str,
        *,
        fallback_course_names: Mapping[str, str] | None = None,
        pool_size: int = POOL_SIZE,
        connect_timeout: float = 5.0,
    ) -> None:
        self.description = f"PostgreSQL ({redact(dsn)})"
        self._dsn = dsn
        # Names for course ids ai_courses does not have: the bot answers from the bundled
        # catalogue when the school's tables are missing, and its ids end up in memories.
        self._fallback_names = dict(fallback_course_names or {})
        self._connect_timeout = connect_timeout
        self._pool = command_pool(
            dsn,
            application_name="course-advisor-report",
            size=pool_size,
            connect_timeout=connect_timeout,
            statement_timeout_ms=STATEMENT_TIMEOUT_MS,
        )

    async def open(self, *, check_indexes: bool = True) -> None:
        await open_command_pool(self._pool, self._dsn, self._connect_timeout)
        missing = await self.missing_indexes() if check_indexes else []
        if missing:
            logger.warning(
                "report indexes missing or invalid: %s; the report works but scans the table "
                "(run `python -m app db init` to create them)",
                ", ".join(missing),
            )

    async def close(self) -> None:
        await self._pool.close()

    async def missing_indexes(self) -> list[str]:
        rows = await self._fetch(
            "SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = ANY(%(names)s) AND i.indisvalid AND i.indisready",
            {"names": list(REPORT_INDEXES)},
        )
        present = {row["name"] for row in rows}
        return [name for name in REPORT_INDEXES if name not in present]

    async def summary(self, now: datetime) -> SourceSummary:
        short, long = ACTIVE_WINDOWS_DAYS
        buying = Intent.BUYING_SIGNALS.value
        row = await self._fetch_one(
            f"""
            SELECT count(*) AS users,
                   count(*) FILTER (WHERE last_interaction_at > %(idle_{short})s) AS active_7_days,
                   count(*) FILTER (WHERE last_interaction_at > %(idle_{long})s) AS active_30_days,
                   count(*) FILTER (WHERE opted_out) AS opted_out,
                   count(*) FILTER (WHERE NOT opted_out AND (intent_counts -> '{buying}') > '0'::jsonb)
                       AS buying_signals,
                   count(*) FILTER (WHERE NOT opted_out AND human_requested) AS contact_requested,
                   count(*) FILTER (WHERE NOT opted_out AND cardinality(requested_course_ids) > 0)
                       AS requested_course,
                   count(*) FILTER (WHERE NOT opted_out AND marketing_consent) AS marketing_consent
            FROM user_memory
            """,
            _idle_parameters(now, ACTIVE_WINDOWS_DAYS),
        )
        return SourceSummary(counts=UserCounts.model_validate(row), conversion=ConversionSignals.model_validate(row))

    async def score_counts(self, now: datetime) -> dict[int, int]:
        rows = await self._fetch(
            f"""
            SELECT score, count(*) AS leads
            FROM (SELECT {score_now_sql()} AS score FROM user_memory
                  WHERE NOT opted_out AND lead_score IS NOT NULL) AS scored
            GROUP BY score
            """,
            _idle_parameters(now),
        )
        return {row["score"]: row["leads"] for row in rows}

    async def popularity(self) -> Popularity:
        # One parallel pass over the table for both arrays: unnest() side by side in the select
        # list pairs the i-th interest with the i-th course (NULL-padding the shorter array);
        # the few hundred (interest, course) pairs are then summed per side here.
        rows = await self._fetch(
            """
            SELECT interest, course_id, count(*) AS leads
            FROM (SELECT unnest(interests) AS interest, unnest(requested_course_ids) AS course_id
                  FROM user_memory WHERE NOT opted_out) AS items
            GROUP BY interest, course_id
            """,
            {},
        )
        interest_counts: Counter[str] = Counter()
        course_counts: Counter[str] = Counter()
        for row in rows:
            if row["interest"]:
                interest_counts[row["interest"]] += row["leads"]
            if row["course_id"]:
                course_counts[row["course_id"]] += row["leads"]
        names = await self.course_names(list(course_counts))
        return Popularity(
            interests=tuple(NamedCount(key=k, label=k, count=n) for k, n in interest_counts.items()),
            courses=tuple(
                NamedCount(key=k, label=names.get(k) or self._fallback_names.get(k) or k, count=n)
                for k, n in course_counts.items()
            ),
        )

    async def new_leads_per_day(self, start: datetime, zone: tzinfo) -> dict[date, int]:
        rows = await self._fetch(
            """
            SELECT (first_interaction_at AT TIME ZONE %(zone)s)::date AS day, count(*) AS leads
            FROM user_memory
            WHERE NOT opted_out AND first_interaction_at >= %(start)s
            GROUP BY day
            """,
            {"zone": zone_name(zone), "start": start},
        )
        return {row["day"]: row["leads"] for row in rows}

    async def leads(self, query: LeadQuery) -> list[LeadRow]:
        parts: list[str] = []
        parameters = lead_query_parameters(query)
        for position, bucket in enumerate(decay_buckets()):
            part = _bucket_select(query, bucket, position, parameters)
            if part is not None:
                parts.append(part)
        if not parts:
            return []
        rows = await self._fetch(_leads_sql(parts), parameters)
        return [_lead_row(row) for row in rows]

    async def count_leads(self, query: LeadQuery) -> int:
        row = await self._fetch_one(*count_leads_sql(query))
        return int(row["leads"])

    async def find_memory(self, user_id: str) -> UserMemory | None:
        # Read with the memory adapter's own row mapping (overflowing texts, legacy flags).
        rows = await self._fetch("SELECT * FROM user_memory WHERE user_id = %(user_id)s", {"user_id": user_id})
        return memory_from_row(rows[0]) if rows else None

    async def course_names(self, course_ids: list[str] | None = None) -> dict[str, str]:
        """Names from the school's ai_courses (all, or those ids), whatever case its columns use."""
        if course_ids is not None and not course_ids:
            return {}
        columns = await self._fetch(
            "SELECT a.attname AS name FROM pg_attribute a "
            "WHERE a.attrelid = to_regclass(%(table)s) AND a.attnum > 0 AND NOT a.attisdropped",
            {"table": COURSES},
        )
        schema = CatalogSchema.from_columns({COURSES: [row["name"] for row in columns]} if columns else {})
        if schema.missing_required():
            return {}
        course_id = f"{schema.column(COURSES, 'id', 'c')}::text"
        wanted = f" WHERE {course_id} = ANY(%(ids)s)" if course_ids is not None else ""
        rows = await self._fetch(
            f"SELECT {course_id} AS id, {schema.column(COURSES, 'name', 'c')} AS name FROM {COURSES} AS c{wanted}",
            {"ids": course_ids},
        )
        return {row["id"]: row["name"] for row in rows if row["name"]}

    async def _fetch(self, sql: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            async with self._pool.connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
                await cursor.execute(sql.encode(), parameters)
                return await cursor.fetchall()
        except DRIVER_ERRORS as error:
            raise translate_psycopg(error, "lead report query failed") from error

    async def _fetch_one(self, sql: str, parameters: dict[str, Any]) -> dict[str, Any]:
        rows = await self._fetch(sql, parameters)
        return rows[0]


def _idle_parameters(now: datetime, extra_days: Sequence[int] = ()) -> dict[str, Any]:
    """`idle_N` = the instant N whole days before now: idle_days >= N <=> last <= idle_N."""
    days = {d for d, _ in RECENCY_DECAY} | set(extra_days)
    return {f"idle_{d}": now - timedelta(days=d) for d in sorted(days)}


def lead_query_parameters(query: LeadQuery) -> dict[str, Any]:
    """The named parameters of a lead list's SQL; campaigns select their audience with them too."""
    windows = [d for d in (query.idle_days_from, query.idle_days_below) if d is not None]
    return {
        **_idle_parameters(query.now, windows),
        "min_score": query.min_score,
        "max_score": query.max_score,
        "interest": query.interest,
        "since": query.contacted_since,
        "limit": query.limit,
    }


def _lead_conditions(query: LeadQuery) -> list[str]:
    conditions = ["NOT opted_out"]
    if query.consent_only:
        conditions.append("marketing_consent")
    if query.interest is not None:
        conditions.append("interests @> ARRAY[%(interest)s]::text[]")
    return conditions


def count_leads_sql(query: LeadQuery) -> tuple[str, dict[str, Any]]:
    """How many leads a list has in all: the statement and its parameters."""
    conditions = [
        *_lead_conditions(query),
        *_score_now_conditions(query),
        *last_contact_conditions(query.contacted_since, query.idle_days_from, query.idle_days_below),
    ]
    return f"SELECT count(*) AS leads FROM user_memory WHERE {' AND '.join(conditions)}", lead_query_parameters(query)


def _score_now_conditions(query: LeadQuery) -> list[str]:
    """The score-now window, or nothing when it is the whole scale.

    The score now is clamped to the scale, so a whole-scale window (every re-engagement count
    of an unfiltered report) matches every row. Written out anyway it is a CASE no index can
    serve, evaluated on every candidate row, and the planner guesses it keeps 0.5 % of them
    (400 rows for 85,000 on 1,000,000 users), which misleads its choice of plan.
    """
    if query.min_score <= MIN_SCORE and query.max_score >= MAX_SCORE:
        return []
    return [f"({score_now_sql()}) BETWEEN %(min_score)s AND %(max_score)s"]


def last_contact_conditions(since: datetime | None, idle_from: int | None, idle_below: int | None) -> list[str]:
    """WHERE conditions on the last contact (the idle windows of the re-engagement lists)."""
    conditions = []
    if since is not None:
        conditions.append("last_interaction_at >= %(since)s")
    if idle_from is not None:
        conditions.append(f"last_interaction_at <= %(idle_{idle_from})s")
    if idle_below is not None:
        conditions.append(f"last_interaction_at > %(idle_{idle_below})s")
    return conditions


def _bucket_select(query: LeadQuery, bucket: DecayBucket, position: int, parameters: dict[str, Any]) -> str | None:
    """The best `limit` rows of one decay bucket, straight off the rank index; None if empty."""
    window = _intersect((bucket.idle_from, bucket.idle_below), (query.idle_days_from, query.idle_days_below))
    if bucket.never_contacted and (query.contacted_since or query.idle_days_from or query.idle_days_below):
        return None
    scores = stored_score_range(bucket.percent, query.min_score, query.max_score)
    if window is None or scores is None:
        return None
    parameters[f"low_{position}"], parameters[f"high_{position}"] = scores
    conditions = [
        *_lead_conditions(query),
        f"lead_score BETWEEN %(low_{position})s AND %(high_{position})s",
        *last_contact_conditions(query.contacted_since, *window),
    ]
    if bucket.never_contacted:
        conditions.append("last_interaction_at IS NULL")
    return (
        f"(SELECT user_id, lead_score, last_interaction_at, (lead_score * {bucket.percent} + 50) / 100 AS score "
        f"FROM user_memory WHERE {' AND '.join(conditions)} ORDER BY {_INDEX_ORDER} LIMIT %(limit)s)"
    )


def _intersect(
    bucket: tuple[int | None, int | None], wanted: tuple[int | None, int | None]
) -> tuple[int | None, int | None] | None:
    low = max((d for d in (bucket[0], wanted[0]) if d is not None), default=None)
    high = min((d for d in (bucket[1], wanted[1]) if d is not None), default=None)
    if low is not None and high is not None and low >= high:
        return None
    return low, high


def _leads_sql(parts: list[str]) -> str:
    return f"""
        WITH candidates AS ({" UNION ALL ".join(parts)}),
        best AS (SELECT * FROM candidates ORDER BY {_ORDER} LIMIT %(limit)s)
        SELECT best.user_id, best.score, best.lead_score, best.last_interaction_at, m.name,
               coalesce(m.interests, '{{}}') AS interests, m.first_interaction_at, m.human_requested,
               m.marketing_consent,
               (SELECT h.entry ->> 'text'
                FROM jsonb_array_elements(
                    CASE WHEN jsonb_typeof(m.message_history) = 'array' THEN m.message_history ELSE '[]' END
                ) WITH ORDINALITY AS h(entry, position)
                WHERE h.entry ->> 'role' = 'user'
                ORDER BY h.position DESC LIMIT 1) AS last_message
        FROM best JOIN user_memory m ON m.user_id = best.user_id
        ORDER BY {_BEST_ORDER}
    """


def _lead_row(row: dict[str, Any]) -> LeadRow:
    return LeadRow(
        user_id=row["user_id"],
        name=row["name"],
        score=row["score"],
        base_score=row["lead_score"],
        stage=stage_for(row["score"]),
        interests=tuple(row["interests"]),
        last_message=row["last_message"],
        last_contact_at=row["last_interaction_at"],
        first_contact_at=row["first_interaction_at"],
        human_requested=row["human_requested"],
        marketing_consent=row["marketing_consent"],
    )
