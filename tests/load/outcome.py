"""What a run left behind, checked message by message against what the students sent and what
reached the fake Twilio.

Read-only on the bot's tables (the deployment's contract):
  conversation_messages(message_sid, user_id, seq, turn_id)   every recorded inbound message
  reply_turns(id, user_id)                                     one turn answers one or more messages
  reply_parts(turn_id, idx, user_id, state, provider_sid)      what the turn sends, part by part
  user_memory(user_id, interaction_count)
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from dataclasses import dataclass, field

import psycopg

from tests.load.traffic import Plan, TrafficResult
from tests.twilio_fake import SentMessage


@dataclass
class Outcome:
    scenario: str
    posts: int
    acknowledged: int
    lost: list[str] = field(default_factory=list)  # acknowledged (200), never recorded
    unanswered: list[str] = field(default_factory=list)  # recorded, no turn (or a turn with nothing to send)
    unsent: list[str] = field(default_factory=list)  # parts still pending/sending, or "sent" but not at Twilio
    failed: list[str] = field(default_factory=list)  # parts that ended failed
    sent_twice: list[str] = field(default_factory=list)  # messages Twilio got beyond one per part
    order_violations: list[str] = field(default_factory=list)
    wrong_counts: list[str] = field(default_factory=list)
    never_acknowledged: int = 0  # posts still refused after the sender's retries (not a loss: never a 200)
    turns: int = 0
    parts: int = 0
    seconds: float = 0.0  # first post to the last part settled
    notes: list[str] = field(default_factory=list)
    # What shows that the fault really happened (AI calls made, Twilio errors answered, ...).
    evidence: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        checks = (self.lost, self.unanswered, self.unsent, self.failed, self.sent_twice, self.order_violations,
                  self.wrong_counts)  # fmt: skip
        return not any(checks)

    def summary(self) -> str:
        return (
            f"{self.scenario}: posts={self.posts} acked={self.acknowledged} turns={self.turns} parts={self.parts} "
            f"lost={len(self.lost)} unanswered={len(self.unanswered)} unsent={len(self.unsent)} "
            f"failed={len(self.failed)} sent_twice={len(self.sent_twice)} "
            f"order_violations={len(self.order_violations)} wrong_counts={len(self.wrong_counts)} "
            f"never_acked={self.never_acknowledged} duration={self.seconds:.1f}s"
            + "".join(f" {name}={value}" for name, value in self.evidence.items())
        )

    def details(self, limit: int = 8) -> str:
        named = {
            "lost": self.lost, "unanswered": self.unanswered, "unsent": self.unsent, "failed": self.failed,
            "sent twice": self.sent_twice, "order": self.order_violations, "wrong counts": self.wrong_counts,
            "notes": self.notes,
        }  # fmt: skip
        return "\n".join(f"  {name}: {items[:limit]}" for name, items in named.items() if items)


def progress(database_url: str) -> tuple[int, int]:
    """(messages without a turn, parts not settled) right now."""
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        row = connection.execute(
            "SELECT (SELECT count(*) FROM conversation_messages WHERE turn_id IS NULL),"
            " (SELECT count(*) FROM reply_parts WHERE state IN ('pending', 'sending'))"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def jobs_left(database_url: str) -> int | None:
    """Queue jobs not finished (todo or doing); None without the queue's table."""
    try:
        with psycopg.connect(database_url, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
            ).fetchone()
    except psycopg.errors.UndefinedTable:
        return None
    return int(row[0]) if row else None


def wait_until_settled(database_url: str, timeout: float, quiet_jobs_for: float = 0.0) -> bool:
    """Poll until every recorded message has a turn and every part is sent or failed (twice in a
    row, half a second apart), then give the queue up to `quiet_jobs_for` more seconds to run
    what it still holds (a job taken over from a dead worker must find nothing left to send)."""
    deadline = time.monotonic() + timeout
    settled_polls = 0
    while time.monotonic() < deadline:
        try:
            settled_polls = settled_polls + 1 if progress(database_url) == (0, 0) else 0
        except psycopg.OperationalError:
            settled_polls = 0  # the server is restarting
        if settled_polls >= 2:
            break
        time.sleep(0.5)
    else:
        return False
    job_deadline = time.monotonic() + quiet_jobs_for
    while time.monotonic() < job_deadline and (jobs_left(database_url) or 0) > 0:
        time.sleep(0.5)
    return True


