"""The dialogue set in basic mode: pass rate, no repeated reply, every fact backed."""

import pytest

from app.bootstrap.mode import build_container
from app.config import Settings
from tests.dialogue_checks import eval_dialogues, unbacked_facts

MIN_PASS_RATE = 0.95  # per kind of check
# The development set passes every check since acts, catalogue answers and derived facts:
# a regression of a single check in four hundred fails.
MIN_DEV_PASS_RATE = 0.995


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("data")
    settings = Settings(_env_file=None, data_dir=data_dir, database_url=None, openai_api_key=None)
    container = build_container(settings)
    yield container
    container.close()


@pytest.fixture(scope="module")
def report(basic):
    module = eval_dialogues()
    return module.run_dialogues(basic, module.load_dialogues(), target="basic mode")


def test_the_set_is_large_and_multi_turn(report):
    module = eval_dialogues()
    dialogues = module.load_dialogues()
    assert len(dialogues) >= 40 and report.turns >= 200
    assert all(4 <= len(d.turns) <= 8 for d in dialogues)


def test_at_least_99_5_percent_of_checks_pass_and_no_reply_repeats_the_previous(report):
    failures = "\n".join(f"{f.dialogue}#{f.turn} {f.kind}: {f.detail}" for f in report.failures())
    assert report.pass_rate() >= MIN_DEV_PASS_RATE, failures
    for kind in ("intent", "course", "says", "avoid"):
        assert report.pass_rate(kind) >= MIN_PASS_RATE, (kind, failures)
    assert report.repeated_replies == 0


def test_replies_are_phone_length(report):
    assert report.median_reply_chars <= 400


def test_every_fact_comes_from_the_catalogue_or_the_school_file(basic, report):
    assert unbacked_facts(basic, report) == []


def test_a_wrong_expectation_fails(basic):
    # The scorer itself must be able to fail: a made-up price and a reply that repeats.
    module = eval_dialogues()
    dialogue = module.Dialogue.model_validate(
        {"id": "wrong", "turns": [{"text": "ok"}, {"text": "ok"},
                                  {"text": "el de python desde cero cuanto cuesta", "says": ["$1 USD"]}]}
    )  # fmt: skip
    report = module.run_dialogues(basic, [dialogue], target="basic mode")
    assert [f.kind for f in report.failures()] == ["says"]
    assert report.pass_rate("says") == 0.0


def _unasked(report) -> list[str]:
    """Consents recorded and hand-offs announced at turns not marked as such."""
    return [
        f"{f.dialogue}#{f.turn} {f.kind}"
        for f in report.failures()
        if (f.kind == "consent" and "consent recorded" in f.detail)
        or (f.kind == "handoff" and "hand-off announced" in f.detail)
    ]


def test_no_consent_or_hand_off_at_a_turn_that_did_not_answer_that_question(basic, report):
    # Every transcript of both sets: a consent or a hand-off only where the student gave it.
    module = eval_dialogues()
    assert _unasked(report) == []
    holdout = module.run_dialogues(basic, module.load_dialogues(module.HOLDOUT_DIALOGUES), target="basic mode")
    # The held-out set is reported, not read: only the count is shown on failure.
    unasked = len(_unasked(holdout))
    assert unasked == 0, f"{unasked} unasked consent(s)/hand-off(s) in the held-out set"
