"""Secrets never printed: the one redaction every log line, error message, report source
and /health detail goes through.

A connection string or URL can carry a secret in three places, and each is replaced by
"***" wherever it appears in a text (a whole DSN, or an error message quoting one):

- the password of a URL's user info: `postgresql://user:secret@host/db`, `https://user:key@host`;
- a query-string or key=value parameter that names a secret: `?password=…`, `&sslpassword=…`,
  `PGPASSWORD=…`, `sslkey=…`, `api_key=…`, `token=…`, `secret=…` (case does not matter);
- the same parameter in libpq's keyword form with quotes: `password='it is secret'`.

The user name, host, port, database and the other parameters stay: they are what an
operator needs to tell which server a message is about.
"""

from __future__ import annotations

import re

MASK = "***"

# Names of parameters whose value is a secret (libpq's password, sslpassword, sslkey, the
# PGPASSWORD environment name, and the usual API-key spellings of HTTP services).
_SECRET_NAMES = r"(?:pg)?password|passwd|pwd|sslpassword|sslkey|(?:api[_-]?)?key|access[_-]?token|token|secret|auth"
# `name=value` in a query string, a libpq keyword string or an environment line; the value
# runs to the next separator, or is quoted ('...' or "...").
_SECRET_PARAMETER = re.compile(
    rf"(?P<name>\b(?:{_SECRET_NAMES})\s*=\s*)(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s&;#'\"]+)",
    re.IGNORECASE,
)
# scheme://user:password@ — the password runs to the last "@" before the host part, so a
# password holding "@" or ":" is hidden whole.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.\-]*://[^\s:/@]*:)(?P<password>[^\s/]*)(?P<at>@)", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` with every password or secret parameter of a URL or DSN in it replaced by ***."""
    if not text:
        return text
    hidden = _URL_PASSWORD.sub(lambda m: m["head"] + MASK + m["at"], text)
    return _SECRET_PARAMETER.sub(lambda m: m["name"] + MASK, hidden)
