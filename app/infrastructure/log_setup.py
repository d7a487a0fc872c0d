"""Logging for every process (web, worker, CLI, gunicorn itself): one format, one level,
no phone number in clear, no secret, one record per line.

Students' numbers are personal data, and logs travel further than the database (log
services, screenshots, support tickets), so every line is masked on its way out:
"whatsapp:+573001234567" becomes "whatsapp:+57******4567" (the country code and the last
digits stay, enough to tell two students apart when debugging). Passwords and secret
parameters of any URL or DSN are replaced by "***" (`app.infrastructure.redaction`), and
control characters a request may carry (a NUL or a line feed in a MessageSid) are written
escaped ("\\x00", "\\n"), so a forged value can neither break a log line nor fake one.

    configure_logging(settings.log_level)    # the web app factory, the worker, the CLI

gunicorn.conf.py gives gunicorn's own loggers the same configuration (`logging_config`), through
`QuietAccessLogger` (app.infrastructure.gunicorn_logger).
"""

from __future__ import annotations

import logging
import logging.config
import re
import sys
import time
from typing import Any

from app.infrastructure.redaction import redact

LOG_FORMAT = "%(asctime)s.%(msecs)03dZ %(levelname)s [%(process)d] %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"

# "+57...", "whatsapp:+57...", "whatsapp:57...", and "%2B57..." as the number appears in a
# quoted file name (the JSON store's paths end up in error messages).
_PHONE = re.compile(r"(?P<prefix>whatsapp:\+?|\+|%2B)(?P<digits>\d{7,15})(?!\d)", re.IGNORECASE)
# E.164 country codes are prefix-free: 1 and 7 are the only one-digit codes, these the
# two-digit ones, every other code has three digits.
_TWO_DIGIT_CODES = frozenset(
    {"20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49"}
    | {"51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66"}
    | {"81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98"}
)


def mask_phone_numbers(text: str) -> str:
    """Every phone number in `text` with its middle digits replaced by "*"."""
    return _PHONE.sub(lambda match: match["prefix"] + _mask_digits(match["digits"]), text)


def _mask_digits(digits: str) -> str:
    code = 1 if digits[0] in "17" else 2 if digits[:2] in _TWO_DIGIT_CODES else 3
    national = len(digits) - code
    tail = 4 if national >= 8 else 2
    return digits[:code] + "*" * (national - tail) + digits[-tail:]


# Every C0 control character and DEL; a traceback keeps its line feeds.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINE_FEED = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def _escape(match: re.Match[str]) -> str:
    return match[0].encode("unicode_escape").decode("ascii")


def safe_log_text(text: str, *, multiline: bool = False) -> str:
    """`text` as a log line may show it: phone numbers masked, secrets redacted, control
    characters escaped (line feeds kept when `multiline`, for a traceback)."""
    control = _CONTROL_BUT_LINE_FEED if multiline else _CONTROL
    return control.sub(_escape, mask_phone_numbers(redact(text)))


class SafeLogFilter(logging.Filter):
    """Applies `safe_log_text` to a record's message, its arguments and its traceback.

    Installed on the handlers (a filter on a logger does not see what its children log);
    the message is rendered here, once, so an argument of any type is covered too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.msg, record.args = safe_log_text(record.getMessage()), None
        except Exception:  # a bad format string is the handler's to report (handleError), not ours
            return True
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = safe_log_text(record.exc_text, multiline=True)
        if record.stack_info:
            record.stack_info = safe_log_text(record.stack_info, multiline=True)
        return True


class UtcFormatter(logging.Formatter):
    """Timestamps in UTC (the "Z" of LOG_FORMAT), whatever the host's time zone."""

    converter = time.gmtime


class CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line is logged, not when logging was set up,
    so that a replaced stderr (a test's capture, a daemon's redirection) never gets a stale
    stream. Standard error keeps standard output for data (`chat --json`)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def logging_config(level: str) -> dict[str, Any]:
    """A logging.config.dictConfig dictionary: the root logger and gunicorn's loggers write
    through one filtered handler, in LOG_FORMAT, at `level`."""
    level = level.upper()
    handler = {"handlers": ["console"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"safe_lines": {"()": SafeLogFilter}},
        "formatters": {"standard": {"()": UtcFormatter, "fmt": LOG_FORMAT, "datefmt": DATE_FORMAT}},
        "handlers": {"console": {"()": CurrentStderrHandler, "formatter": "standard", "filters": ["safe_lines"]}},
        "root": {"level": level, "handlers": ["console"]},
        # One access line per webhook costs about 8% of the acknowledgement throughput: they
        # are written at LOG_LEVEL=DEBUG only (gunicorn logs them at INFO).
        "loggers": {
            "gunicorn.error": {"level": level, **handler},
            "gunicorn.access": {"level": "INFO" if level == "DEBUG" else "WARNING", **handler},
        },
    }


def configure_logging(level: str) -> None:
    """Set up logging for this process (idempotent: a second call replaces the first)."""
    logging.config.dictConfig(logging_config(level))
    logging.captureWarnings(True)
