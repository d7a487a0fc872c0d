"""The ConversationAI port on the openai library's chat-completions API.

Works with OpenAI and with any compatible server (a local model server, a proxy) through
OPENAI_BASE_URL. Twilio waits 15 seconds for a webhook answer, so time is the first
concern: every attempt has its own timeout, the whole call has a hard deadline (the
budget) enforced with asyncio, and the library's own retries are off (its defaults are a
600 s timeout and 2 retries, and it may sleep up to a minute on Retry-After) because this
adapter retries at most once itself, and only when the budget still has room for it.
That also lets it count every request it sends.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import anyio.lowlevel
import openai
from openai import AsyncOpenAI, DefaultAioHttpClient, Timeout
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.application.errors import AIUnavailableError
from app.domain.ai import AIAnalysis, AIFailure, AIRequest, AIUsage
from app.domain.intents import Intent
from app.domain.profile import ProfileUpdate
from app.infrastructure.openai.dialect import FormatLadder, ResponseFormat, ServerDialect, refuses_format
from app.infrastructure.openai.prompt import ACTS, CANARY, MAX_COMPLETION_TOKENS, Prompt, build_prompt, response_format
from app.infrastructure.openai.streaming import read_stream

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-4.1-mini"
DEFAULT_ATTEMPT_TIMEOUT = 6.0
DEFAULT_MAX_RETRIES = 1
DEFAULT_BUDGET_SECONDS = 8.0
CONNECT_TIMEOUT = 2.0
# A retry that cannot get this long is not worth sending.
MIN_ATTEMPT_SECONDS = 1.5
RETRY_BACKOFF_SECONDS = 0.25
TEMPERATURE = 0.3
MAX_REPLY_CHARS = 1_500
_RETRYABLE = frozenset({AIFailure.TIMEOUT, AIFailure.CONNECTION, AIFailure.RATE_LIMITED, AIFailure.SERVER_ERROR})
_CODE_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")
_MAX_WIRE_ITEMS = 20
MAX_READING_ITEMS = 5


class _WireProfile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    role: str | None = None
    level: str | None = None
    interests: list[str] = Field(default_factory=list, max_length=20)
    pain_points: list[str] = Field(default_factory=list, max_length=20)


class _WireAnswer(BaseModel):
    """The structured answer as the API returns it, before refs become course ids.

    The reading fields beside intent and reply have defaults: a server without strict
    schemas may leave one out, and the reply is still worth checking."""

    model_config = ConfigDict(extra="ignore")

    intent: Intent
    confidence: float
    profile: _WireProfile
    course_refs: list[str] = Field(max_length=_MAX_WIRE_ITEMS)
    reply: str = Field(min_length=1, max_length=MAX_REPLY_CHARS)
    acts: list[str] = Field(default_factory=list, max_length=_MAX_WIRE_ITEMS)
    facets: list[str] = Field(default_factory=list, max_length=_MAX_WIRE_ITEMS)
    pending_answer: str = "none"
    language: str = ""


class CompletionMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    content: str | None = None
    refusal: str | None = None


class CompletionChoice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    message: CompletionMessage
    finish_reason: str | None = None


class PromptTokensDetails(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cached_tokens: int | None = None


class CompletionUsage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    prompt_tokens_details: PromptTokensDetails | None = None


class Completion(BaseModel):
    """The part of a chat completion this adapter reads, validated at the boundary."""

    model_config = ConfigDict(extra="ignore")

    choices: list[CompletionChoice] = Field(default_factory=list)
    usage: CompletionUsage | None = None


async def post_completion(client: AsyncOpenAI, body: dict[str, Any], limits: Timeout | None = None) -> Completion:
    """One chat completion through the client's own `post`, its JSON validated by Completion.

    The typed `create` walks the whole prompt to transform its parameters, and the typed
    ChatCompletion is built field by field in Python: 1.80 ms of CPU per call with both
    against 1.05 ms this way (bench/bench_ai_client.py, docs/ai.md). Auth, status errors and
    timeouts stay the client's. Raises pydantic's ValidationError for an answer that is not
    a chat completion, and json.JSONDecodeError for one that is not JSON.
    """
    options = {"timeout": limits} if limits is not None else {}
    raw = await client.post("/chat/completions", body=body, cast_to=object, options=options)
    return Completion.model_validate(raw)


class _AttemptError(Exception):
    def __init__(self, reason: AIFailure, detail: str, retry_after: float | None = None, status: int = 0) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail
        self.retry_after = retry_after
        self.status = status


class OpenAIConversationAI:
    """One structured chat-completions call per message, within a hard time budget."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str = DEFAULT_MODEL,
        base_url: str | None = None,
        attempt_timeout: float = DEFAULT_ATTEMPT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        budget_seconds: float = DEFAULT_BUDGET_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        dialect: ServerDialect | None = None,
    ) -> None:
        self._dialect = dialect or ServerDialect.for_server(base_url)
        self._formats = FormatLadder(self._dialect)
        self._api_key = api_key
        self._model = model
        self._base_url = base_url
        self._attempt_timeout = attempt_timeout
        self._max_retries = max_retries
        self._budget = budget_seconds
        self._clock = clock
        self._client: AsyncOpenAI | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    @property
    def model(self) -> str:
        return self._model

    @property
    def response_format(self) -> ResponseFormat:
        return self._formats.current

    async def analyse(self, request: AIRequest) -> AIAnalysis:
        deadline = self._clock() + self._budget
        usage = AIUsage()
        failure = _AttemptError(AIFailure.TIMEOUT, "no time left for a first attempt")
        attempt = 0
        while attempt <= self._max_retries:
            remaining = deadline - self._clock()
            if remaining < (MIN_ATTEMPT_SECONDS if attempt else 0.05):
                break
            kind = self._formats.current
            prompt = self._prompt(request, kind)
            usage += AIUsage(calls=1)
            try:
                completion = await self._attempt(prompt, kind, remaining)
            except _AttemptError as error:
                failure = error
                if self._refused_format(error, kind):
                    continue  # the same attempt again, in the next format: not a retry
                if not self._worth_retrying(error, deadline):
                    break
                logger.info("AI attempt %d failed (%s); retrying once", attempt + 1, error.reason.value)
                attempt += 1
                await asyncio.sleep(RETRY_BACKOFF_SECONDS)
                continue
            usage += _usage(completion)
            analysis = _parse(completion, prompt, usage, strict=kind == "json_schema", rules=request)
            self._formats.confirm(kind)
            return analysis
        raise AIUnavailableError(failure.reason, failure.detail, usage)

    def _prompt(self, request: AIRequest, kind: ResponseFormat) -> Prompt:
        return build_prompt(request, response_format=kind, instructions_role=self._dialect.instructions_role)

    def _refused_format(self, error: _AttemptError, kind: ResponseFormat) -> bool:
        if error.reason not in {AIFailure.BAD_REQUEST, AIFailure.SERVER_ERROR} or kind == "prompt":
            return False
        return refuses_format(error.status, error.detail) and self._formats.step_down(kind, error.status, error.detail)

    async def warm_up(self) -> None:
        """Create the client on this loop and load anyio's asyncio backend, which its first
        request would otherwise import (about 0.3 s, in the middle of a burst)."""
        self._client_for_loop()
        await anyio.lowlevel.checkpoint()

    async def aclose(self) -> None:
        """Close the HTTP connections; call on the loop that used them."""
        if self._client is not None:
            await self._client.close()
            self._client, self._client_loop = None, None

    async def _attempt(self, prompt: Prompt, kind: ResponseFormat, remaining: float) -> Completion:
        timeout = min(self._attempt_timeout, remaining)
        send = read_stream if self._dialect.stream else post_completion
        try:
            # The per-request timeout bounds each network wait; asyncio bounds the whole
            # attempt, because a server that trickles bytes never trips a read timeout.
            async with asyncio.timeout(timeout):
                return await send(
                    self._client_for_loop(),
                    self._completion_body(prompt, kind),
                    Timeout(timeout, connect=min(CONNECT_TIMEOUT, timeout)),
                )
        except ValidationError as error:
            raise _AttemptError(AIFailure.MALFORMED, f"not a chat completion: {_schema_problems(error)}") from error
        except json.JSONDecodeError as error:  # a 200 labelled JSON that is not (a proxy's page)
            raise _AttemptError(AIFailure.MALFORMED, f"the answer is not JSON: {error}") from error
        except TimeoutError as error:
            raise _AttemptError(AIFailure.TIMEOUT, f"no answer within {timeout:.1f}s") from error
        except openai.OpenAIError as error:
            raise _classify(error) from error

    def _completion_body(self, prompt: Prompt, kind: ResponseFormat) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._model,
            "messages": list(prompt.messages),
            "temperature": TEMPERATURE,
            self._dialect.token_limit_param: MAX_COMPLETION_TOKENS,
        }
        shape = response_format(kind)
        if shape is not None:
            body["response_format"] = shape
        return body

    def _worth_retrying(self, error: _AttemptError, deadline: float) -> bool:
        if error.reason not in _RETRYABLE:
            return False
        left = deadline - self._clock() - RETRY_BACKOFF_SECONDS
        if error.retry_after is not None and error.retry_after > left - MIN_ATTEMPT_SECONDS:
            return False  # the server asked us to wait longer than the student can
        return left >= MIN_ATTEMPT_SECONDS

    def _client_for_loop(self) -> AsyncOpenAI:
        """The client of the running loop: created lazily on the engine's loop, kept for its life."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = AsyncOpenAI(
                api_key=self._api_key,
                base_url=self._base_url,
                timeout=Timeout(self._attempt_timeout, connect=CONNECT_TIMEOUT),
                max_retries=0,  # retries are ours: counted, and only within the budget
                # aiohttp instead of httpx's anyio transport: 2.3 against 3.8 ms of CPU a call
                # (bench/bench_ai_client.py), which bounds a worker's turns per second.
                http_client=DefaultAioHttpClient(),
            )
            self._client_loop = loop
        return self._client


def _classify(error: openai.OpenAIError) -> _AttemptError:
    detail = f"{type(error).__name__}: {str(error)[:200]}"
    if isinstance(error, openai.APITimeoutError):
        reason = AIFailure.CONNECTION if _dropped_connection(error) else AIFailure.TIMEOUT
        return _AttemptError(reason, detail)
    if isinstance(error, openai.APIConnectionError):
        return _AttemptError(AIFailure.CONNECTION, detail)
    if isinstance(error, openai.APIResponseValidationError):
        return _AttemptError(AIFailure.MALFORMED, detail)
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        if status in {401, 403}:
            return _AttemptError(AIFailure.AUTHENTICATION, detail)
        if status == 429:
            return _AttemptError(AIFailure.RATE_LIMITED, detail, _retry_after(error), status)
        if status >= 500:
            return _AttemptError(AIFailure.SERVER_ERROR, detail, status=status)
        return _AttemptError(AIFailure.BAD_REQUEST, detail, status=status)
    return _AttemptError(AIFailure.UNEXPECTED, detail)


def _dropped_connection(error: BaseException) -> bool:
    """The aiohttp transport reports every broken connection as a connect timeout; the
    cause it chains tells a server that hung up from one that never answered."""
    cause = error.__cause__
    while cause is not None:
        if isinstance(cause, aiohttp.ClientConnectionError):
            return not isinstance(cause, aiohttp.ServerTimeoutError | aiohttp.SocketTimeoutError)
        cause = cause.__cause__
    return False


def _retry_after(error: openai.APIStatusError) -> float | None:
    for header, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        raw = error.response.headers.get(header)
        if raw is None:
            continue
        try:
            return float(raw) / divisor
        except ValueError:
            return None  # an HTTP date: treat it as "later than we can wait"
    return None


def _usage(completion: Completion) -> AIUsage:
    """Tokens from the API's own count; a server that reports none costs zero tokens here."""
    reported = completion.usage
    if reported is None:
        logger.info("the AI server reported no token usage")
        return AIUsage()
    details = reported.prompt_tokens_details
    return AIUsage(
        prompt_tokens=max(0, reported.prompt_tokens or 0),
        completion_tokens=max(0, reported.completion_tokens or 0),
        cached_tokens=max(0, (details.cached_tokens or 0) if details is not None else 0),
    )


