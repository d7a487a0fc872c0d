"""What marketers receive: the CSV file, the HTML page and the terminal tables."""

import asyncio
import csv
import io
from datetime import UTC

import pytest
from rich.console import Console

from app.application.lead_report import ExplainLead, GenerateLeadReport, ReportFilters
from app.entrypoints.cli.report_csv import HEADER, safe_cell, write_csv
from app.entrypoints.cli.report_html import render_html
from app.entrypoints.cli.report_terminal import render_explanation, render_report
from app.infrastructure.json_store.course_repository import bundled_catalog_path, load_catalog
from app.infrastructure.json_store.lead_report_source import JsonLeadReportSource
from app.infrastructure.json_store.memory_repository import JsonUserMemoryRepository
from tests.report_memories import NOW, memory, sample_memories


@pytest.fixture
def source(tmp_path):
    repository = JsonUserMemoryRepository(tmp_path / "memory")
    hostile = memory(
        "whatsapp:+573009990000", idle=None, first_days_ago=1, name="<script>alert(1)</script> [red]Eve[/red]",
        interests=["python"], texts=["@SUM(A1)"],
    )  # fmt: skip
    hostile = hostile.model_copy(update={"last_interaction_at": NOW, "first_interaction_at": NOW})
    for item in [*sample_memories(), hostile]:
        asyncio.run(repository.save_user_memory(item))
    names = {course.id: course.name for course in load_catalog(bundled_catalog_path())}
    return JsonLeadReportSource(repository, names, "memoria JSON de prueba")


@pytest.fixture
def report(source):
    return asyncio.run(GenerateLeadReport(source, lambda: NOW).execute(ReportFilters(), UTC, "UTC"))


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so that Excel shows the accents"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_one_row_per_lead_and_list(report, tmp_path):
    path = tmp_path / "leads.csv"
    written = write_csv(report, path, UTC, show_phones=False)
    rows = read_csv(path)
    assert tuple(rows[0]) == HEADER
    body = [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]
    assert written == len(body) == len(report.leads.rows) + sum(len(r.rows) for r in report.reengagement)
    lists = [row["lista"] for row in body]
    assert lists.count("Mejores leads") == 10
    assert lists.count("Reenganche: 30 a 89 días sin escribir") == 1
    assert lists.count("Reenganche: 90+ días sin escribir") == 1
    ana = body[0]
    assert ana == {
        "lista": "Mejores leads", "posición": "1", "teléfono": "whatsapp:+57300***0001", "nombre": "Ana Gómez",
        "puntaje": "100", "etapa": "listo para cerrar", "puntaje en su último mensaje": "100",
        "intereses": "excel, python", "último mensaje": "'=HYPERLINK(\"http://x\")",
        "último contacto": "2026-10-31 12:00", "primer contacto": "2026-10-29 12:00", "pidió asesor": "sí",
        "acepta marketing": "sí",
    }  # fmt: skip


def test_csv_never_contains_opted_out_contacts_or_full_phones(report, tmp_path):
    path = tmp_path / "leads.csv"
    write_csv(report, path, UTC, show_phones=False)
    text = path.read_text(encoding="utf-8-sig")
    assert "Jorge" not in text
    assert "+573001110001" not in text
    write_csv(report, path, UTC, show_phones=True)
    assert "whatsapp:+573001110001" in path.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+1", "'=1+1"), ("+57300", "'+57300"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("hola", "hola"),
     (" =HYPERLINK(\"x\")", "' =HYPERLINK(\"x\")"), ("\n=1+1", "'\n=1+1"), ("\t@SUM(A1)", "'\t@SUM(A1)"),
     ("\r\n -2", "'\r\n -2"), ("\uff1d1+1", "'\uff1d1+1"), ("\uff0b57", "'\uff0b57"), ("\uff0d2", "'\uff0d2"),
     ("\uff20SUM(A1)", "'\uff20SUM(A1)"), ("  hola", "  hola"), ("Ana = contadora", "Ana = contadora")],
)  # fmt: skip
def test_csv_cells_cannot_become_formulas(text, safe):
    assert safe_cell(text) == safe


def test_html_page_is_self_contained_and_escapes_what_students_wrote(report):
    page = render_html(report, UTC, show_phones=False)
    assert page.startswith("<!DOCTYPE html>")
    # Nothing is fetched: no external script, stylesheet or image.
    assert "<script" not in page and "<link" not in page and "<img" not in page and "url(" not in page
    assert page.count("<svg ") == 4
    assert len(page.encode()) < 100_000
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "whatsapp:+57300***0001" in page and "+573001110001" not in page
    assert "Jorge" not in page
    for title in ("Distribución de puntajes", "Leads por etapa", "Intereses principales", "Nuevos leads por día"):
        assert f">{title}" in page


def test_terminal_report_shows_masked_phones_and_prints_names_literally(report):
    output = io.StringIO()
    render_report(report, Console(file=output, width=200, color_system=None), UTC, show_phones=False)
    text = output.getvalue()
    for heading in ("Totales", "Leads por etapa", "Señales de conversión", "Intereses principales",
                    "Cursos más pedidos", "Mejores leads (se muestran 10 de 10)", "Reenganche: 90+ días"):  # fmt: skip
        assert heading in text
    assert "whatsapp:+57300***0001" in text and "+573001110001" not in text
    assert "[red]Eve[/red]" in text  # rich markup typed by a student is not interpreted
    assert "Jorge" not in text


def test_terminal_explanation_answers_why_a_lead_has_its_score(source):
    explanation = asyncio.run(ExplainLead(source, lambda: NOW).execute("+573001110003"))
    output = io.StringIO()
    render_explanation(explanation, Console(file=output, width=120, color_system=None), UTC, show_phones=False)
    text = output.getvalue()
    assert "¿Por qué whatsapp:+57300***0003 (Carla) tiene 42?" in text
    assert "+20" in text and "mostró intención de compra" in text
    assert "-23" in text and "45 días sin escribir" in text
    assert "Puntaje en su último mensaje: 65" in text


def test_terminal_explanation_of_an_opted_out_contact(source):
    explanation = asyncio.run(ExplainLead(source, lambda: NOW).execute("+573001110006"))
    output = io.StringIO()
    render_explanation(explanation, Console(file=output, width=120, color_system=None), UTC, show_phones=True)
    assert "no se le contacta" in output.getvalue()
