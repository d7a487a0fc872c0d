"""Checks a request to Twilio's Messages resource against Twilio's own OpenAPI description.

The fake Twilio (tests/twilio_fake.py) runs every request it receives through `check()`; what
does not match `CreateMessage` / `ListMessage` in tests/contract/twilio_api_v2010_messages.json
comes back as a `Violation`, with the error code Twilio gives that mistake.

Three layers, each for a reason:

1. Names. openapi-core decodes a form body property by property and drops names the schema
   does not list, and never looks at unknown query names, so a misspelled `Bodyy` would pass.
   Names are therefore checked here against the operation's declared fields first. (Twilio
   itself ignores unknown names silently, which is exactly why a typo must fail a test.)
2. Schema (openapi-core): types, required fields, patterns (`HX…` content SIDs, `AC…` account
   SIDs), enums, bounds, and the formats Twilio uses: `uri` and `phone-number`, which
   openapi-core does not check and are defined below from Twilio's descriptions.
3. Rules Twilio states in prose, not in the schema: a sender (From or MessagingServiceSid),
   something to send (Body, ContentSid or MediaUrl), ContentVariables as a JSON object, a
   StatusCallback that is an absolute http(s) URL whose hostname has no underscores.

Speed: openapi-core builds validators for every form property on every call (about 8 ms per
request here), too slow for the load runs' thousands of sends. Its result depends on a free-text
field's value only through its presence (Body has no length, pattern or format in the spec),
so those values are replaced by a placeholder and the result is cached per remaining shape.
"""

from __future__ import annotations

import difflib
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest

SPEC_FILE = Path(__file__).with_name("twilio_api_v2010_messages.json")
MESSAGES_PATH = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
# The spec's server: where the fake listens is not part of the contract.
_SPEC_HOST = "https://api.twilio.com"
_FORM = "application/x-www-form-urlencoded"
# openapi-core checks security before anything else and stops there when it fails; basic auth
# is the fake's own check (401), so every request is validated as if it carried credentials.
_ANY_BASIC_AUTH = {"Authorization": "Basic Y2hlY2s6Y2hlY2s="}
_PLACEHOLDER = "x"
# The fake serves each request in its own thread; openapi-core's lazily resolved spec objects are
# not documented as thread-safe, and with the cache below the lock is taken once per shape.
_VALIDATING = threading.Lock()

# Twilio's error codes for the mistakes a sender makes (twilio.com/docs/api/errors/NNNNN).
MISSING_TO = 21604  # "A 'To' phone number is required"
MISSING_FROM = 21603  # "A 'From' phone number is required"
MISSING_CONTENT = 21619  # "A text message body or media urls must be specified"
INVALID_TO = 21211
INVALID_FROM = 21212
INVALID_STATUS_CALLBACK = 21609
INVALID_CONTENT_VARIABLES = 21656
BAD_REQUEST = 70002  # the body or parameters do not match the API's schema
_FIELD_CODES = {
    "To": INVALID_TO,
    "From": INVALID_FROM,
    "StatusCallback": INVALID_STATUS_CALLBACK,
    "ContentVariables": INVALID_CONTENT_VARIABLES,
}

# Channel addresses (docs: "E.164 format (for SMS/MMS) or channel address, e.g. whatsapp:+1555…").
_E164 = re.compile(r"^\+[1-9][0-9]{1,14}$")
_CHANNEL = re.compile(r"^(?P<channel>[a-z]+):(?P<address>.+)$")
_PHONE_CHANNELS = frozenset({"whatsapp", "sms", "mms"})  # their address is a phone number
_HOSTNAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")


@dataclass(frozen=True)
class Problem:
    text: str
    code: int = BAD_REQUEST


@dataclass(frozen=True)
class Violation:
    """One request that does not match Twilio's description of its operation."""

    method: str
    path: str
    operation: str
    fields: tuple[tuple[str, str], ...]
    problems: tuple[Problem, ...]

    @property
    def code(self) -> int:
        """The code Twilio answers with: the first problem's (required fields come first)."""
        return self.problems[0].code

    @property
    def message(self) -> str:
        return "; ".join(problem.text for problem in self.problems)

    def __str__(self) -> str:
        sent = ", ".join(f"{name}={value[:60]!r}" for name, value in self.fields)
        return f"{self.method} {self.operation} ({sent}): {self.message}"


