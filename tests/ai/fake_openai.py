"""A local fake of the chat-completions API, driven by the real openai client.

Start it, point OPENAI_BASE_URL at `fake.base_url`, and script what each request gets:

    fake.script(answer(reply="..."), status(500), hang(30))   # one step per request, in order
    fake.always(oracle())                                      # or one responder for every request

A step is a fixed answer or a function of the request (the parsed JSON body), so a test
can build a reply from the courses the prompt actually carried. Every request is kept in
`fake.requests`; `fake.calls` counts them. Token usage is estimated from the characters
sent and returned (about four per token), since no tokenizer is available offline.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHARS_PER_TOKEN = 4.0


@dataclass(frozen=True)
class Step:
    """What one request gets back."""

    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a hang when longer than the client waits)
    drop: bool = False  # close the connection without answering
    chunk_delay: float = 0.0  # a streamed answer: seconds between its chunks (a slow generation)
    chunk_chars: int = 24  # a streamed answer: characters of content per chunk


Responder = Step | Callable[[dict[str, Any]], Step]


def completion(content: str | None, *, refusal: str | None = None, finish_reason: str = "stop",
               request: dict[str, Any] | None = None, usage: bool = True) -> dict[str, Any]:  # fmt: skip
    """A chat.completion object as the API returns it."""
    body: dict[str, Any] = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": (request or {}).get("model", "fake-model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": finish_reason,
            }
        ],
    }
    if usage:
        prompt_tokens = estimate_prompt_tokens(request or {})
        completion_tokens = math.ceil(len(content or refusal or "") / CHARS_PER_TOKEN)
        body["usage"] = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
    return body


def estimate_prompt_tokens(request: dict[str, Any]) -> int:
    """Characters of every message and of the response schema, about four per token."""
    messages = request.get("messages", [])
    text = sum(len(str(m.get("content", ""))) for m in messages)
    schema = len(json.dumps(request.get("response_format", {})))
    return math.ceil((text + schema) / CHARS_PER_TOKEN) + 4 * len(messages)


def structured(intent: str = "EXPLORATION", reply: str = "¡Claro! Te cuento.", *, confidence: float = 0.9,
               course_refs: tuple[str, ...] = (), name: str | None = None, role: str | None = None,
               level: str | None = None, interests: tuple[str, ...] = (),
               pain_points: tuple[str, ...] = ()) -> str:  # fmt: skip
    """The JSON content of a well-formed structured answer."""
    return json.dumps(
        {
            "intent": intent,
            "confidence": confidence,
            "profile": {
                "name": name,
                "role": role,
                "level": level,
                "interests": list(interests),
                "pain_points": list(pain_points),
            },
            "course_refs": list(course_refs),
            "reply": reply,
        },
        ensure_ascii=False,
    )


def answer(intent: str = "EXPLORATION", reply: str = "¡Claro! Te cuento.", **fields: Any) -> Responder:
    """A well-formed structured answer with a fixed reply."""
    return lambda request: Step(body=completion(structured(intent, reply, **fields), request=request))


def reply_from_courses(intent: str = "EXPLORATION", template: str = "", **fields: Any) -> Responder:
    """A structured answer whose reply names the first course of the prompt with its real facts.

    `template` may use {name}, {price} and {sessions}; by default a short recommendation.
    """

    def respond(request: dict[str, Any]) -> Step:
        courses = prompt_courses(request)
        if not courses:
            return Step(body=completion(structured(intent, "¿Qué te gustaría aprender?", **fields), request=request))
        first = courses[0]
        text = (template or "¡Buena idea! Te recomiendo *{name}*: son {sessions} sesiones y cuesta {price}.").format(
            **first
        )
        content = structured(intent, text, course_refs=(first["ref"],), **fields)
        return Step(body=completion(content, request=request))

    return respond


# What llama-cpp-python's server (0.3.x) answers, with HTTP 500, to response_format json_schema.
LLAMA_CPP_JSON_SCHEMA_ERROR = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
    "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', "
    "'ctx': {'expected': \"'text' or 'json_object'\"}}"
)


def rejects_json_schema(then: Responder, message: str = LLAMA_CPP_JSON_SCHEMA_ERROR) -> Responder:
    """A server without strict json_schema support: HTTP 500 to it, as llama-cpp-python's
    server answers; `then` for any other request."""

    def respond(request: dict[str, Any]) -> Step:
        if (request.get("response_format") or {}).get("type") == "json_schema":
            return Step(status=500, body={"error": {"message": message, "type": "internal_server_error",
                                                    "param": None, "code": None}})  # fmt: skip
        return then(request) if callable(then) else then

    return respond


def keeps_rules_answer(intent: str = "GENERAL_QUESTION", opener: str = "¡Claro! ", **fields: Any) -> Responder:
    """A structured answer that rewords the rules' answer by putting `opener` before it."""
    return lambda request: Step(
        body=completion(structured(intent, f"{opener}{rules_answer(request)}", **fields), request=request)
    )


