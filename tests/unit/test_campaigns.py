"""Campaign rules without a database: pacing, eligibility, template values, the summary."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from itertools import pairwise

import pytest

from app.application.campaign_ports import StatusCount
from app.application.campaigns import Audience, audience_lists, audience_query, summarize
from app.application.token_bucket import TokenBucket
from app.domain.campaigns import (
    CampaignContact,
    Exclusion,
    LeadField,
    SendState,
    VariableSpec,
    exclusion_for,
    render_variables,
)
from app.domain.lead_scoring import LeadStage
from app.entrypoints.cli.campaign import CampaignUsageError, parse_variable


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def grant_times(bucket: TokenBucket, time: FakeTime, count: int) -> list[float]:
    async def take() -> list[float]:
        times = []
        for _ in range(count):
            await bucket.acquire()
            times.append(time.now)
        return times

    return asyncio.run(take())


def test_the_bucket_lets_one_request_through_every_1_over_rate_seconds():
    time = FakeTime()
    bucket = TokenBucket(4.0, clock=time.clock, sleep=time.sleep)

    times = grant_times(bucket, time, 9)

    assert times[0] == 100.0
    assert [b - a for a, b in pairwise(times)] == pytest.approx([0.25] * 8, abs=1e-5)


def test_an_idle_bucket_does_not_save_up_a_burst():
    time = FakeTime()
    bucket = TokenBucket(10.0, clock=time.clock, sleep=time.sleep)
    grant_times(bucket, time, 1)
    time.now += 60  # a minute without sending

    times = grant_times(bucket, time, 3)

    assert [t - times[0] for t in times] == pytest.approx([0.0, 0.1, 0.2], abs=1e-5)


def contact(**fields: object) -> CampaignContact:
    base: dict[str, object] = {"user_id": "whatsapp:+573001234567", "marketing_consent": True}
    return CampaignContact.model_validate({**base, **fields})


def test_opted_out_contacts_are_excluded_even_with_an_old_consent():
    assert exclusion_for(contact(opted_out=True)) == Exclusion.OPTED_OUT
    assert exclusion_for(contact(marketing_consent=False)) == Exclusion.NO_CONSENT
    assert exclusion_for(contact()) is None


def test_values_come_from_the_lead_flattened_for_whatsapp_with_defaults_for_gaps():
    specs = (
        VariableSpec(placeholder="1", field=LeadField.FIRST_NAME),
        VariableSpec(placeholder="2", field=LeadField.COURSE, default="nuestros cursos"),
        VariableSpec(placeholder="3", field=LeadField.STAGE),
        VariableSpec(placeholder="4", field=LeadField.ROLE),
    )
    lead = contact(name="  Ana\n María   Gómez ", stage=LeadStage.CALIENTE, interests=("excel", "python"))

    rendered = render_variables(lead, specs)

    assert rendered.values == {"1": "Ana", "2": "nuestros cursos", "3": "caliente"}
    assert rendered.missing == ("4",)


def test_variables_are_typed_as_placeholder_field_and_optional_default():
    assert parse_variable("2=curso:nuestros cursos") == VariableSpec(
        placeholder="2", field=LeadField.COURSE, default="nuestros cursos"
    )
    assert parse_variable("1=first_name").field == LeadField.FIRST_NAME
    for wrong in ("1", "1=edad", "=course", "1=course:   "):
        with pytest.raises(CampaignUsageError):
            parse_variable(wrong)


def test_a_campaign_list_is_the_reports_list_without_its_consent_filter():
    now = datetime(2026, 11, 1, tzinfo=UTC)
    assert set(audience_lists()) == {"reenganche_30_89", "reenganche_90_mas", "todos"}

    query = audience_query(Audience(list_key="reenganche_30_89", stage=LeadStage.CALIENTE), now)

    assert (query.idle_days_from, query.idle_days_below, query.min_score, query.max_score) == (30, 90, 55, 79)
    assert query.consent_only is False  # excluded contacts are named, not silently dropped
    with pytest.raises(ValueError, match="choose"):
        Audience()


def test_the_summary_counts_deliveries_reads_and_failures_by_code():
    counts = [
        StatusCount(state=SendState.SENT, status="delivered", error_code=None, count=5),
        StatusCount(state=SendState.SENT, status="read", error_code=None, count=3),
        StatusCount(state=SendState.SENT, status="failed", error_code=63018, count=2),
        StatusCount(state=SendState.SENT, status=None, error_code=None, count=1),
        StatusCount(state=SendState.FAILED, status=None, error_code=21610, count=1),
        StatusCount(state=SendState.PENDING, status=None, error_code=None, count=4),
    ]

    result = summarize("promo", counts)

    assert (result.recorded, result.accepted, result.delivered, result.read) == (16, 11, 8, 3)
    assert (result.failed_after, result.refused, result.no_status_yet, result.unsent) == (2, 1, 1, 4)
    assert [(f.code, f.count, f.meaning) for f in result.failures] == [
        (63018, 2, "límite de envíos del remitente superado"),
        (21610, 1, "el contacto bloqueó los mensajes (STOP)"),
    ]
