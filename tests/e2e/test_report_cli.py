"""`python -m app report` on memories filled by real conversations through `python -m app chat --json`,
on the JSON memory and on PostgreSQL."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.report_postgres import prepare_database

REPO = Path(__file__).resolve().parents[2]
ANA, BETO, CARLA, DARIO = (f"whatsapp:+5730012300{n:02d}" for n in range(1, 5))
CONVERSATIONS = [
    (ANA, "Hola, soy Ana, soy contadora"),
    (BETO, "hola"),
    (ANA, "Quiero automatizar mis reportes de Excel con python"),
    (BETO, "¿qué cursos de marketing tienen?"),
    (CARLA, "hola, me llamo Carla"),
    (ANA, "¿cuánto cuesta el curso de Excel?"),
    (BETO, "me interesa el de marketing con IA"),
    (BETO, "sí"),  # yes to the marketing-consent question
    (CARLA, "no me escriban más"),
    (ANA, "quiero inscribirme"),
    (ANA, "sí"),  # yes to "¿quieres que un asesor te contacte?"
    (DARIO, "¿quién ganó el partido de ayer?"),
]


def environment(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "DATABASE", "TWILIO", "MEMORY"))}
    env.update({"DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO)})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_app(env: dict[str, str], cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=180,
    )  # fmt: skip


def chat(env: dict[str, str], cwd: Path) -> list[dict]:
    lines = "\n".join(json.dumps({"user": user, "text": text}) for user, text in CONVERSATIONS) + "\n"
    completed = run_app(env, cwd, "chat", "--json", stdin=lines)
    assert completed.returncode == 0, completed.stderr
    return [json.loads(line) for line in completed.stdout.splitlines()]


def report_files(env: dict[str, str], cwd: Path) -> tuple[str, list[dict[str, str]], str]:
    completed = run_app(env, cwd, "report", "--csv", "out.csv", "--html", "out.html")
    assert completed.returncode == 0, completed.stderr
    rows = list(csv.DictReader(io.StringIO((cwd / "out.csv").read_text(encoding="utf-8-sig"))))
    return completed.stdout, rows, (cwd / "out.html").read_text(encoding="utf-8")


def check_report(stdout: str, rows: list[dict[str, str]], page: str) -> None:
    assert "Mejores leads (se muestran 3 de 3)" in stdout
    best = [row for row in rows if row["lista"] == "Mejores leads"]
    ana = best[0]
    assert ana["teléfono"] == "whatsapp:+57300***0001"
    assert (ana["nombre"], ana["etapa"], ana["pidió asesor"]) == ("Ana", "listo para cerrar", "sí")
    assert "excel" in ana["intereses"] and ana["último mensaje"] == "sí"
    beto = next(row for row in best if row["teléfono"] == "whatsapp:+57300***0002")
    assert beto["acepta marketing"] == "sí"
    # Carla opted out: in no list, no output.
    assert (
        "***0003" not in stdout
        and "***0003" not in page
        and all(r["teléfono"] != "whatsapp:+57300***0003" for r in rows)
    )
    assert "Carla" not in page
    assert "+573001230001" not in stdout + page  # phones are masked
    assert page.count("<svg ") == 4 and "<script" not in page


def test_report_on_json_memory_filled_by_chat(tmp_path):
    env = environment(tmp_path)
    replies = chat(env, tmp_path)
    assert replies[-3]["intent"] == "BUYING_SIGNALS"
    stdout, rows, page = report_files(env, tmp_path)
    assert "Fuente: memoria JSON" in stdout
    check_report(stdout, rows, page)

    explained = run_app(env, tmp_path, "report", "--explain", "+573001230001")
    assert explained.returncode == 0, explained.stderr
    assert "¿Por qué whatsapp:+57300***0001 (Ana) tiene" in explained.stdout
    assert "pidió hablar con un asesor" in explained.stdout
    opted_out = run_app(env, tmp_path, "report", "--explain", "573001230003")
    assert "no se le contacta" in opted_out.stdout

    interested = run_app(env, tmp_path, "report", "--interest", "Marketing", "--limit", "5")
    assert interested.returncode == 0 and "interés «marketing»" in interested.stdout
    assert "***0002" in interested.stdout and "***0001" not in interested.stdout


@pytest.mark.postgres
def test_report_on_postgres_filled_by_chat_matches_the_json_memory(database_url, tmp_path):
    prepare_database(database_url)
    postgres_dir, json_dir = tmp_path / "pg", tmp_path / "json"
    postgres_dir.mkdir(), json_dir.mkdir()
    pg_env, json_env = environment(postgres_dir, database_url), environment(json_dir)
    chat(pg_env, postgres_dir)
    chat(json_env, json_dir)
    stdout, pg_rows, page = report_files(pg_env, postgres_dir)
    assert "Fuente: PostgreSQL" in stdout
    assert "Automatización de Reportes de Excel con Python e IA" in stdout  # names from ai_courses
    check_report(stdout, pg_rows, page)
    _, json_rows, _ = report_files(json_env, json_dir)
    # The same conversations give the same lists and scores in both stores (times differ).
    keep = ("lista", "posición", "teléfono", "nombre", "puntaje", "etapa", "intereses", "último mensaje")
    assert [{k: r[k] for k in keep} for r in pg_rows] == [{k: r[k] for k in keep} for r in json_rows]
