"""The dialogue set in database mode: PostgreSQL catalogue and memory, no AI."""

from app.bootstrap.mode import build_container
from tests.dialogue_checks import eval_dialogues, unbacked_facts

MIN_PASS_RATE = 0.95


def test_database_mode_answers_the_dialogues_as_well_as_basic_mode(catalog_database, make_settings):
    container = build_container(make_settings(database_url=catalog_database, openai_api_key=None))
    try:
        assert container.mode.value == "database"
        module = eval_dialogues()
        report = module.run_dialogues(container, module.load_dialogues(), target="database mode")
        failures = "\n".join(f"{f.dialogue}#{f.turn} {f.kind}: {f.detail}" for f in report.failures())
        assert report.pass_rate() >= MIN_PASS_RATE, failures
        assert report.repeated_replies == 0
        # The course in focus and the cards shown survive the round trip through user_memory.
        assert report.pass_rate("says") >= MIN_PASS_RATE, failures
        assert unbacked_facts(container, report) == []
    finally:
        container.close()
