"""What the AI did on a dialogue run: read turns, replies sent, fallbacks, invented facts, cost.

Used by scripts/eval_dialogues.py with --endpoint (any OpenAI-compatible server) or --fake-ai
(the scripted fake of tests/ai/fake_openai.py, which adds an invented fact to every third
reply). An invented fact sent is a model reply that went out although the grounding check,
run again on it against the whole catalogue and the whole school file, finds a claim they
do not back (or, with the fake, that carries one of its invented sentences): it must be 0.
An off-language reply sent is a model reply that went out in another language than the
student's message (Spanish unless the message is clearly English): it must be 0.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, Field

from app.bootstrap.container import Container
from app.config import Settings
from app.domain.ai import AIUsageTotals
from app.domain.grounding import check_reply
from app.domain.reply_checks import language_of

MIN_WORDS_TO_JUDGE_LANGUAGE = 4


class BatchSettings(Settings):
    """No webhook waits on an evaluation: the AI step gets the budget given, like the REST worker."""

    eval_ai_budget_seconds: float = Field(default=12.0, gt=0, le=600)

    @property
    def ai_turn_budget_seconds(self) -> float:
        return self.eval_ai_budget_seconds


class TurnRecord(BaseModel):
    """One turn as the AI path handled it."""

    student_text: str
    text: str
    ai_used: bool
    calls: int
    prompt_tokens: int
    completion_tokens: int
    cached_tokens: int
    latency_ms: float


class AIFigures(BaseModel):
    """The AI side of one dialogue set."""

    turns: int
    consulted: int
    model_replies_sent: int
    fallbacks: dict[str, int]
    exempt: dict[str, int]
    invented_facts_sent: int
    invented_examples: list[str] = Field(default_factory=list)
    off_language_sent: int
    prompt_tokens_per_turn: float
    completion_tokens_per_turn: float
    cached_tokens_per_turn: float
    latency_ms_p50: float
    latency_ms_p95: float
    latency_ms_mean: float

    @property
    def consulted_share(self) -> float:
        return self.consulted / self.turns if self.turns else 0.0

    @property
    def sent_share(self) -> float:
        return self.model_replies_sent / self.turns if self.turns else 0.0

    def summary(self) -> dict[str, object]:
        return {
            **self.model_dump(exclude={"invented_examples"}),
            "consulted_share": round(self.consulted_share, 4),
            "model_replies_sent_share": round(self.sent_share, 4),
        }


def figures(container: Container, records: list[TurnRecord], before: AIUsageTotals,
            markers: tuple[str, ...] = ()) -> AIFigures:  # fmt: skip
    """The run's figures; `before` is the usage snapshot taken when the set started."""
    after = usage_totals(container)
    courses = container.run(container.courses_repository.get_all_courses(limit=10_000), timeout=60)
    school = tuple(entry.answer for entry in container.knowledge.entries)
    invented: list[str] = []
    off_language = 0
    for record in records:
        if not record.ai_used:
            continue
        report = check_reply(record.text, courses, knowledge=school)
        if not report.ok or any(marker in record.text for marker in markers):
            invented.append(record.text)
        words = len(record.text.split())
        wanted = "en" if language_of(record.student_text) == "en" else "es"
        if words >= MIN_WORDS_TO_JUDGE_LANGUAGE and language_of(record.text) != wanted:
            off_language += 1
    turns = len(records) or 1
    latencies = sorted(r.latency_ms for r in records) or [0.0]
    return AIFigures(
        turns=len(records),
        consulted=after.consulted - before.consulted,
        model_replies_sent=sum(r.ai_used for r in records),
        fallbacks=_delta(after.fallbacks, before.fallbacks),
        exempt=_delta(after.exempt, before.exempt),
        invented_facts_sent=len(invented),
        invented_examples=invented[:5],
        off_language_sent=off_language,
        prompt_tokens_per_turn=round(sum(r.prompt_tokens for r in records) / turns, 1),
        completion_tokens_per_turn=round(sum(r.completion_tokens for r in records) / turns, 1),
        cached_tokens_per_turn=round(sum(r.cached_tokens for r in records) / turns, 1),
        latency_ms_p50=round(statistics.median(latencies), 1),
        latency_ms_p95=round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))], 1),
        latency_ms_mean=round(statistics.fmean(latencies), 1),
    )


def usage_totals(container: Container) -> AIUsageTotals:
    advisor = container.ai_advisor
    return advisor.usage_totals() if advisor is not None else AIUsageTotals()


def _delta(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    changed = {key: value - before.get(key, 0) for key, value in after.items()}
    return {key: value for key, value in sorted(changed.items()) if value}


def print_figures(name: str, ai: AIFigures) -> None:
    print(f"  AI path ({name} set)")
    print(f"    turns / read by the model    {ai.turns} / {ai.consulted} ({ai.consulted_share:.1%})")
    print(f"    exempt turns                 {ai.exempt}")
    print(f"    model replies sent           {ai.model_replies_sent} ({ai.sent_share:.1%})")
    print(f"    fallbacks by reason          {ai.fallbacks}")
    print(f"    invented facts sent          {ai.invented_facts_sent}")
    print(f"    off-language replies sent    {ai.off_language_sent}")
    print(f"    tokens per turn              prompt {ai.prompt_tokens_per_turn}, completion "
          f"{ai.completion_tokens_per_turn}, cached {ai.cached_tokens_per_turn}")  # fmt: skip
    print(f"    latency per turn             p50 {ai.latency_ms_p50:.0f} ms, p95 {ai.latency_ms_p95:.0f} ms, "
          f"mean {ai.latency_ms_mean:.0f} ms")  # fmt: skip
    for example in ai.invented_examples:
        print(f"    INVENTED {example!r}")


def ai_settings(data_dir: Path, *, base_url: str | None, model: str, api_key: str, budget: float,
                response_format: str = "auto", stream: str = "auto") -> Settings:  # fmt: skip
    """The bundled catalogue and JSON memory, with the AI at this endpoint (ai_only mode)."""
    return BatchSettings(  # type: ignore[call-arg]
        _env_file=None, data_dir=data_dir, database_url=None, openai_api_key=api_key, openai_base_url=base_url,
        openai_model=model, openai_timeout_seconds=budget, openai_max_retries=0, eval_ai_budget_seconds=budget,
        openai_response_format=response_format, openai_stream=stream,
    )  # fmt: skip


@contextmanager
def fake_endpoint() -> Iterator[tuple[str, tuple[str, ...]]]:
    """The scripted fake model on a loopback port, and the invented sentences it may add."""
    from tests.ai.fake_openai import HALLUCINATIONS, FakeOpenAI, ScriptedModel

    fake = FakeOpenAI().start()
    fake.always(ScriptedModel(hallucinate_every=3))
    try:
        yield fake.base_url, tuple(sentence for _, sentence in HALLUCINATIONS)
    finally:
        fake.close()
