"""A streamed chat completion read into the same Completion a plain answer gives.

Streaming is how a caller that gives up stops the generation: when the time budget runs
out, the task reading the stream is cancelled, the response is closed, and a local server
(llama.cpp, vLLM, Ollama) notices the closed connection and stops generating. A plain
request abandoned the same way leaves the server generating for minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from openai import AsyncOpenAI, Timeout

    from app.infrastructure.openai.adapter import Completion


class _Delta(BaseModel):
    model_config = ConfigDict(extra="ignore")

    content: str | None = None
    refusal: str | None = None


class _ChunkChoice(BaseModel):
    model_config = ConfigDict(extra="ignore")

    index: int = 0
    delta: _Delta = _Delta()
    finish_reason: str | None = None


class _Chunk(BaseModel):
    model_config = ConfigDict(extra="ignore")

    choices: list[_ChunkChoice] = Field(default_factory=list)
    usage: dict[str, Any] | None = None


async def read_stream(client: AsyncOpenAI, body: dict[str, Any], limits: Timeout | None = None) -> Completion:
    """Post with `stream`, join the first choice's deltas, keep the finish reason and the usage
    the last chunk reports (`stream_options.include_usage`). Raises pydantic's
    ValidationError for chunks that are not chat-completion chunks."""
    from openai import AsyncStream

    from app.infrastructure.openai.adapter import Completion

    options = {"timeout": limits} if limits is not None else {}
    stream = await client.post(
        "/chat/completions",
        body={**body, "stream": True, "stream_options": {"include_usage": True}},
        cast_to=object,
        options=options,
        stream=True,
        stream_cls=AsyncStream[object],
    )
    content: list[str] = []
    refusal: list[str] = []
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None
    chunks = 0
    try:
        async for raw in stream:
            chunk = _Chunk.model_validate(raw)
            chunks += 1
            usage = chunk.usage or usage
            for choice in chunk.choices:
                if choice.index != 0:
                    continue
                content.append(choice.delta.content or "")
                refusal.append(choice.delta.refusal or "")
                finish_reason = choice.finish_reason or finish_reason
    finally:
        await stream.close()  # on cancellation too: the server stops generating
    if not chunks:
        return Completion()
    message = {"content": "".join(content), "refusal": "".join(refusal) or None}
    return Completion.model_validate(
        {"choices": [{"message": message, "finish_reason": finish_reason}], "usage": usage}
    )