def check(method: str, path: str, query: str = "", body: bytes = b"", content_type: str = "") -> Violation | None:
    """None when the request matches its operation in Twilio's description, else what is wrong."""
    method = method.lower()
    operation = _operation(method)
    if operation is None:
        return Violation(method.upper(), path, "?", (), (Problem(f"{method.upper()} is not in the spec"),))
    problems: list[Problem] = []
    if method == "post":
        if content_type.split(";")[0].strip().lower() != _FORM:
            problems.append(Problem(f"Content-Type must be {_FORM}, not {content_type or 'missing'}"))
        raw = body.decode("utf-8", errors="replace")
    else:
        raw = query
    fields = tuple(parse_qsl(raw, keep_blank_values=True))
    problems += _names(operation, fields)
    problems += _rules(method, dict(fields))
    problems += _schema_problems(method, path, _shape(operation, fields))
    if not problems:
        return None
    problems.sort(key=lambda p: p.code == BAD_REQUEST)  # specific codes first, as Twilio would pick
    return Violation(method.upper(), path, operation.operation_id, fields, tuple(problems))


# --- the spec, loaded once per process -----------------------------------------------------------


@dataclass(frozen=True)
class _Operation:
    operation_id: str
    names: frozenset[str]  # form fields (POST) or query parameters (GET)
    arrays: frozenset[str]  # names that may repeat
    required: frozenset[str]
    free_text: frozenset[str]  # plain strings the schema puts no constraint on


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text(encoding="utf-8"))


@cache
def openapi() -> OpenAPI:
    # Unknown names are left to _names(): the form decoder would drop them before any
    # additionalProperties check, and Twilio's response objects (subresource_uris) list no properties.
    config = Config(extra_format_validators={"uri": is_uri, "phone-number": is_address})
    return OpenAPI.from_dict(spec(), config=config)


@cache
def _operation(method: str) -> _Operation | None:
    item = spec()["paths"][MESSAGES_PATH].get(method)
    if item is None:
        return None
    if method == "post":
        schema = item["requestBody"]["content"][_FORM]["schema"]
        properties: dict[str, Any] = schema["properties"]
        required = frozenset(schema.get("required", []))
    else:
        properties = {p["name"]: p.get("schema", {}) for p in item["parameters"] if p["in"] == "query"}
        required = frozenset(p["name"] for p in item["parameters"] if p["in"] == "query" and p.get("required"))
    free = frozenset(
        name
        for name, prop in properties.items()
        if set(prop) - {"description", "x-twilio"} == {"type"} and prop["type"] == "string"
    )
    arrays = frozenset(name for name, prop in properties.items() if prop.get("type") == "array")
    return _Operation(item["operationId"], frozenset(properties), arrays, required, free)


# --- formats the spec names and openapi-core does not define --------------------------------------


def is_address(value: object) -> bool:
    """`phone-number`: E.164, or a channel address (`whatsapp:+15552229999`, `messenger:…`)."""
    if not isinstance(value, str):
        return True  # formats apply to strings only
    if _E164.match(value):
        return True
    channel = _CHANNEL.match(value)
    if channel is None:
        return False
    if channel["channel"] in _PHONE_CHANNELS:
        return bool(_E164.match(channel["address"]))
    return bool(channel["address"].strip())


def is_uri(value: object) -> bool:
    """`uri`: a URI reference without spaces. Lenient on purpose: Twilio's own answers carry
    relative ones (`first_page_uri`); StatusCallback's stricter rule is in _rules()."""
    if not isinstance(value, str):
        return True
    if not value or any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        urlsplit(value).hostname  # noqa: B018 - parses the authority: a bad port or IPv6 raises
    except ValueError:
        return False
    return True


def is_callback_url(value: str) -> bool:
    """StatusCallback (error 21609): absolute http(s), a valid hostname without underscores, ≤ 4000 chars."""
    if len(value) > 4000 or not is_uri(value):
        return False
    url = urlsplit(value)
    return url.scheme in {"http", "https"} and bool(_HOSTNAME.match(url.hostname or ""))


# --- the three layers ------------------------------------------------------------------------------