def raw(content: str) -> Responder:
    """A 200 answer whose message content is exactly `content` (malformed JSON, say)."""
    return lambda request: Step(body=completion(content, request=request))


def refusal(text: str = "I'm sorry, I can't help with that.") -> Responder:
    return lambda request: Step(body=completion(None, refusal=text, request=request))


def status(code: int, message: str = "error", headers: dict[str, str] | None = None) -> Step:
    return Step(status=code, body={"error": {"message": message, "type": "fake", "code": None}}, headers=headers or {})


def hang(seconds: float) -> Step:
    """No answer for `seconds` (then a valid one, if the client is still there)."""
    return Step(delay=seconds, body=completion(structured(), usage=False))


def drop() -> Step:
    return Step(drop=True)


def stream_events(step: Step, request: dict[str, Any]) -> list[str]:
    """The data lines of a streamed answer: content in chunks, the finish reason, the usage, [DONE]."""
    body = step.body if isinstance(step.body, dict) else {}
    if "choices" not in body:
        return [json.dumps(body)]  # not a completion: sent as it is, one event
    choice = body["choices"][0] if body["choices"] else {}
    message = choice.get("message") or {}
    content = message.get("content") or ""
    size = max(1, step.chunk_chars)
    pieces = [content[i : i + size] for i in range(0, len(content), size)] or [""]

    def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> str:
        choices = [{"index": 0, "delta": delta, "finish_reason": finish}] if delta is not None else []
        return json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                           "model": body.get("model", "fake-model"), "choices": choices, "usage": usage})  # fmt: skip

    events = [chunk({"role": "assistant", "content": ""})]
    if message.get("refusal"):
        events.append(chunk({"refusal": message["refusal"]}))
    events += [chunk({"content": piece}) for piece in pieces]
    events.append(chunk({}, choice.get("finish_reason", "stop")))
    if (request.get("stream_options") or {}).get("include_usage") and body.get("usage"):
        events.append(json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "choices": [],
                                  "usage": body["usage"]}))  # fmt: skip
    events.append("[DONE]")
    return events


_COURSE_LINE = re.compile(r"^(?P<ref>C\d+): (?P<facts>.+)$", re.MULTILINE)


def prompt_courses(request: dict[str, Any]) -> list[dict[str, str]]:
    """The courses the prompt gave the model: ref, name, price and sessions, as written."""
    context = prompt_text(request)
    courses = []
    for match in _COURSE_LINE.finditer(context):
        parts = [p.strip() for p in match.group("facts").split(" | ")]
        price = next((p for p in parts if p.startswith("$")), "")
        sessions = next((p.split()[0] for p in parts if p.endswith(" sesiones")), "")
        courses.append({"ref": match.group("ref"), "name": parts[0], "price": price, "sessions": sessions})
    return courses


def user_text(request: dict[str, Any]) -> str:
    """The student's new message: the last user message of the prompt."""
    users = [m for m in request.get("messages", []) if m.get("role") == "user"]
    return str(users[-1]["content"]) if users else ""


def prompt_text(request: dict[str, Any]) -> str:
    """The instructions and context: the system message, or the one user turn they are folded into."""
    messages = request.get("messages", [])
    system = [str(m.get("content", "")) for m in messages if m.get("role") == "system"]
    return "\n".join(system) if system else str(messages[0].get("content", "")) if messages else ""