def _parse(
    completion: Completion, prompt: Prompt, usage: AIUsage, *, strict: bool = True, rules: AIRequest | None = None
) -> AIAnalysis:
    """The validated analysis, or AIUnavailableError saying what was wrong with the output."""
    if not completion.choices:
        raise AIUnavailableError(AIFailure.MALFORMED, "no choices in the answer", usage)
    choice = completion.choices[0]
    message = choice.message
    if message.refusal or choice.finish_reason == "content_filter":
        raise AIUnavailableError(AIFailure.REFUSED, message.refusal or "content filter", usage)
    if choice.finish_reason == "length":
        raise AIUnavailableError(AIFailure.TRUNCATED, "the answer was cut at the token limit", usage)
    content = _CODE_FENCE.sub("", (message.content or "").strip())
    if not content:
        raise AIUnavailableError(AIFailure.MALFORMED, "empty answer", usage)
    try:
        data = json.loads(content if strict else _json_object_in(content))
    except ValueError as error:
        raise AIUnavailableError(AIFailure.MALFORMED, f"not JSON: {error}", usage) from None
    if not strict and rules is not None and isinstance(data, dict):
        data = _with_rules_reading(data, rules)
    try:
        answer = _WireAnswer.model_validate(data)
    except ValidationError as error:
        raise AIUnavailableError(AIFailure.SCHEMA, _schema_problems(error), usage) from None
    if not answer.reply.strip():
        raise AIUnavailableError(AIFailure.SCHEMA, "reply: blank", usage)
    if CANARY.lower() in answer.reply.lower():
        raise AIUnavailableError(AIFailure.PROMPT_LEAK, "the reply quotes the instructions", usage)
    return AIAnalysis(
        intent=answer.intent,
        confidence=min(1.0, max(0.0, answer.confidence)),
        profile=ProfileUpdate(
            name=answer.profile.name or None,
            role=answer.profile.role or None,
            level=answer.profile.level or None,
            interests=tuple(answer.profile.interests),
            pain_points=tuple(answer.profile.pain_points),
        ),
        # Refs the prompt never gave are dropped here; the use case also checks the ids.
        course_ids=tuple(dict.fromkeys(prompt.refs[ref] for ref in answer.course_refs if ref in prompt.refs)),
        reply=answer.reply.strip(),
        usage=usage,
        acts=tuple(act for act in answer.acts if act in ACTS)[:MAX_READING_ITEMS],
        facets=tuple(facet.strip().lower() for facet in answer.facets if facet.strip())[:MAX_READING_ITEMS],
        pending_answer=answer.pending_answer if answer.pending_answer in {"yes", "no"} else "none",
        language=answer.language.strip().lower()[:8],
    )


def _with_rules_reading(data: dict[str, Any], rules: AIRequest) -> dict[str, Any]:
    """Without a strict schema a small model may write the reply and skip the reading: the
    reply is still worth checking, so a missing or unknown intent becomes the rules' intent
    at confidence 0 (it then never counts), and a missing profile or list becomes empty."""
    filled = dict(data)
    if filled.get("intent") not in {intent.value for intent in Intent}:
        filled["intent"], filled["confidence"] = rules.rule_intent.value, 0.0
    if not isinstance(filled.get("confidence"), int | float):
        filled["confidence"] = 0.0
    if not isinstance(filled.get("profile"), dict):
        filled["profile"] = {}
    if not isinstance(filled.get("course_refs"), list):
        filled["course_refs"] = []
    return filled


def _json_object_in(content: str) -> str:
    """The outermost {...} of an answer written around it ("Aquí tienes: {...}"), which models
    without a constrained format sometimes write."""
    start, end = content.find("{"), content.rfind("}")
    return content[start : end + 1] if 0 <= start < end else content


def _schema_problems(error: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:3])
