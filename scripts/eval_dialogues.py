"""Score the bot on multi-turn dialogues written the way students write.

Usage (from the repository root):
    .venv/bin/python scripts/eval_dialogues.py                      # basic mode (JSON catalogue, no AI)
    .venv/bin/python scripts/eval_dialogues.py --set holdout        # only the held-out set (dev|holdout|both)
    .venv/bin/python scripts/eval_dialogues.py --database           # database mode on an embedded PostgreSQL
    .venv/bin/python scripts/eval_dialogues.py --database-url URL   # database mode on a prepared database
    .venv/bin/python scripts/eval_dialogues.py --check --json       # exit 1 below the thresholds
    .venv/bin/python scripts/eval_dialogues.py --failures           # print every failed check
    .venv/bin/python scripts/eval_dialogues.py --endpoint URL --model NAME   # AI mode beside basic mode
    .venv/bin/python scripts/eval_dialogues.py --fake-ai            # AI mode on the scripted fake model

With --endpoint (any OpenAI-compatible server: OPENAI_API_KEY is sent if set) or --fake-ai,
each set runs in basic mode and through the AI path (ai_only mode) on the same run, and the
AI side prints: turns the model read (and which were exempt, why), the share of turns whose
reply was the model's, fallbacks by reason, invented facts and off-language replies sent
(both must be 0), tokens and latency per turn (scripts/ai_dialogue_figures.py).

Two sets, always reported apart: the development set (tests/data/dialogues.jsonl) and the
held-out set (tests/data/dialogues_holdout.jsonl), written in other styles before the
understanding code it measures and never tuned to. `--check` asserts the thresholds on the
development set only; the held-out set is reported.

Each line is one student: {"id", "turns": [{"text", "kind", ...checks}]}. "kind" names the
reading the turn needs (acts, references, catalogue, derived, needs, promises, other) and the
report gives the pass rate of each. The checks a turn may carry:
- "intent": the intent the bot must read;
- "course": a course name the reply must show among its first three courses;
- "says": texts the reply must state (accents and case ignored);
- "avoid": texts the reply must not contain (filler, invented claims);
and every turn is checked against the previous reply: it must not repeat it word for word.

Consent and hand-off safety, on every turn of every dialogue: a turn marked "consent": true is an
unambiguous answer to the marketing-consent question and must record it (UserMemory's
marketing_consent turns true); any other turn must not. A turn marked "handoff": true is a clear
request for a person and must produce a hand-off; any other turn must not. The synchronous path
this script drives (process_message, both modes) writes no `handoffs` row (the queue path does),
so a hand-off is detected from what the reply announces: "ya le pasé tus datos a un asesor"
or the hand-off notice. Each turn thus carries one "consent" and one "handoff" check.

Prints the pass rate per kind of check, the repeated-reply rate and the median reply length.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    # Running as a plain script puts scripts/ on the path, not the repository root.
    sys.path.insert(0, str(REPO_ROOT))
if str(REPO_ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO_ROOT / "scripts"))  # loaded as a module by the tests, too

from ai_dialogue_figures import TurnRecord  # noqa: E402

from app.bootstrap.container import Container  # noqa: E402
from app.bootstrap.mode import build_container  # noqa: E402
from app.config import Settings  # noqa: E402
from app.domain.handoff import HANDOFF_NOTICE  # noqa: E402
from app.domain.messages import InboundMessage  # noqa: E402
from app.domain.text import normalize  # noqa: E402

DEFAULT_DIALOGUES = REPO_ROOT / "tests" / "data" / "dialogues.jsonl"
HOLDOUT_DIALOGUES = REPO_ROOT / "tests" / "data" / "dialogues_holdout.jsonl"
DIALOGUE_SETS = {"dev": DEFAULT_DIALOGUES, "holdout": HOLDOUT_DIALOGUES}
MIN_PASS_RATE = 0.95
MAX_REPEATED_REPLIES = 0
CHECK_KINDS = ("intent", "course", "says", "avoid", "no_repeat", "consent", "handoff")
CONTENT_CHECKS = ("intent", "course", "says", "avoid")  # the ones a dialogue's author writes
SAFETY_CHECKS = ("consent", "handoff")
TURN_KINDS = ("acts", "references", "catalogue", "derived", "needs", "promises", "other")
TurnKind = Literal["acts", "references", "catalogue", "derived", "needs", "promises", "other"]
TOP_COURSES = 3
# What a reply says when it hands the student to a person (see the module docstring).
HANDOFF_ANNOUNCEMENTS = (normalize("Ya le pasé tus datos a un asesor"), normalize(HANDOFF_NOTICE))


class DialogueTurn(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str = Field(min_length=1)
    kind: TurnKind = "other"
    consent: bool = False
    handoff: bool = False
    intent: str | None = None
    course: str | None = None
    says: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


class Dialogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    note: str = ""
    turns: tuple[DialogueTurn, ...] = Field(min_length=1)


class CheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    dialogue: str
    turn: int
    kind: str
    passed: bool
    detail: str = ""
    turn_kind: str = "other"


class ShownReply(BaseModel):
    """A reply as the student read it, with the courses it showed (to check its facts)."""

    model_config = ConfigDict(frozen=True)

    dialogue: str
    text: str
    course_ids: tuple[str, ...]


class DialogueReport(BaseModel):
    """Everything the run measured."""

    target: str
    dialogues: int
    turns: int
    checks: list[CheckResult]
    reply_lengths: list[int]
    repeated_replies: int
    replies: list[ShownReply] = Field(default_factory=list)
    turn_records: list[TurnRecord] = Field(default_factory=list)  # what the AI path did, turn by turn

    def pass_rate(self, kind: str | None = None, turn_kind: str | None = None) -> float:
        chosen = self._chosen(kind, turn_kind)
        return sum(c.passed for c in chosen) / len(chosen) if chosen else 1.0

    @property
    def content_pass_rate(self) -> float:
        return self.written_pass_rate()

    def written_pass_rate(self, turn_kind: str | None = None) -> float:
        """Pass rate of the checks a dialogue's author wrote, on turns of this kind of reading."""
        chosen = [c for c in self._chosen(None, turn_kind) if c.kind in CONTENT_CHECKS]
        return sum(c.passed for c in chosen) / len(chosen) if chosen else 1.0

    def written_count(self, turn_kind: str | None = None) -> int:
        return sum(1 for c in self._chosen(None, turn_kind) if c.kind in CONTENT_CHECKS)

    def safety_failures(self, turn_kind: str | None = None) -> int:
        """Consents or hand-offs recorded where none was given, or missing where one was."""
        return sum(1 for c in self._chosen(None, turn_kind) if c.kind in SAFETY_CHECKS and not c.passed)

    def count(self, kind: str | None = None, turn_kind: str | None = None) -> int:
        return len(self._chosen(kind, turn_kind))

    def _chosen(self, kind: str | None, turn_kind: str | None) -> list[CheckResult]:
        return [
            c for c in self.checks
            if (kind is None or c.kind == kind) and (turn_kind is None or c.turn_kind == turn_kind)
        ]  # fmt: skip

    @property
    def median_reply_chars(self) -> float:
        return statistics.median(self.reply_lengths) if self.reply_lengths else 0.0

    @property
    def repeated_reply_rate(self) -> float:
        return self.repeated_replies / self.turns if self.turns else 0.0

    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.passed]

    def summary(self) -> dict[str, object]:
        return {
            "target": self.target,
            "dialogues": self.dialogues,
            "turns": self.turns,
            "checks": len(self.checks),
            "pass_rate": round(self.pass_rate(), 4),
            "content_pass_rate": round(self.content_pass_rate, 4),
            "pass_rate_by_kind": {kind: round(self.pass_rate(kind), 4) for kind in CHECK_KINDS},
            "checks_by_kind": {kind: self.count(kind) for kind in CHECK_KINDS},
            "written_pass_rate_by_turn_kind": {k: round(self.written_pass_rate(k), 4) for k in TURN_KINDS},
            "written_checks_by_turn_kind": {k: self.written_count(k) for k in TURN_KINDS},
            "safety_failures_by_turn_kind": {k: self.safety_failures(k) for k in TURN_KINDS},
            "repeated_replies": self.repeated_replies,
            "repeated_reply_rate": round(self.repeated_reply_rate, 4),
            "median_reply_chars": self.median_reply_chars,
        }