def classifier_guess(request: dict[str, Any]) -> tuple[str, float]:
    context = prompt_text(request)
    match = re.search(r"Classifier guess: (\w+) \(([\d.]+)\)", context)
    return (match.group(1), float(match.group(2))) if match else ("OFF_TOPIC", 0.0)


class _Server(ThreadingHTTPServer):
    # listen()'s backlog: hundreds of students answered at once (bench/bench_delivery.py) must
    # queue, not be reset as with the default of 5.
    request_queue_size = 1024


@dataclass(frozen=True)
class Transcription:
    """One audio/transcriptions request as the fake saw it."""

    model: str
    language: str
    filename: str
    content_type: str
    size: int
    ogg_opus: bool  # the file is a real Ogg container whose first stream is Opus


def is_ogg_opus(data: bytes) -> bool:
    """An Ogg page ("OggS", version 0) whose first packet is an Opus identification header."""
    return data[:5] == b"OggS\x00" and data[28:36] == b"OpusHead"


def multipart_fields(content_type: str, body: bytes) -> dict[str, tuple[bytes, str, str]]:
    """name -> (value, filename, content type) of a multipart/form-data body."""
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        fields[str(name)] = (data, part.get_filename() or "", part.get_content_type())
    return fields


class FakeOpenAI:
    """The fake server: a thread on 127.0.0.1 with a free port."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.abandoned_streams = 0
        self.paths: list[str] = []
        self.authorizations: list[str] = []
        self._script: list[Responder] = []
        self._default: Responder = answer()
        # audio/transcriptions: what each request carried, the text answered, and the models
        # that refuse Ogg/Opus (as some of OpenAI's do) with a 400 about the format.
        self.transcriptions: list[Transcription] = []
        self.transcript = "hola, quiero saber cuánto cuesta el curso de python desde cero"
        self.models_refusing_ogg: set[str] = set()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}/v1"

    @property
    def calls(self) -> int:
        return len(self.requests)

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # releases requests still hanging
        self._server.shutdown()
        self._server.server_close()

    def script(self, *steps: Responder) -> None:
        """Answer the next requests with these steps, then with the default one."""
        with self._lock:
            self._script = list(steps)

    def always(self, responder: Responder) -> None:
        with self._lock:
            self._script = []
            self._default = responder

    def _transcribe(self, content_type: str, body: bytes) -> Step:
        fields = multipart_fields(content_type, body)
        empty = (b"", "", "")
        audio = fields.get("file", empty)
        seen = Transcription(
            model=fields.get("model", empty)[0].decode(), language=fields.get("language", empty)[0].decode(),
            filename=audio[1], content_type=audio[2], size=len(audio[0]), ogg_opus=is_ogg_opus(audio[0]),
        )  # fmt: skip
        with self._lock:
            self.transcriptions.append(seen)
        if seen.ogg_opus and seen.model in self.models_refusing_ogg:
            error = {"message": "Unsupported file format: ogg", "type": "invalid_request_error", "param": "file",
                     "code": "unsupported_format"}  # fmt: skip
            return Step(status=400, body={"error": error})
        if not seen.size:
            return Step(status=400, body={"error": {"message": "file is required", "type": "invalid_request_error"}})
        return Step(body={"text": self.transcript})

    def _next(self, request: dict[str, Any]) -> Step:
        with self._lock:
            self.requests.append(request)
            responder = self._script.pop(0) if self._script else self._default
        return responder(request) if callable(responder) else responder

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no delayed-ACK wait between headers and body

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if self.path.endswith("/audio/transcriptions"):
                    fake.paths.append(self.path)
                    return self._answer(fake._transcribe(self.headers.get("Content-Type", ""), body))
                fake.paths.append(self.path)
                fake.authorizations.append(self.headers.get("Authorization", ""))
                try:
                    request = json.loads(body or b"{}")
                except ValueError:
                    request = {}
                step = fake._next(request)
                if step.delay and fake._closing.wait(step.delay):
                    return
                if step.drop:
                    self.close_connection = True
                    return
                if request.get("stream") and step.status == 200 and isinstance(step.body, dict):
                    self._stream(step, request)
                    return
                self._answer(step)

            def _answer(self, step: Step) -> None:
                payload = step.body if isinstance(step.body, str) else json.dumps(step.body or {})
                data = payload.encode()
                try:
                    self.send_response(step.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in step.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up waiting (a hang test): nothing to answer

            def _stream(self, step: Step, request: dict[str, Any]) -> None:
                self.close_connection = True  # no Content-Length: the end of the body is the close
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for event in stream_events(step, request):
                        self.wfile.write(f"data: {event}\n\n".encode())
                        self.wfile.flush()
                        if step.chunk_delay and fake._closing.wait(step.chunk_delay):
                            return
                except OSError:
                    with fake._lock:
                        fake.abandoned_streams += 1  # the client closed it: a server stops generating here

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


# --- a scripted model, for the evaluation script ----------------------------------------------

# Replies with a fact the catalogue does not back, one per kind, each with a marker that
# must never reach a student.
HALLUCINATIONS: tuple[tuple[str, str], ...] = (
    ("invented price", "Y solo esta semana lo dejamos en $19 USD."),
    ("invented course", "También te va a encantar el *Bootcamp de Blockchain Cuántico*."),
    ("invented discount", "Si te inscribes hoy tienes 40% de descuento."),
    ("invented sessions", "Son 37 sesiones en vivo."),
    ("invented date", "Arranca el 31 de diciembre."),
    ("invented guarantee", "Te garantizamos empleo al terminar."),
)
_NAME = re.compile(r"\b(?:me llamo|mi nombre es|soy)\s+([A-ZÁÉÍÓÚÑ][a-záéíóúñ]+)")
_REFERENCE = re.compile(r"\b(?:primero|segundo|tercero|ultimo|ese|este|el de)\b", re.IGNORECASE)


def rules_answer(request: dict[str, Any]) -> str:
    """The answer the rules would send, as the prompt gives it ("" when it gives none)."""
    match = re.search(r"The rules' answer \(keep its facts[^)]*\):\n(.*?)(?:\n\nLast messages:|\n\nNew message:|$)",
                      prompt_text(request), re.S)  # fmt: skip
    return match.group(1).strip() if match else ""


@dataclass
class ScriptedModel:
    """A stand-in for a model that follows its instructions: it trusts the classifier's guess,
    keeps the rules' answer (greeting the student by name when the message gives one), writes a
    short reply from the courses in the prompt when there is none, and every
    `hallucinate_every`-th reply adds an invented fact."""

    hallucinate_every: int = 0
    answered: int = 0
    injected: list[str] = field(default_factory=list)

    def __call__(self, request: dict[str, Any]) -> Step:
        self.answered += 1
        intent, _ = classifier_guess(request)
        text = user_text(request)
        if intent == "OFF_TOPIC" and _REFERENCE.search(text):
            intent = "GENERAL_QUESTION"
        courses = prompt_courses(request)
        name = _NAME.search(text)
        kept = rules_answer(request)
        if kept and not kept.endswith("…"):
            reply = f"¡Hola, {name.group(1)}! {kept}" if name else kept
        else:
            reply = self._reply(intent, courses, name.group(1) if name else None)
        if self.hallucinate_every and self.answered % self.hallucinate_every == 0:
            _, sentence = HALLUCINATIONS[len(self.injected) % len(HALLUCINATIONS)]
            self.injected.append(sentence)
            reply = f"{reply} {sentence}"
        refs = tuple(c["ref"] for c in courses[:2])
        content = structured(intent, reply, confidence=0.8, course_refs=refs, name=name.group(1) if name else None)
        return Step(body=completion(content, request=request))

    @staticmethod
    def _reply(intent: str, courses: list[dict[str, str]], name: str | None) -> str:
        hello = f"¡Hola, {name}! " if name else ""
        if not courses or intent in {"GREETING", "OFF_TOPIC", "OPT_OUT", "CONTACT_REQUEST"}:
            return f"{hello}Cuéntame qué te gustaría aprender y te recomiendo el curso ideal. 😊"
        shown = "; ".join(f"*{c['name']}* ({c['sessions']} sesiones, {c['price']})" for c in courses[:2])
        return f"{hello}Por lo que me cuentas, te pueden servir: {shown}. ¿Cuál te llama más la atención?"