def _names(operation: _Operation, fields: tuple[tuple[str, str], ...]) -> Iterator[Problem]:
    seen: set[str] = set()
    given = {name for name, value in fields if value}  # Twilio treats "To=" as no To
    for name, _ in fields:
        if name not in operation.names:
            close = difflib.get_close_matches(name, operation.names, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            yield Problem(f"{name} is not a parameter of {operation.operation_id}{hint}")
        elif name in seen and name not in operation.arrays:
            yield Problem(f"{name} is sent more than once")
        seen.add(name)
    for name in sorted(operation.required - given):
        yield Problem(f"{name} is required", MISSING_TO if name == "To" else BAD_REQUEST)


def _rules(method: str, fields: dict[str, str]) -> Iterator[Problem]:
    if method != "post":
        return
    if not (fields.get("From") or fields.get("MessagingServiceSid")):
        yield Problem("From is required (or MessagingServiceSid)", MISSING_FROM)
    if not (fields.get("Body") or fields.get("ContentSid") or fields.get("MediaUrl")):
        yield Problem("Body is required (or ContentSid, or MediaUrl)", MISSING_CONTENT)
    if "ContentVariables" in fields:
        try:
            variables = json.loads(fields["ContentVariables"])
        except ValueError:
            variables = None
        if not isinstance(variables, dict) or not all(isinstance(v, str) and v for v in variables.values()):
            yield Problem("ContentVariables must be a JSON object of non-empty strings", INVALID_CONTENT_VARIABLES)
        if not fields.get("ContentSid"):
            yield Problem("ContentVariables is sent without ContentSid")
    callback = fields.get("StatusCallback")
    if callback and is_uri(callback) and not is_callback_url(callback):  # not a URI at all: the schema says so
        yield Problem(
            "StatusCallback must be an absolute http(s) URL with a valid hostname (no underscores)",
            INVALID_STATUS_CALLBACK,
        )


def _shape(operation: _Operation, fields: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The fields with free-text values replaced: what the schema check can depend on."""
    return tuple((name, _PLACEHOLDER if name in operation.free_text and value else value) for name, value in fields)


@lru_cache(maxsize=4096)
def _schema_problems(method: str, path: str, fields: tuple[tuple[str, str], ...]) -> tuple[Problem, ...]:
    if method == "post":
        request = MockRequest(
            _SPEC_HOST, method, path, headers=_ANY_BASIC_AUTH, data=urlencode(fields).encode(), content_type=_FORM
        )
    else:
        request = MockRequest(_SPEC_HOST, method, path, headers=_ANY_BASIC_AUTH, args=list(fields))  # type: ignore[arg-type]
    with _VALIDATING:
        errors = list(openapi().iter_request_errors(request))
    return tuple(problem for error in errors for problem in _describe(error))


def _describe(error: BaseException, skip_required: bool = True) -> Iterator[Problem]:
    """openapi-core's error chain as one problem per failing field."""
    name = getattr(error, "name", None)  # InvalidParameter / MissingRequiredParameter carry the name
    cause = error.__cause__
    schema_errors = getattr(cause, "schema_errors", None) or getattr(error, "schema_errors", None)
    if schema_errors:
        for schema_error in schema_errors:
            field = name or (str(schema_error.path[0]) if schema_error.path else None)
            if schema_error.validator == "required" and skip_required:
                continue  # reported from the spec's required list, with Twilio's code
            text = f"{field} {schema_error.message}" if field else schema_error.message
            yield Problem(text, _FIELD_CODES.get(field or "", BAD_REQUEST))
        return
    detail = f"{type(error).__name__}: {error}" + (f" ({type(cause).__name__}: {cause})" if cause else "")
    yield Problem(f"{name} {detail}" if name else detail, _FIELD_CODES.get(name or "", BAD_REQUEST))


# --- the other operations the bot calls (Content API, typing indicator, media) --------------------
#
# Same three layers where they apply: unknown form names (the typing indicator's form) are
# reported by name, openapi-core checks the schema (the Content API's JSON body is described
# with additionalProperties: false, so a misspelled key fails there), and no prose rules apply.
# A media URL (`…/Media/MEsid`, which answers the file itself) is checked as the FetchMedia path
# it is the `.json`-less form of.

_OTHER_SPECS = {
    "twilio_content_v1_content.json": "https://content.twilio.com",
    "twilio_messaging_v2_typing.json": "https://messaging.twilio.com",
    "twilio_api_v2010_media.json": "https://api.twilio.com",
}
_JSON = "application/json"
_MEDIA_FILE = re.compile(r"^(/2010-04-01/Accounts/[^/]+/Messages/[^/]+/Media/[^/.]+)$")
# Values the schema checks by pattern alone: a matching one is replaced by a fixed one of the
# same kind, so that one validation serves every message.
_PATTERNED = {"messageId": (re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$"), "SM" + "0" * 32)}


@dataclass(frozen=True)
class _OtherOperation:
    spec_file: str
    template: str
    operation_id: str
    form_names: frozenset[str]  # empty for JSON bodies and GETs


@cache
def _other_spec(name: str) -> dict[str, Any]:
    return json.loads(SPEC_FILE.with_name(name).read_text(encoding="utf-8"))


@cache
def _other_openapi(name: str) -> OpenAPI:
    return OpenAPI.from_dict(_other_spec(name), config=Config(extra_format_validators={"uri": is_uri}))


def _template_regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")


@cache
def _other_operations() -> tuple[tuple[re.Pattern[str], str, _OtherOperation], ...]:
    found = []
    for name in _OTHER_SPECS:
        for template, item in _other_spec(name)["paths"].items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "operationId" not in operation:
                    continue
                schema = operation.get("requestBody", {}).get("content", {}).get(_FORM, {}).get("schema")
                names: frozenset[str] = frozenset()
                if schema is not None:
                    ref = schema.get("$ref", "")
                    resolved = _other_spec(name)["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema
                    names = frozenset(resolved.get("properties", {}))
                entry = _OtherOperation(name, template, operation["operationId"], names)
                found.append((_template_regex(template), method, entry))
    return tuple(found)


def check_other(method: str, path: str, query: str = "", body: bytes = b"", content_type: str = "") -> Violation | None:
    """None when the request matches its operation in the Content, Messaging v2 or Media
    extracts; else what is wrong (as `check()` answers for Messages)."""
    method = method.lower()
    media = _MEDIA_FILE.match(path)
    spec_path = path + ".json" if media else path
    operation = next((op for rx, m, op in _other_operations() if m == method and rx.match(spec_path)), None)
    if operation is None:
        return Violation(method.upper(), path, "?", (), (Problem(f"{method.upper()} {path} is not in the extracts"),))
    fields: tuple[tuple[str, str], ...] = ()
    problems: list[Problem] = []
    kind = content_type.split(";")[0].strip().lower()
    if method == "post" and operation.form_names:
        if kind != _FORM:
            problems.append(Problem(f"Content-Type must be {_FORM}, not {content_type or 'missing'}"))
        fields = tuple(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
        for name, _ in fields:
            if name not in operation.form_names:
                close = difflib.get_close_matches(name, operation.form_names, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                problems.append(Problem(f"{name} is not a parameter of {operation.operation_id}{hint}"))
        fields = tuple((n, _PATTERNED[n][1] if n in _PATTERNED and _PATTERNED[n][0].match(v) else v) for n, v in fields)
        payload = urlencode(fields).encode()
    elif method == "post":
        if kind != _JSON:
            problems.append(Problem(f"Content-Type must be {_JSON}, not {content_type or 'missing'}"))
        payload = body
    else:
        payload = b""
    problems += _other_schema_problems(operation.spec_file, method, spec_path, query, payload, kind)
    if not problems:
        return None
    return Violation(method.upper(), path, operation.operation_id, fields, tuple(problems))


@lru_cache(maxsize=1024)
def _other_schema_problems(
    spec_file: str, method: str, path: str, query: str, payload: bytes, content_type: str
) -> tuple[Problem, ...]:
    host = _OTHER_SPECS[spec_file]
    args = parse_qsl(query, keep_blank_values=True)
    request = MockRequest(
        host, method, path, headers=_ANY_BASIC_AUTH, args=args,  # type: ignore[arg-type]
        data=payload or None, content_type=content_type or _JSON,
    )  # fmt: skip
    with _VALIDATING:
        errors = list(_other_openapi(spec_file).iter_request_errors(request))
    return tuple(problem for error in errors for problem in _describe(error, skip_required=False))
