"""The per-message checks of the fault runs find each kind of defect (a check that cannot fail
proves nothing). Tables shaped as the deployment's contract, filled by hand."""

from __future__ import annotations

import psycopg
import pytest

from tests.load.outcome import check
from tests.load.traffic import Delivery, Plan, Post, TrafficResult
from tests.twilio_fake import SENDER, SentMessage

pytestmark = pytest.mark.postgres

TABLES = """
CREATE TABLE conversation_messages (message_sid text PRIMARY KEY, user_id text, body text, seq bigint, turn_id bigint);
CREATE TABLE reply_parts (turn_id bigint, idx int, user_id text, body text, state text, provider_sid text);
CREATE TABLE user_memory (user_id text PRIMARY KEY, interaction_count int);
"""
ANA, BETO = "whatsapp:+573100000001", "whatsapp:+573100000002"


def plan_and_traffic() -> tuple[Plan, TrafficResult]:
    posts = [Post(0, "SMa1", ANA, "hola"), Post(0, "SMa2", ANA, "info"), Post(0, "SMb1", BETO, "hola"),
             Post(0, "SMa1", ANA, "hola", duplicate=True)]  # fmt: skip
    return Plan(posts, [ANA, BETO]), TrafficResult([Delivery(p, [200]) for p in posts], 1.0)


def fill(url: str, parts: list[tuple], counts: dict[str, int], messages: list[tuple] | None = None) -> None:
    messages = messages or [("SMa1", ANA, 1, 10), ("SMa2", ANA, 2, 11), ("SMb1", BETO, 3, 12)]
    with psycopg.connect(url) as connection:
        connection.execute(TABLES)
        connection.cursor().executemany(
            "INSERT INTO conversation_messages VALUES (%s, %s, '', %s, %s)", messages
        )
        connection.cursor().executemany("INSERT INTO reply_parts VALUES (%s, %s, %s, '', %s, %s)", parts)
        connection.cursor().executemany("INSERT INTO user_memory VALUES (%s, %s)", list(counts.items()))


def sent(sid: str, to: str) -> SentMessage:
    return SentMessage(sid, to, SENDER, f"reply {sid}")


GOOD_PARTS = [(10, 0, ANA, "sent", "SMr1"), (11, 0, ANA, "sent", "SMr2"), (11, 1, ANA, "sent", "SMr3"),
              (12, 0, BETO, "sent", "SMr4")]  # fmt: skip
GOOD_SENT = [sent("SMr1", ANA), sent("SMr4", BETO), sent("SMr2", ANA), sent("SMr3", ANA)]


def test_a_clean_run_is_clean(database_url):
    fill(database_url, GOOD_PARTS, {ANA: 2, BETO: 1})
    outcome = check("clean", database_url, *plan_and_traffic(), GOOD_SENT, 1.0)
    assert outcome.clean, outcome.details()
    assert (outcome.acknowledged, outcome.turns, outcome.parts) == (3, 3, 4)


def test_every_defect_is_found(database_url):
    messages = [("SMa1", ANA, 1, 11), ("SMa2", ANA, 2, 10)]  # Beto's message never recorded; turns swapped
    parts = [(10, 0, ANA, "sent", "SMr1"), (11, 0, ANA, "sent", "SMr2"), (11, 1, ANA, "pending", None)]
    twice = [sent("SMr2", ANA), sent("SMr1", ANA), SentMessage("SMx", ANA, SENDER, "reply SMr1")]
    fill(database_url, parts, {ANA: 3}, messages)
    outcome = check("broken", database_url, *plan_and_traffic(), twice, 1.0)
    assert outcome.lost == ["SMb1 (answers [200])"]
    assert len(outcome.unsent) == 1 and len(outcome.sent_twice) == 1
    assert len(outcome.order_violations) == 2  # parts arrived (11,0) then (10,0); turn 11 answers seq 1
    assert outcome.wrong_counts == [f"{ANA}: interaction_count 3 for 2 messages"]
    assert not outcome.clean
