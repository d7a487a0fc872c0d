"""The commands as an operator runs them, on a real server: chat, user export and delete."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg

from app.entrypoints.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
USER = "whatsapp:+573005550000"


def chat(url: str, data_dir: Path, *lines: str) -> list[dict]:
    environment = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "app", "chat", "--json", "--user", USER],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def course_name(url: str, course_id: str) -> str:
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT name FROM ai_courses WHERE id_course = %s", (course_id,)).fetchone()[0]


def test_chat_recommends_from_the_database_and_remembers_across_restarts(catalog_database, tmp_path):
    first = chat(catalog_database, tmp_path / "data", "hola, soy Valeria y soy contadora", "quiero automatizar excel")
    assert {reply["mode"] for reply in first} == {"database"}
    assert "Excel" in course_name(catalog_database, first[1]["courses"][0])

    with psycopg.connect(catalog_database, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO ai_courses (name, short_description, price, currency, level, modality) VALUES "
            "('Astronomía con Python', 'Analiza datos de telescopios', '99', 'USD', 'principiante', 'online')"
        )
    # A new process: the memory comes back from the database, and the new course is found.
    second = chat(catalog_database, tmp_path / "data", "cursos de astronomia")
    assert course_name(catalog_database, second[0]["courses"][0]) == "Astronomía con Python"
    assert "Valeria" in second[0]["reply"]
    with psycopg.connect(catalog_database) as connection:
        row = connection.execute("SELECT name, role, interaction_count FROM user_memory WHERE user_id = %s", (USER,))
        name, role, interactions = row.fetchone()
        assert (name, role.startswith("contador"), interactions) == ("Valeria", True, 3)


def test_user_export_and_delete(catalog_database, tmp_path, monkeypatch, capsys):
    chat(catalog_database, tmp_path / "data", "hola, soy Valeria")
    monkeypatch.setenv("DATABASE_URL", catalog_database)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))

    assert main(["user", "export", "+573005550000"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported["user_id"] == USER and exported["memory"]["name"] == "Valeria"
    assert len(exported["inbound_messages"]) == 1 and exported["inbound_messages"][0]["reply"]["text"]

    assert main(["user", "delete", "573005550000", "--yes"]) == 0
    assert "memoria: borrada" in capsys.readouterr().out
    with psycopg.connect(catalog_database) as connection:
        for table in ("user_memory", "inbound_messages"):
            count = connection.execute(f"SELECT count(*) FROM {table} WHERE user_id = %s", (USER,)).fetchone()
            assert count == (0,), table
    capsys.readouterr()
    code = main(["user", "export", "+573005550000"])
    assert code == 1, capsys.readouterr().out
