"""`python -m app` in basic mode as a separate process, and which packages it imports.

Shared by the start-up test (tests/unit/test_startup_imports.py) and bench/bench_startup.py.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from app.config import Settings

# What basic mode must not load: the database drivers, the job queue, the HTTP clients it does
# not call, the charting library, Twilio's and OpenAI's SDKs (neither is configured), the web server.
NOT_IN_BASIC_MODE = (
    "asyncpg", "psycopg", "psycopg_pool", "procrastinate", "aiohttp", "httpx", "plotly", "twilio", "openai",
    "gunicorn",
)  # fmt: skip

_IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)\s*$")


def basic_mode_environment(data_dir: Path, python_path: Path | None = None) -> dict[str, str]:
    """This process's environment without any of the bot's settings: no database, no keys."""
    settings = {name.upper() for name in Settings.model_fields}
    environment = {name: value for name, value in os.environ.items() if name not in settings}
    environment["DATA_DIR"] = str(data_dir)
    if python_path is not None:
        environment["PYTHONPATH"] = str(python_path)
    return environment


def imported_packages(importtime_log: str) -> set[str]:
    """Top-level package names in the stderr of `python -X importtime`."""
    return {match.group(1).split(".")[0] for match in map(_IMPORT_LINE.match, importtime_log.splitlines()) if match}