def load_dialogues(path: Path = DEFAULT_DIALOGUES) -> list[Dialogue]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Dialogue.model_validate_json(line) for line in lines if line.strip()]


def _contains(reply: str, expected: str) -> bool:
    return normalize(expected) in normalize(reply)


def run_dialogues(container: Container, dialogues: list[Dialogue], target: str) -> DialogueReport:
    """Each dialogue is a new student; turns are a minute apart, answered one by one."""
    checks: list[CheckResult] = []
    replies: list[ShownReply] = []
    records: list[TurnRecord] = []
    lengths: list[int] = []
    repeated = 0
    names = _course_names(container)
    start = datetime(2026, 12, 1, 15, tzinfo=UTC)
    for dialogue in dialogues:
        user = f"whatsapp:+5299{uuid.uuid4().int % 10**8:08d}"
        previous: str | None = None
        consented_before = False
        for index, turn in enumerate(dialogue.turns, start=1):
            message = InboundMessage(
                message_id=f"SM{uuid.uuid4().hex}", user_id=user, text=turn.text,
                received_at=start + timedelta(minutes=index),
            )  # fmt: skip
            started = time.perf_counter()
            reply = container.handle_message(message, timeout=600)
            usage = reply.ai_usage
            records.append(TurnRecord(
                student_text=turn.text, text=reply.text, ai_used=reply.ai_used, calls=usage.calls,
                prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                cached_tokens=usage.cached_tokens, latency_ms=(time.perf_counter() - started) * 1000,
            ))  # fmt: skip
            lengths.append(len(reply.text))
            replies.append(ShownReply(dialogue=dialogue.id, text=reply.text, course_ids=reply.course_ids))

            def check(
                kind: str,
                passed: bool,
                detail: str = "",
                at: int = index,
                name: str = dialogue.id,
                turn_kind: str = turn.kind,
            ) -> None:
                checks.append(
                    CheckResult(dialogue=name, turn=at, kind=kind, passed=passed, detail=detail, turn_kind=turn_kind)
                )

            # A consent counts at the turn that recorded it; an earlier one stays recorded.
            consented = _consent_recorded(container, user)
            recorded_now = consented and not consented_before
            check("consent", consented if turn.consent else not recorded_now,
                  f"{turn.text!r}: consent {'recorded' if recorded_now else 'not recorded'} at this turn")  # fmt: skip
            consented_before = consented
            handed = is_handoff_announcement(reply.text)
            check("handoff", handed == turn.handoff,
                  f"{turn.text!r}: hand-off {'announced' if handed else 'not announced'}: {reply.text!r}")  # fmt: skip

            same = previous is not None and reply.text.strip() == previous.strip()
            repeated += same
            check("no_repeat", not same, f"{turn.text!r} repeated the previous reply" if same else "")
            if turn.intent is not None:
                check("intent", reply.intent.value == turn.intent, f"{turn.text!r}: {reply.intent.value}")
            if turn.course is not None:
                shown = [names.get(cid, cid) for cid in reply.course_ids[:TOP_COURSES]]
                hit = any(normalize(turn.course) == normalize(name) for name in shown)
                check("course", hit, f"{turn.text!r}: wanted {turn.course!r}, shown {shown}")
            for expected in turn.says:
                check("says", _contains(reply.text, expected), f"{turn.text!r}: missing {expected!r} in {reply.text!r}")
            for banned in turn.avoid:
                check("avoid", not _contains(reply.text, banned), f"{turn.text!r}: has {banned!r} in {reply.text!r}")
            previous = reply.text
    return DialogueReport(
        target=target, dialogues=len(dialogues), turns=len(lengths), checks=checks, reply_lengths=lengths,
        repeated_replies=repeated, replies=replies, turn_records=records,
    )  # fmt: skip


