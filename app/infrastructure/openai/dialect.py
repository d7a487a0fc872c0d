"""How to talk to one OpenAI-compatible server: the request shape it reads.

Servers that speak the chat-completions API differ in details that decide whether the AI
works at all: llama-cpp-python's server answers HTTP 500 to a strict `json_schema`
response format and ignores `max_completion_tokens` (it reads `max_tokens`); some chat
templates drop a second system message. The adapter asks for what each server reads:

- the response format goes down a ladder, `json_schema` (strict) then `json_object` then the
  schema written into the instructions, chosen once: at start-up from the setting, or on
  the first refusal of a format by the server (logged once);
- the token cap goes as `max_completion_tokens` to OpenAI and Azure OpenAI, `max_tokens`
  elsewhere (both settable);
- the instructions and the context go as one system message, or folded into the first
  user turn for servers whose chat template has no system role;
- with `stream`, generation stops when the caller gives up: closing a streamed response
  is how a local server learns that nobody waits for the rest.
"""

from __future__ import annotations

import logging
import threading
from typing import Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict

logger = logging.getLogger(__name__)

ResponseFormat = Literal["json_schema", "json_object", "prompt"]
TokenLimitParam = Literal["max_tokens", "max_completion_tokens"]
InstructionsRole = Literal["system", "user"]

LADDER: tuple[ResponseFormat, ...] = ("json_schema", "json_object", "prompt")
# Words a server's error names when what it refuses is the response format, not the call.
_FORMAT_REFUSAL_WORDS = ("response_format", "json_schema", "json schema", "schema", "grammar", "strict")
_FORMAT_REFUSAL_STATUSES = frozenset({400, 404, 415, 422, 500, 501})
_OPENAI_HOSTS = ("api.openai.com", ".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com")


class ServerDialect(BaseModel):
    """The request shape chosen from the settings; `response_format` is where the ladder starts."""

    model_config = ConfigDict(frozen=True)

    response_format: ResponseFormat = "json_schema"
    fixed_format: bool = False  # set explicitly: never moved down the ladder
    token_limit_param: TokenLimitParam = "max_completion_tokens"
    instructions_role: InstructionsRole = "system"
    stream: bool = False

    def describe(self) -> str:
        stream = "streamed" if self.stream else "not streamed"
        return (
            f"response format {self.response_format}{'' if self.fixed_format else ' (or the next that works)'}, "
            f"{self.token_limit_param}, instructions as {self.instructions_role}, {stream}"
        )

    @classmethod
    def for_server(
        cls,
        base_url: str | None,
        *,
        response_format: str = "auto",
        token_limit_param: str = "auto",
        instructions_role: InstructionsRole = "system",
        stream: str = "auto",
    ) -> ServerDialect:
        """`auto` settings resolved for this server: OpenAI and Azure OpenAI read the newer
        parameters; any other server gets the older `max_tokens` and a streamed answer."""
        hosted = is_openai_hosted(base_url)
        return cls(
            response_format="json_schema" if response_format == "auto" else response_format,  # type: ignore[arg-type]
            fixed_format=response_format != "auto",
            token_limit_param=(
                ("max_completion_tokens" if hosted else "max_tokens")
                if token_limit_param == "auto"
                else token_limit_param  # type: ignore[arg-type]
            ),
            instructions_role=instructions_role,
            stream=(not hosted) if stream == "auto" else stream == "on",
        )


def is_openai_hosted(base_url: str | None) -> bool:
    if base_url is None:
        return True
    host = (urlparse(base_url).hostname or "").lower()
    return any(host == suffix or host.endswith(suffix) for suffix in _OPENAI_HOSTS)


def refuses_format(status: int, message: str) -> bool:
    """An error that says the server cannot produce this response format."""
    if status not in _FORMAT_REFUSAL_STATUSES:
        return False
    lowered = message.lower()
    return any(word in lowered for word in _FORMAT_REFUSAL_WORDS)


class FormatLadder:
    """The response format in use; moves one step down on a refusal before any success."""

    def __init__(self, dialect: ServerDialect) -> None:
        self._format: ResponseFormat = dialect.response_format
        self._fixed = dialect.fixed_format
        self._confirmed = False
        self._lock = threading.Lock()

    @property
    def current(self) -> ResponseFormat:
        return self._format

    def confirm(self, used: ResponseFormat) -> None:
        """The server answered with this format: it is the one from now on."""
        if used == self._format and not self._confirmed:
            self._confirmed = True
            logger.info("AI response format: %s", used)

    def step_down(self, refused: ResponseFormat, status: int, message: str) -> bool:
        """After a refusal of `refused`: True if there is another format to try now."""
        with self._lock:
            if self._fixed or self._confirmed or refused != self._format:
                return refused != self._format  # another call already moved down: retry with it
            index = LADDER.index(refused)
            if index + 1 >= len(LADDER):
                return False
            self._format = LADDER[index + 1]
        logger.warning(
            "the AI server refused response_format %s (HTTP %d: %s); using %s from now on",
            refused, status, message[:160], self._format,
        )  # fmt: skip
        return True
