"""A subject named by a verb of the vocabulary in any of its forms."""

import pytest

from app.domain.topics import extract_topics


@pytest.mark.parametrize(
    ("text", "topic"),
    [("nunca ha programado", "programación"), ("estoy automatizando mis reportes", "automatización"),
     ("organizo todo en papel", "productividad"), ("reclutamos cada mes", "recursos humanos")],
)  # fmt: skip
def test_a_verb_of_the_vocabulary_in_another_form_names_its_subject(text: str, topic: str) -> None:
    assert topic in extract_topics(text)


def test_english_nouns_ending_like_a_verb_stand_only_as_written() -> None:
    # "zapier", "docker", "hacker" are no infinitives: "zapi..." or "dock..." name nothing.
    assert extract_topics("me dan un dock para el zapato") == []