def is_handoff_announcement(reply: str) -> bool:
    text = normalize(reply)
    return any(marker in text for marker in HANDOFF_ANNOUNCEMENTS)


def _consent_recorded(container: Container, user: str) -> bool:
    """Whether the student's memory holds a marketing consent after this turn."""
    memory = container.run(container.memory_repository.load_user_memory(user), timeout=60)
    return memory is not None and memory.marketing_consent


def _course_names(container: Container) -> dict[str, str]:
    courses = container.run(container.courses_repository.get_all_courses(limit=10_000), timeout=60)
    return {course.id: course.name for course in courses}


def print_report(report: DialogueReport, *, failures: bool) -> None:
    print(f"Dialogues: {report.target}")
    print(f"  dialogues / turns / checks   {report.dialogues} / {report.turns} / {len(report.checks)}")
    print(f"  all checks                   {report.pass_rate():.1%}")
    print(f"  written checks ({'/'.join(CONTENT_CHECKS)}) {report.content_pass_rate:.1%}")
    for kind in CHECK_KINDS:
        print(f"  {kind:<28} {report.pass_rate(kind):.1%} of {report.count(kind)}")
    print("  by kind of reading          written checks     consent/hand-off failures")
    for k in TURN_KINDS:
        rate, count, unsafe = report.written_pass_rate(k), report.written_count(k), report.safety_failures(k)
        print(f"    {k:<26} {rate:>6.1%} of {count:<6} {unsafe}")
    print(f"  repeated replies             {report.repeated_replies} ({report.repeated_reply_rate:.1%})")
    print(f"  median reply length          {report.median_reply_chars:.0f} characters")
    if failures:
        for failure in report.failures():
            print(f"  FAIL {failure.dialogue}#{failure.turn} {failure.kind}: {failure.detail}")


