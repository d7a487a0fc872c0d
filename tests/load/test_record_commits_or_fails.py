"""The webhook's write (MessageIntake.record) either commits or raises, even when PostgreSQL
crashes in the middle of its transaction (issue 9, item 1: "never a 200 for a message that is
not stored"): the webhook answers 200 when `record` returns.

The fault runs (test_delivery_faults.py) crash the server once among 1,000 webhooks, and the
window in which a commit can go missing is milliseconds wide; this test aims at it directly:
eight threads record messages as fast as they can while the server is crashed
(`pg_ctl -m immediate`) three times, then every message `record` returned for must be there.
"""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import UTC, datetime

import psycopg
import pytest

from app.domain.messages import InboundMessage
from app.infrastructure.queue.intake import IntakeOptions, MessageIntake
from tests.load.processes import ROOT, VENV_BIN
from tests.postgres import fresh_database

pytestmark = [pytest.mark.load, pytest.mark.postgres]

THREADS = 8
CRASHES = 3


def test_a_recorded_message_is_committed_across_server_crashes(load_server):
    url, server = load_server
    if server is None:
        pytest.skip("TEST_DATABASE_URL is set: crashing PostgreSQL needs a server the suite runs itself")
    with fresh_database(url) as database_url:
        subprocess.run([str(VENV_BIN / "python"), "-m", "app", "db", "init"], cwd=ROOT, check=True,
                       capture_output=True, env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"})  # fmt: skip
        intake = MessageIntake(IntakeOptions(database_url=database_url, burst_window_seconds=1.0))
        intake.open()
        returned: list[str] = []
        refused = 0
        stop = threading.Event()

        def record_until_stopped(thread: int) -> None:
            nonlocal refused
            count = 0
            while not stop.is_set():
                count += 1
                sid = f"SMc{thread:02d}{count:029d}"
                message = InboundMessage(message_id=sid, user_id=f"whatsapp:+5735{thread:08d}", text="hola",
                                         received_at=datetime.now(UTC))  # fmt: skip
                try:
                    intake.record(message)
                except Exception:  # any refusal is fine: the webhook answers 5xx and Twilio retries
                    refused += 1
                    time.sleep(0.05)
                else:
                    returned.append(sid)

        threads = [threading.Thread(target=record_until_stopped, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        try:
            for _ in range(CRASHES):
                time.sleep(1.5)
                server.stop("immediate")
                time.sleep(0.5)
                server.start()
            time.sleep(1.0)
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
            intake.close()
        with psycopg.connect(database_url) as connection:
            stored = {row[0] for row in connection.execute("SELECT message_sid FROM conversation_messages")}
    missing = sorted(set(returned) - stored)
    assert refused > 0  # the crashes did interrupt the writes
    assert not missing, f"record() returned for {len(missing)} of {len(returned)} messages never committed: {missing}"
