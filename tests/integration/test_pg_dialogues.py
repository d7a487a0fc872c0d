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


def _unasked(report) -> int:
    return sum(
        1
        for f in report.failures()
        if (f.kind == "consent" and "consent recorded" in f.detail)
        or (f.kind == "handoff" and "hand-off announced" in f.detail)
    )


def test_database_mode_records_no_consent_or_hand_off_nobody_gave_and_a_hand_off_it_announces(
    catalog_database, make_settings
):
    import psycopg

    container = build_container(make_settings(database_url=catalog_database, openai_api_key=None))
    try:
        module = eval_dialogues()
        announced: set[tuple[str, str]] = set()
        for path in (module.DEFAULT_DIALOGUES, module.HOLDOUT_DIALOGUES):
            report = module.run_dialogues(container, module.load_dialogues(path), target="database mode")
            assert _unasked(report) == 0, f"{path.name}: {_unasked(report)} unasked consent(s)/hand-off(s)"
            announced |= {(path.name, c.dialogue) for c in report.checks
                          if c.kind == "handoff" and "hand-off announced" in c.detail}  # fmt: skip
        # Every student a reply told "ya le pasé tus datos" has an open hand-off row, one each.
        with psycopg.connect(catalog_database) as connection:
            rows = connection.execute("SELECT count(DISTINCT user_id) FROM handoffs WHERE closed_at IS NULL").fetchone()
        assert announced and rows is not None and rows[0] == len(announced)
    finally:
        container.close()