@contextmanager
def running(settings: Settings) -> Iterator[Container]:
    container = build_container(settings)
    try:
        yield container
    finally:
        container.close()


def basic_container(data_dir: Path) -> AbstractContextManager[Container]:
    return running(Settings(_env_file=None, data_dir=data_dir, database_url=None, openai_api_key=None))  # type: ignore[call-arg]


@contextmanager
def database_container(database_url: str, data_dir: Path) -> Iterator[Container]:
    settings = Settings(_env_file=None, data_dir=data_dir, database_url=database_url, openai_api_key=None)  # type: ignore[call-arg]
    container = build_container(settings)
    try:
        if container.mode.value != "database":
            raise SystemExit(f"expected database mode, got {container.mode.value} (is {database_url} reachable?)")
        yield container
    finally:
        container.close()


@contextmanager
def embedded_catalog_database(directory: Path) -> Iterator[str]:
    """A database on an embedded server, with the course tables and the bundled catalogue."""
    from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
    from app.infrastructure.postgres.catalog_loader import load_catalog_into
    from app.infrastructure.postgres.migrator import apply_migrations
    from app.infrastructure.postgres.sync_client import SyncDatabase
    from tests.postgres import fresh_database, start_embedded_server

    server = start_embedded_server(directory)
    with fresh_database(server) as url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute((REPO_ROOT / "estructura_db.sql").read_bytes())
        with SyncDatabase(url) as database:
            database.open()
            apply_migrations(database)
            load_catalog_into(database, list(load_catalog(bundled_catalog_path())))
        yield url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("dev", "holdout", "both"), default="both", help="which dialogue set")
    parser.add_argument("--dialogues", type=Path, help="score this file instead (reported as one set)")
    parser.add_argument("--database", action="store_true", help="database mode on an embedded PostgreSQL")
    parser.add_argument("--database-url", help="database mode on this database (course tables loaded)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--failures", action="store_true", help="print every failed check")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if the dev set is below {MIN_PASS_RATE:.0%} or repeats a reply"
    )
    ai = parser.add_mutually_exclusive_group()
    ai.add_argument("--endpoint", help="AI mode beside basic mode, at this OpenAI-compatible base URL")
    ai.add_argument("--fake-ai", action="store_true", help="AI mode beside basic mode, on the scripted fake model")
    parser.add_argument("--model", default="gpt-4.1-mini", help="with --endpoint: the model name")
    parser.add_argument("--ai-budget", type=float, default=12.0, help="seconds the AI step of a turn may take")
    parser.add_argument("--response-format", default="auto", choices=("auto", "json_schema", "json_object", "prompt"))
    parser.add_argument("--stream", default="auto", choices=("auto", "on", "off"), help="stream the model's answers")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    chosen = chosen_sets(args.set, args.dialogues)
    if args.endpoint or args.fake_ai:
        return run_ai_comparison(args, chosen)
    with tempfile.TemporaryDirectory(prefix="eval-dialogues-") as tmp:
        data_dir = Path(tmp) / "data"
        if args.database_url:
            with database_container(args.database_url, data_dir) as container:
                reports = run_sets(container, chosen, "database mode")
        elif args.database:
            with embedded_catalog_database(Path(tmp) / "pg") as url, database_container(url, data_dir) as container:
                reports = run_sets(container, chosen, "database mode (embedded PostgreSQL)")
        else:
            with basic_container(data_dir) as container:
                reports = run_sets(container, chosen, "basic mode")
    if args.json:
        print(json.dumps({name: report.summary() for name, report in reports.items()}, ensure_ascii=False))
    else:
        for report in reports.values():
            print_report(report, failures=args.failures)
    return 1 if args.check and not passes_thresholds(reports) else 0


