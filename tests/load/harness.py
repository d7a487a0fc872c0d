"""One fault or load run end to end: a fresh database, `db init`, gunicorn and worker processes,
the fake Twilio (and a fake AI when the scenario needs one), the students' traffic, a fault in
the middle of it, then the per-message checks of tests/load/outcome.py.

    .venv/bin/python -m tests.load.harness --scenario baseline [--users 50 --messages 200]

prints one summary line per run (and the details of anything that went wrong).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.ai.fake_openai import FakeOpenAI
from tests.ai.fake_openai import hang as ai_hang
from tests.load.outcome import Outcome, check, wait_until_settled
from tests.load.postgres_process import PostgresProcess
from tests.load.processes import AppEnvironment, Deployment
from tests.load.progress import Progress, TrafficCounts
from tests.load.slow_clients import SlowClients
from tests.load.traffic import TrafficResult, make_plan, send
from tests.postgres import fresh_database
from tests.twilio_fake import TwilioFake

FAULT_AT = 5.0  # seconds into the traffic: everyone is busy by then


@dataclass
class Run:
    """What a fault can act on while the traffic flows."""

    deployment: Deployment
    twilio: TwilioFake
    postgres: PostgresProcess | None
    evidence: dict[str, int] = field(default_factory=dict)


Fault = Callable[[Run], None]


def kill_worker(down_seconds: float = 3.0) -> Fault:
    def act(run: Run) -> None:
        # A job lasts tens of milliseconds: the kill waits for a moment when jobs are running.
        run.evidence["jobs_running_at_kill"] = wait_for_running_jobs(run.deployment.environment.database_url)
        run.deployment.kill_worker(0)  # kill -9 mid-stream: its jobs are stalled until taken over
        time.sleep(down_seconds)
        run.deployment.start_worker()

    return act


def kill_web_worker(times: int = 2, every: float = 3.0) -> Fault:
    def act(run: Run) -> None:
        for _ in range(times):
            run.deployment.kill_web_worker()  # requests in flight die with it: Twilio retries them
            time.sleep(every)

    return act


def restart_postgres(down_seconds: float = 3.0) -> Fault:
    def act(run: Run) -> None:
        assert run.postgres is not None, "a PostgreSQL restart needs a server the harness runs"
        before = started_at(run.postgres.url)
        run.postgres.stop("immediate")  # a crash: connections cut, recovery at start
        time.sleep(down_seconds)
        run.postgres.start()
        run.evidence["postgres_restarts"] = int(started_at(run.postgres.url) > before)

    return act


def slow_clients(count: int = 200, seconds: float = 25.0) -> Fault:
    """`count` slowloris connections (headers a byte a second) to the web process for `seconds`."""

    def act(run: Run) -> None:
        clients = SlowClients("127.0.0.1", run.deployment.environment.port, count).start()
        time.sleep(seconds)
        counts = clients.stop()
        run.evidence.update(
            slow_connections=counts.opened, slow_closed_by_server=counts.closed_by_server,
            slow_answered_408=counts.timed_out_answers,
        )  # fmt: skip

    return act


def twilio_outage(errors_500: float, errors_429: float) -> Fault:
    return lambda run: run.twilio.outage(errors_500, errors_429)


@dataclass
class Scenario:
    name: str
    users: int = 200
    messages: int = 800  # distinct; duplicates come on top
    duplicate_share: float = 0.2
    web_workers: int = 2
    workers: int = 2
    concurrency: int = 8
    burst_window_seconds: float = 1.0
    fault: Fault | None = None
    fault_at: float = FAULT_AT
    twilio_latency: float = 0.0
    ai: str = "none"  # none (templates), hang (a fake AI that never answers in time)
    settle_seconds: float = 90.0
    extra_env: dict[str, str] = field(default_factory=dict)
    seed: int = 9


# The AI step gives up quickly (templates answer), and the breaker tries the hanging AI again
# every 5 s, so hangs keep happening throughout the run.
AI_HANGS_ENV = {
    "OPENAI_TIMEOUT_SECONDS": "1", "OPENAI_MAX_RETRIES": "0", "AI_BUDGET_SECONDS": "1.5", "AI_COOLDOWN_SECONDS": "5",
}  # fmt: skip

SCENARIOS: dict[str, Scenario] = {
    "baseline": Scenario("baseline"),
    "kill_worker": Scenario("kill_worker", fault=kill_worker()),
    "kill_web": Scenario("kill_web", fault=kill_web_worker()),
    "restart_postgres": Scenario("restart_postgres", fault=restart_postgres()),
    "twilio_outage": Scenario("twilio_outage", fault=twilio_outage(10.0, 10.0), settle_seconds=120.0),
    "twilio_slow": Scenario("twilio_slow", twilio_latency=1.5, settle_seconds=150.0),
    # Tappable replies under load: every list a list-picker made through the Content API, from two
    # workers at once (one resource per distinct list), over more than 1,000 turns.
    "tappable": Scenario("tappable", users=1100, messages=1300, burst_window_seconds=0.0, settle_seconds=120.0),
    # Smaller, so that it stays short: the slow clients are there from the first webhook on.
    "slow_clients": Scenario("slow_clients", users=50, messages=200, fault=slow_clients(), fault_at=0.0),
    # Every create is answered after the client's timeout (TWILIO_TIMEOUT_SECONDS=5) and made
    # then: each part is found in Twilio's list, 4 s after the timeout, not sent again.
    "late_creates": Scenario(
        "late_creates", users=30, messages=60, twilio_latency=6.5, settle_seconds=150.0,
        extra_env={"TWILIO_LATE_CREATE_SECONDS": "4"},
    ),
    "ai_hangs": Scenario(
        "ai_hangs", ai="hang",
        extra_env={"OPENAI_TIMEOUT_SECONDS": "1", "OPENAI_MAX_RETRIES": "0", "AI_BUDGET_SECONDS": "1.5",
                   "AI_COOLDOWN_SECONDS": "5"},
    ),
}


def run(
    scenario: Scenario, admin_url: str, postgres: PostgresProcess | None = None, emit: Callable[[str], None] = print
) -> Outcome:
    """The whole scenario; the processes and fakes are stopped whatever happens. `emit` gets a
    progress line every few seconds."""
    plan = make_plan(scenario.users, scenario.messages, scenario.duplicate_share, seed=scenario.seed)
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(fresh_database(admin_url))
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=f"load-{scenario.name}-")))
        twilio = TwilioFake().start()
        stack.callback(twilio.close)
        twilio.latency = scenario.twilio_latency
        twilio.status_callbacks = True
        openai_url, fake_ai = None, None
        if scenario.ai == "hang":
            fake_ai = FakeOpenAI().start()
            stack.callback(fake_ai.close)
            fake_ai.always(ai_hang(30))
            openai_url = fake_ai.base_url
        environment = AppEnvironment(
            database_url, twilio.base_url, directory / "data", burst_window_seconds=scenario.burst_window_seconds,
            openai_base_url=openai_url, extra=scenario.extra_env,
        )  # fmt: skip
        deployment = Deployment(environment, directory)
        stack.callback(deployment.close)
        deployment.release()
        deployment.start_web(scenario.web_workers)
        for _ in range(scenario.workers):
            deployment.start_worker(scenario.concurrency)

        fault_errors: list[BaseException] = []
        fault_thread = None
        target = Run(deployment, twilio, postgres)
        if scenario.fault is not None:
            fault_thread = _later(scenario.fault_at, scenario.fault, target, fault_errors)
        started = time.monotonic()
        counts = TrafficCounts(planned=len(plan.posts))
        with Progress(scenario.name, database_url, counts, lambda: len(twilio.sent()), emit) as progress:
            public = environment.public_base_url
            traffic = asyncio.run(send(plan, public, public, counts=counts))
            if fault_thread is not None:
                progress.phase = "waiting for the fault to end"
                fault_thread.join(60)
                if fault_thread.is_alive() or fault_errors:
                    raise RuntimeError(f"the fault did not complete: {fault_errors}")
            progress.phase = "settling"
            settled = wait_until_settled(database_url, scenario.settle_seconds, quiet_jobs_for=10.0)
        seconds = time.monotonic() - started
        outcome = check(scenario.name, database_url, plan, traffic, twilio.sent(), seconds)
        outcome.evidence = _evidence(twilio, fake_ai, traffic) | target.evidence | _turns(database_url)
        if not settled:
            outcome.notes.append(f"not settled within {scenario.settle_seconds:.0f} s")
        if violations := twilio.violations:
            outcome.notes.append(f"requests that break Twilio's API description: {violations[:3]}")
        if dead := deployment.dead_workers():
            outcome.notes.append(f"workers exited by themselves: {dead}")
        if violations := twilio.violations:  # requests Twilio's OpenAPI description rejects
            outcome.notes.append(f"{len(violations)} requests break Twilio's API contract, first: {violations[0]}")
        if not outcome.clean or outcome.notes:
            kept = Path(tempfile.mkdtemp(prefix=f"load-{scenario.name}-logs-"))
            for log in directory.glob("*.log"):
                shutil.copy(log, kept)
            outcome.notes.append(f"logs kept in {kept}; their ends:\n" + deployment.logs(25))
        return outcome


def started_at(url: str) -> float:
    """When the server (postmaster) started, as a Unix time."""
    with psycopg.connect(url, connect_timeout=5) as connection:
        row = connection.execute("SELECT extract(epoch FROM pg_postmaster_start_time())").fetchone()
    assert row is not None
    return float(row[0])


def wait_for_running_jobs(database_url: str, within: float = 10.0) -> int:
    """Queue jobs being worked on (by any worker) at the first moment there are some, or 0."""
    deadline = time.monotonic() + within
    with psycopg.connect(database_url, connect_timeout=5, autocommit=True) as connection:
        while True:
            row = connection.execute("SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing'").fetchone()
            running = int(row[0]) if row else 0
            if running or time.monotonic() >= deadline:
                return running
            time.sleep(0.005)


def _evidence(twilio: TwilioFake, fake_ai: FakeOpenAI | None, traffic: TrafficResult) -> dict[str, int]:
    """Counts that show the run exercised what it claims: a test asserts on them."""
    statuses = [a.status for a in twilio.attempts]
    callbacks = twilio.callbacks
    evidence = {
        "webhook_retries": traffic.retries,
        "twilio_500": statuses.count(500),
        "twilio_429": statuses.count(429),
        "callbacks_accepted": sum(1 for c in callbacks if 200 <= c.answer < 300),
        "callbacks": len(callbacks),
        "ack_p99_ms": round(traffic.acknowledgement_p99 * 1000),
    }
    if fake_ai is not None:
        evidence["ai_calls"] = fake_ai.calls
    contents = twilio.contents
    distinct = {json.dumps(request["types"], sort_keys=True) for request in contents.values()}
    evidence["tappable_sent"] = sum(1 for m in twilio.sent() if m.content_sid)
    evidence["content_resources"] = len(contents)
    evidence["content_duplicates"] = len(contents) - len(distinct)  # resources made twice for one content
    return evidence


def _turns(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url, connect_timeout=5) as connection:
        row = connection.execute("SELECT count(*) FROM reply_turns").fetchone()
    return {"turns": int(row[0]) if row else 0}


def _later(delay: float, fault: Fault, target: Run, errors: list[BaseException]) -> threading.Thread:
    def act() -> None:
        time.sleep(delay)
        try:
            fault(target)
        except BaseException as error:  # reported by the run, which must not pass without its fault
            errors.append(error)

    thread = threading.Thread(target=act, name="fault", daemon=True)
    thread.start()
    return thread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--users", type=int)
    parser.add_argument("--messages", type=int)
    args = parser.parse_args()
    # SIGTERM unwinds like Ctrl-C, so that the servers and processes started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    postgres = PostgresProcess().init()
    postgres.start()
    try:
        for name in args.scenario or list(SCENARIOS):
            scenario = SCENARIOS[name]
            scenario.users = args.users or scenario.users
            scenario.messages = args.messages or scenario.messages
            outcome = run(scenario, postgres.url, postgres, emit=lambda line: print(line, file=sys.stderr, flush=True))
            print(outcome.summary(), flush=True)
            if not outcome.clean or outcome.notes:
                print(outcome.details(), flush=True)
    finally:
        postgres.remove()


if __name__ == "__main__":
    main()
