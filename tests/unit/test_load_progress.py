"""The fault runs' progress lines: the counts as they stand, a line every period and one at the end."""

from __future__ import annotations

import threading

from tests.load.progress import Progress, TrafficCounts

UNREACHABLE = "postgresql://advisor@127.0.0.1:1/none"  # nothing listens on port 1: refused at once


def test_progress_lines_carry_the_counts_and_survive_an_unreachable_database() -> None:
    lines: list[str] = []
    periodic = threading.Event()

    def emit(line: str) -> None:
        lines.append(line)
        periodic.set()

    counts = TrafficCounts(planned=10)
    with Progress("baseline", UNREACHABLE, counts, lambda: 4, emit, every=0.05) as progress:
        counts.sent, counts.acknowledged = 7, 6
        assert periodic.wait(30), "no line while the run went on"
        progress.phase = "settling"
    final = lines[-1]
    assert "[baseline" in final and "settling]" in final
    assert "webhooks sent 7/10, acknowledged 6" in final and "parts at Twilio 4" in final
    assert "database unreachable (OperationalError)" in final
    assert len(lines) >= 2  # the periodic one(s), then the last
