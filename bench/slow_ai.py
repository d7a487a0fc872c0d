"""A fake chat-completions server (tests/ai/fake_openai.py) whose every answer takes `--delay`
seconds, as its own process: the end-to-end benchmark's model. Prints its base URL first.

    .venv/bin/python bench/slow_ai.py --delay 1.0
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.ai.fake_openai import FakeOpenAI, Step, answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    respond = answer(reply="¡Claro! Te cuento sobre nuestros cursos.")
    assert callable(respond)

    def slow(request: dict[str, Any]) -> Step:
        return dataclasses.replace(respond(request), delay=args.delay)

    fake = FakeOpenAI().start()
    fake.always(slow)
    print(fake.base_url, flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    fake.close()


if __name__ == "__main__":
    main()
