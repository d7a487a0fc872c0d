"""Basic mode loads only what it uses: `chat --json` and `report` in a real subprocess, their
imports read from `python -X importtime`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.startup import NOT_IN_BASIC_MODE, basic_mode_environment, imported_packages

ROOT = Path(__file__).resolve().parents[2]


def run_app(arguments: list[str], tmp_path: Path, stdin: str = "") -> tuple[str, set[str]]:
    """stdout of `python -X importtime -m app ARGUMENTS` in basic mode, and the packages it imported."""
    return run_python(["-m", "app", *arguments], tmp_path, stdin)


def run_python(arguments: list[str], tmp_path: Path, stdin: str = "") -> tuple[str, set[str]]:
    """It runs in tmp_path so that no .env of the checkout configures anything."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=basic_mode_environment(tmp_path / "data", python_path=ROOT),
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout, imported_packages(completed.stderr)


def test_basic_chat_answers_without_loading_drivers_queue_or_clients(tmp_path: Path) -> None:
    stdout, packages = run_app(["chat", "--json"], tmp_path, stdin='{"text": "hola, busco un curso de python"}\n')
    reply = json.loads(stdout.splitlines()[0])
    assert reply["mode"] == "basic" and reply["reply"]
    assert "pydantic" in packages  # the log was read: the app's own dependencies are in it
    assert packages.isdisjoint(NOT_IN_BASIC_MODE), sorted(packages & set(NOT_IN_BASIC_MODE))


@pytest.mark.parametrize("arguments", [["report"], ["report", "--csv", "leads.csv", "--html", "leads.html"]])
def test_report_over_json_memory_loads_no_driver_or_chart_library(tmp_path: Path, arguments: list[str]) -> None:
    stdout, packages = run_app(arguments, tmp_path)
    assert "rich" in packages and stdout.strip()
    assert packages.isdisjoint(NOT_IN_BASIC_MODE), sorted(packages & set(NOT_IN_BASIC_MODE))


def test_inline_web_app_loads_no_driver_queue_or_http_client(tmp_path: Path) -> None:
    build = "from app.entrypoints.web.app import create_app; print(sorted(create_app().extensions))"
    stdout, packages = run_python(["-c", build], tmp_path)
    assert "'container'" in stdout and "flask" in packages
    assert packages.isdisjoint({"asyncpg", "psycopg", "psycopg_pool", "procrastinate", "aiohttp", "httpx", "openai"})


def test_basic_chat_leaves_the_ai_reply_checks_unloaded(tmp_path: Path) -> None:
    """Their patterns only vet a model's replies; without a key no AIAdvisor exists."""
    script = (
        "import sys; from app.entrypoints.cli.main import main; sys.argv[1:] = ['chat', '--json']; main(); "
        "print(sorted(m for m in sys.modules if m.split('.')[-1] in {'grounding', 'injection', 'reply_checks'}))"
    )
    stdout, _ = run_python(["-c", script], tmp_path, stdin='{"text": "hola, cuanto cuesta el curso de python?"}\n')
    first_reply, loaded = stdout.splitlines()
    assert json.loads(first_reply)["mode"] == "basic"
    assert loaded == "[]"