def run_ai_comparison(args: argparse.Namespace, chosen: dict[str, Path]) -> int:
    """Each set in basic mode and through the AI path, printed side by side."""
    from contextlib import nullcontext

    from ai_dialogue_figures import ai_settings, fake_endpoint, figures, print_figures, usage_totals

    endpoint = fake_endpoint() if args.fake_ai else nullcontext((args.endpoint, ()))
    with tempfile.TemporaryDirectory(prefix="eval-dialogues-") as tmp, endpoint as (base_url, markers):
        with basic_container(Path(tmp) / "basic") as container:
            basic = run_sets(container, chosen, "basic mode")
        model = "fake-scripted-model" if args.fake_ai else args.model
        key = os.environ.get("OPENAI_API_KEY") or "sk-local"
        settings = ai_settings(Path(tmp) / "ai", base_url=base_url, model=model, api_key=key, budget=args.ai_budget,
                               response_format=args.response_format, stream=args.stream)  # fmt: skip
        with running(settings) as container:
            with_ai, ai_figures = {}, {}
            for name, path in chosen.items():
                before = usage_totals(container)
                with_ai[name] = run_dialogues(container, load_dialogues(path), target=f"{name} set, AI ({model})")
                ai_figures[name] = figures(container, with_ai[name].turn_records, before, markers)
    if args.json:
        print(json.dumps({name: {"basic": basic[name].summary(), "ai": {**with_ai[name].summary(),
                                                                          **ai_figures[name].summary()}}
                          for name in chosen}, ensure_ascii=False))  # fmt: skip
    else:
        for name in chosen:
            print_report(basic[name], failures=False)
            print_report(with_ai[name], failures=args.failures)
            print_figures(name, ai_figures[name])
    return 1 if args.check and not passes_thresholds(with_ai) else 0


def chosen_sets(which: str, override: Path | None) -> dict[str, Path]:
    if override is not None:
        return {override.stem: override}
    return {name: path for name, path in DIALOGUE_SETS.items() if which in {name, "both"}}


def run_sets(container: Container, sets: dict[str, Path], mode: str) -> dict[str, DialogueReport]:
    """Each set on the same container, reported apart (never merged into one figure)."""
    return {
        name: run_dialogues(container, load_dialogues(path), target=f"{name} set, {mode}")
        for name, path in sets.items()
    }


def passes_thresholds(reports: dict[str, DialogueReport]) -> bool:
    """The thresholds hold on the development set; the held-out set is reported, not asserted."""
    asserted = [report for name, report in reports.items() if name != "holdout"]
    return all(r.pass_rate() >= MIN_PASS_RATE and r.repeated_replies <= MAX_REPEATED_REPLIES for r in asserted)


if __name__ == "__main__":
    raise SystemExit(main())
