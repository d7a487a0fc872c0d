"""CPU per chat-completions call of the openai client, the way the adapter calls it beside
the library's defaults, in one run (docs/ai.md, "Time budget and degradation").

A fake chat-completions server (bench/slow_ai.py, its own process) answers every request
after `--delay` seconds; `--calls` requests at once per round, after a warm-up round. The
figure is this process's CPU time per call: what a worker pays per AI turn.

    .venv/bin/python bench/bench_ai_client.py [--calls 400] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from openai import AsyncOpenAI, DefaultAioHttpClient
from openai.types.chat import ChatCompletion

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.infrastructure.openai.adapter import Completion, post_completion  # noqa: E402

# About the size of the adapter's prompt: instructions, a few courses, the conversation.
MESSAGES = [{"role": "system", "content": "x" * 3_000}, {"role": "user", "content": "tengo una tienda, me ayudan?"}]
BODY: dict[str, Any] = {
    "model": "fake",
    "messages": MESSAGES,
    "response_format": {"type": "json_object"},
    "temperature": 0.3,
    "max_completion_tokens": 300,
}


def variants(base_url: str) -> dict[str, Callable[[], tuple[AsyncOpenAI, Callable[[AsyncOpenAI], Awaitable[Any]]]]]:
    def client(aiohttp: bool) -> AsyncOpenAI:
        http_client = DefaultAioHttpClient() if aiohttp else None
        return AsyncOpenAI(api_key="sk-bench", base_url=base_url, max_retries=0, http_client=http_client)

    async def create(ai: AsyncOpenAI) -> Any:
        return await ai.chat.completions.create(**BODY)

    async def post(ai: AsyncOpenAI) -> Any:
        return await ai.post("/chat/completions", body=BODY, cast_to=ChatCompletion)

    async def adapter(ai: AsyncOpenAI) -> Any:
        return await post_completion(ai, BODY)

    return {
        "httpx transport, chat.completions.create (the library's default)": lambda: (client(False), create),
        "aiohttp transport, chat.completions.create": lambda: (client(True), create),
        "aiohttp transport, post to /chat/completions, typed ChatCompletion": lambda: (client(True), post),
        "aiohttp transport, post, JSON validated by Completion (the adapter)": lambda: (client(True), adapter),
    }


async def cpu_per_call(make: Callable[[], tuple[AsyncOpenAI, Callable[[AsyncOpenAI], Awaitable[Any]]]],
                       calls: int) -> float:  # fmt: skip
    ai, call = make()
    try:
        await asyncio.gather(*(call(ai) for _ in range(50)))  # connections and lazy imports
        started = time.process_time()
        answers = await asyncio.gather(*(call(ai) for _ in range(calls)))
        spent = time.process_time() - started
    finally:
        await ai.close()
    assert all(isinstance(answer, ChatCompletion | Completion) and answer.choices for answer in answers)
    return spent / calls * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--delay", type=float, default=0.3)
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(ROOT / "bench" / "slow_ai.py"), "--delay", str(args.delay)],
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        figures: dict[str, list[float]] = {}
        for _ in range(args.rounds):  # interleaved, so that a busy moment touches every variant
            for name, make in variants(base_url).items():
                figures.setdefault(name, []).append(asyncio.run(cpu_per_call(make, args.calls)))
    finally:
        server.terminate()
        server.wait(10)
    print(f"{args.calls} calls at once x {args.rounds} rounds; CPU ms per call (median of the rounds)")
    baseline = statistics.median(next(iter(figures.values())))
    for name, values in figures.items():
        median = statistics.median(values)
        print(f"{name:<68} {median:6.2f} ms   x {baseline / median:4.1f}")


if __name__ == "__main__":
    main()
