"""The held-out dialogue set and the evaluation's per-kind and consent/hand-off bookkeeping."""

import json

import pytest

from app.bootstrap.mode import build_container
from app.config import Settings
from tests.dialogue_checks import eval_dialogues

WRITTEN = ("intent", "course", "says", "avoid")


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    settings = Settings(
        _env_file=None, data_dir=tmp_path_factory.mktemp("data"), database_url=None, openai_api_key=None
    )
    container = build_container(settings)
    yield container
    container.close()


def _raw_turns(path):
    return [turn for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            for turn in json.loads(line)["turns"]]  # fmt: skip


def test_the_held_out_set_is_large_enough_and_every_turn_of_both_sets_names_its_kind():
    module = eval_dialogues()
    holdout = module.load_dialogues(module.HOLDOUT_DIALOGUES)
    written = sum(
        (t.intent is not None) + (t.course is not None) + len(t.says) + len(t.avoid)
        for d in holdout for t in d.turns
    )  # fmt: skip
    assert len(holdout) >= 30 and written >= 160
    for path in module.DIALOGUE_SETS.values():
        assert all(turn.get("kind") in module.TURN_KINDS for turn in _raw_turns(path)), path
    dev_ids = {d.id for d in module.load_dialogues(module.DEFAULT_DIALOGUES)}
    assert not dev_ids & {d.id for d in holdout}


def test_checks_are_counted_per_kind_of_reading():
    module = eval_dialogues()
    checks = [
        module.CheckResult(dialogue="a", turn=1, kind="says", passed=True, turn_kind="acts"),
        module.CheckResult(dialogue="a", turn=1, kind="consent", passed=False, turn_kind="acts"),
        module.CheckResult(dialogue="a", turn=2, kind="says", passed=False, turn_kind="catalogue"),
    ]
    report = module.DialogueReport(target="t", dialogues=1, turns=2, checks=checks, reply_lengths=[1, 1],
                                   repeated_replies=0)  # fmt: skip
    assert report.pass_rate(turn_kind="acts") == 0.5 and report.count(turn_kind="acts") == 2
    assert report.pass_rate(turn_kind="catalogue") == 0.0
    assert report.pass_rate("says") == 0.5 and report.pass_rate("consent") == 0.0
    assert report.written_pass_rate("acts") == 1.0 and report.safety_failures("acts") == 1
    assert report.written_pass_rate("catalogue") == 0.0 and report.written_count("catalogue") == 1
    assert report.summary()["written_pass_rate_by_turn_kind"]["catalogue"] == 0.0


def test_the_threshold_is_asserted_on_the_dev_set_only():
    module = eval_dialogues()

    def report(passed: bool):
        check = module.CheckResult(dialogue="a", turn=1, kind="says", passed=passed)
        return module.DialogueReport(target="t", dialogues=1, turns=1, checks=[check], reply_lengths=[1],
                                     repeated_replies=0)  # fmt: skip

    assert module.passes_thresholds({"dev": report(True), "holdout": report(False)})
    assert not module.passes_thresholds({"dev": report(False), "holdout": report(True)})


def test_a_hand_off_at_an_unmarked_turn_fails_and_at_a_marked_turn_passes(basic):
    module = eval_dialogues()
    asked = {"text": "quiero hablar con un asesor", "kind": "promises"}
    unmarked = module.Dialogue.model_validate({"id": "u", "turns": [asked]})
    marked = module.Dialogue.model_validate({"id": "m", "turns": [{**asked, "handoff": True}]})
    report = module.run_dialogues(basic, [unmarked, marked], target="basic mode")
    handoffs = [c for c in report.checks if c.kind == "handoff"]
    assert [(c.dialogue, c.passed) for c in handoffs] == [("u", False), ("m", True)]
    assert all(c.turn_kind == "promises" for c in handoffs)


def test_a_consent_marked_but_never_recorded_fails(basic):
    module = eval_dialogues()
    dialogue = module.Dialogue.model_validate({"id": "c", "turns": [{"text": "hola", "consent": True}]})
    report = module.run_dialogues(basic, [dialogue], target="basic mode")
    assert [c.passed for c in report.checks if c.kind == "consent"] == [False]


def test_a_yes_to_the_consent_question_counts_only_where_marked(basic):
    module = eval_dialogues()
    texts = ["hola", "quiero aprender python", "cuanto cuesta el de python desde cero?", "cuando empieza?",
             "tiene certificado?", "cuantas sesiones son?", "es online?", "quedan grabadas?"]  # fmt: skip
    probe = module.run_dialogues(basic, [module.Dialogue(id="p", turns=[{"text": t} for t in texts])], "basic")
    asked = next(i for i, r in enumerate(probe.replies) if "nuevos cursos y promociones" in r.text)
    lead = [{"text": t} for t in texts[: asked + 1]]

    def consent_checks(answer: dict) -> list[bool]:
        dialogue = module.Dialogue.model_validate({"id": "c", "turns": [*lead, answer]})
        report = module.run_dialogues(basic, [dialogue], target="basic mode")
        return [c.passed for c in report.checks if c.kind == "consent"]

    assert consent_checks({"text": "si", "consent": True})[-1] is True
    assert consent_checks({"text": "si"})[-1] is False  # recorded at a turn not marked as an answer
    assert all(consent_checks({"text": "si", "consent": True}))
