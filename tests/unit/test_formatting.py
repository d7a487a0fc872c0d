import pytest

from app.application.formatting import (
    format_course_details,
    format_course_for_chat,
    format_course_list,
    split_for_whatsapp,
)
from app.domain.courses import Course
from app.domain.messages import WHATSAPP_PART_LIMIT


def test_course_block_has_bold_name_and_catalogue_facts(sample_courses):
    block = format_course_for_chat(sample_courses[0], position=1)
    lines = block.splitlines()
    assert lines[0] == "*1. 📚 Python desde cero*"
    assert "📝 Tu primer programa" in lines
    assert "📊 Nivel: principiante | 💻 Modalidad: online | 🗓️ Sesiones: 4" in lines
    assert lines[-1] == "💰 Precio: $149 USD"


def test_missing_facts_are_left_out_not_invented():
    block = format_course_for_chat(Course(id="x", name="Curso sin datos"))
    assert block == "*📚 Curso sin datos*"


def test_unreadable_price_is_shown_as_written():
    course = Course(id="x", name="Taller", price="Consultar", currency="USD")
    assert "💰 Precio: Consultar" in format_course_for_chat(course)


def test_course_list_is_numbered(sample_courses):
    text = format_course_list(sample_courses)
    assert "*1. 📚 Python desde cero*" in text
    assert "*3. 📚 Machine Learning aplicado*" in text


def test_details_list_sessions_and_bonuses(sample_courses):
    text = format_course_details(sample_courses[0])
    assert "1. Sesión 1 de Python" in text and "4. Sesión 4 de Python" in text
    assert "🎁 Plantillas de código" in text


@pytest.mark.parametrize("length", [1, 1599, 1600, 1601, 3300, 10_000])
def test_split_never_exceeds_the_whatsapp_limit_and_keeps_every_word(length):
    words = [f"palabra{i}" for i in range(length // 9 + 1)]
    text = "\n\n".join(" ".join(words[i : i + 30]) for i in range(0, len(words), 30))
    parts = split_for_whatsapp(text)
    assert all(len(p) <= WHATSAPP_PART_LIMIT for p in parts)
    assert " ".join(parts).split() == text.split()


def test_split_prefers_paragraph_boundaries():
    paragraph = "a" * 900
    parts = split_for_whatsapp(f"{paragraph}\n\n{paragraph}")
    assert parts == (paragraph, paragraph)


def test_split_hard_cuts_a_single_giant_word():
    parts = split_for_whatsapp("x" * 4000)
    assert [len(p) for p in parts] == [1600, 1600, 800]


def test_split_of_blank_text_is_empty():
    assert split_for_whatsapp("   ") == ()