def check(scenario: str, database_url: str, plan: Plan, traffic: TrafficResult, sent: list[SentMessage],
          seconds: float) -> Outcome:  # fmt: skip
    acknowledged = traffic.acknowledged_sids
    outcome = Outcome(scenario, len(plan.posts), len(acknowledged), seconds=seconds,
                      never_acknowledged=len(traffic.never_acknowledged))  # fmt: skip
    with psycopg.connect(database_url) as connection:
        messages = connection.execute(
            "SELECT message_sid, user_id, seq, turn_id FROM conversation_messages ORDER BY seq"
        ).fetchall()
        parts = connection.execute(
            "SELECT turn_id, idx, user_id, state, provider_sid FROM reply_parts ORDER BY turn_id, idx"
        ).fetchall()
        counts = dict(connection.execute("SELECT user_id, interaction_count FROM user_memory").fetchall())
        # Silent by design: while a person has the conversation (a hand-off after "sí" to the
        # advisor question) the bot records and does not answer, and a flood gets one notice.
        has_turns = connection.execute("SELECT to_regclass('reply_turns') IS NOT NULL").fetchone()
        by_design = {
            turn for (turn,) in connection.execute(
                "SELECT id FROM reply_turns WHERE reply ->> 'mode' IN ('handoff', 'rate_limited')"
            )
        } if has_turns and has_turns[0] else set()  # fmt: skip
    outcome.turns = len({m[3] for m in messages if m[3] is not None})
    outcome.parts = len(parts)

    recorded = {sid: (user, seq, turn) for sid, user, seq, turn in messages}
    answers: dict[str, list[int]] = defaultdict(list)
    for delivery in traffic.deliveries:
        answers[delivery.post.sid] += delivery.statuses
    outcome.lost = [f"{sid} (answers {answers[sid]})" for sid in sorted(acknowledged - recorded.keys())]
    outcome.unanswered = [sid for sid, (_, _, turn) in recorded.items() if turn is None]
    turns_with_parts = {p[0] for p in parts}
    silent_turns = sorted({m[3] for m in messages} - turns_with_parts - by_design - {None})
    outcome.unanswered += [f"turn {t} has no parts" for t in silent_turns]

    # The bot's user ids are whatever it stores; the plan's senders are tied to them through the SIDs.
    user_of_sender = {plan.distinct[sid].sender: user for sid, (user, _, _) in recorded.items() if sid in plan.distinct}
    _check_parts(outcome, parts, sent, user_of_sender)
    _check_turn_order(outcome, messages)
    per_user: dict[str, int] = defaultdict(int)
    for _, user, _, _ in messages:
        per_user[user] += 1
    outcome.wrong_counts = [
        f"{user}: interaction_count {counts.get(user)} for {count} messages"
        for user, count in sorted(per_user.items())
        if counts.get(user) != count
    ]
    return outcome


def _check_parts(outcome: Outcome, parts: list[tuple], sent: list[SentMessage], user_of_sender: dict[str, str]) -> None:
    """Each part reached Twilio exactly once, and each user got their parts in (turn, idx) order."""
    position = {}  # provider SID -> (turn, idx)
    for turn, idx, user, state, provider_sid in parts:
        where = f"{user} turn {turn} part {idx}"
        if state in ("pending", "sending"):
            outcome.unsent.append(f"{where} still {state}")
        elif state == "failed":
            outcome.failed.append(where)
        elif provider_sid in position:
            outcome.sent_twice.append(f"{where} shares Twilio SID {provider_sid} with another part")
        elif provider_sid:
            position[provider_sid] = (turn, idx)
    at_twilio = {m.sid for m in sent}
    for turn, idx, user, state, provider_sid in parts:
        if state == "sent" and provider_sid not in at_twilio:
            outcome.unsent.append(f"{user} turn {turn} part {idx} is 'sent' as {provider_sid}, Twilio never got it")
    arrivals: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for message in sent:
        user = user_of_sender.get(message.to, message.to)
        if message.sid not in position:
            outcome.sent_twice.append(f"{user}: Twilio got {message.body[:40]!r} ({message.sid}) beyond the parts")
            continue
        arrivals[user].append(position[message.sid])
    for user, order in arrivals.items():
        for before, after in itertools.pairwise(order):
            if after <= before:
                outcome.order_violations.append(f"{user}: part {after} reached Twilio after part {before}")


def _check_turn_order(outcome: Outcome, messages: list[tuple]) -> None:
    """A user's turns answer their messages in the order they were recorded (seq)."""
    seqs: dict[tuple[str, int], list[int]] = defaultdict(list)
    for _, user, seq, turn in messages:
        if turn is not None:
            seqs[(user, turn)].append(seq)
    by_user: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for (user, turn), values in seqs.items():
        by_user[user].append((turn, min(values), max(values)))
    for user, turns in by_user.items():
        turns.sort()
        for (turn_a, _, last_a), (turn_b, first_b, _) in itertools.pairwise(turns):
            if first_b <= last_a:
                violation = f"{user}: turn {turn_b} answers seq {first_b}, before turn {turn_a}'s {last_a}"
                outcome.order_violations.append(violation)
