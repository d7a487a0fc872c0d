import json
from collections import Counter
from pathlib import Path

import pytest

from app.application.ports import IntentClassifier
from app.domain.intent_rules import ASK_AI_BELOW, STRONG, RuleIntentClassifier, canonical_tokens
from app.domain.intents import Intent

DATA = Path(__file__).resolve().parent.parent / "data"
DEV_SET = DATA / "intent_set.jsonl"
HOLDOUT_SET = DATA / "intent_holdout.jsonl"
# Written by someone who never saw the rules or the other sets.
BLIND_SET = DATA / "intent_blind.jsonl"
MIN_ACCURACY = 0.92

classifier: IntentClassifier = RuleIntentClassifier()


def classify(text: str) -> Intent:
    return classifier.classify(text).intent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # accents, case, stretched letters, typos
        ("HOLAAAA", Intent.GREETING),
        ("Cuánto CUESTA el curso de Python?", Intent.GENERAL_QUESTION),
        ("cuanto cuesta el curso de python", Intent.GENERAL_QUESTION),
        ("kiero inscrivirme", Intent.BUYING_SIGNALS),
        ("incribanme porfa", Intent.BUYING_SIGNALS),
        ("me intereza la intelijencia artificial", Intent.EXPLORATION),
        ("hay algun curso grauito?", Intent.FREE_RESOURCES),
        ("estoy desenpleado y quiero reinventarme", Intent.PROFESSION_CHANGE),
        ("ke curzos ay?", Intent.EXPLORATION),
        # abbreviations
        ("q cursos tienen", Intent.EXPLORATION),
        ("cto cuesta el de excel", Intent.GENERAL_QUESTION),
        ("info porfa", Intent.EXPLORATION),
        ("no tngo tiempo x el trabajo", Intent.TIME_OBJECTION),
        ("kiero cambiar d carrera xq en lo mio no hay chamba", Intent.PROFESSION_CHANGE),
        ("no m escriban mas plis", Intent.OPT_OUT),
        ("me pasas el wsp de un asesor", Intent.CONTACT_REQUEST),
        # emoji
        ("👋", Intent.GREETING),
        ("holaaa 👋", Intent.GREETING),
        ("no tengo ⏰ para eso", Intent.TIME_OBJECTION),
        ("📞 porfa", Intent.CONTACT_REQUEST),
        ("💸💸 muy caro", Intent.PRICE_OBJECTION),
        # regional Spanish
        ("que onda carnal", Intent.GREETING),
        ("wena wena", Intent.GREETING),
        ("quiubo parce", Intent.GREETING),
        ("Che, ¿qué cursos tenés de IA?", Intent.EXPLORATION),
        ("vos querés saber? no tengo la guita ahora che", Intent.PRICE_OBJECTION),
        ("está re caro boludo", Intent.PRICE_OBJECTION),
        ("ando corto de lana", Intent.PRICE_OBJECTION),
        ("me mola lo de la IA, qué cursos hay tío?", Intent.EXPLORATION),
        ("estoy muy liado con el curro", Intent.TIME_OBJECTION),
        ("Vale tío, me apunto al de IA generativa", Intent.BUYING_SIGNALS),
        ("me quedé sin pega y quiero reconvertirme a IA", Intent.PROFESSION_CHANGE),
        ("orale, quiero el de python, como pago", Intent.BUYING_SIGNALS),
        ("le pido al de sistemas que me saque la info de la base de datos, quiero hacerlo yo", Intent.EXPLORATION),
        ("va, quiero hacerlo", Intent.BUYING_SIGNALS),
        # priority conflicts
        ("hola, quiero inscribirme", Intent.BUYING_SIGNALS),
        ("Hola, soy Ana", Intent.GREETING),
        ("hola soy Ana y quiero info de los cursos", Intent.EXPLORATION),
        ("quiero inscribirme pero está muy caro", Intent.PRICE_OBJECTION),
        ("me interesa pero no tengo tiempo ahorita", Intent.TIME_OBJECTION),
        ("está caro, hay becas?", Intent.FREE_RESOURCES),
        ("quiero inscribirme, me pueden llamar?", Intent.CONTACT_REQUEST),
        ("hola, no me escriban más", Intent.OPT_OUT),
        ("no me interesa, eliminen mi número", Intent.OPT_OUT),
        ("soy contador y quiero pasarme a datos", Intent.PROFESSION_CHANGE),
        ("pierdo horas haciendo reportes en excel", Intent.AUTOMATION_NEED),
        ("tienen cursos de automatización?", Intent.EXPLORATION),
        ("cuándo empieza el próximo grupo? quiero entrar", Intent.BUYING_SIGNALS),
        ("cuándo empieza el próximo curso?", Intent.GENERAL_QUESTION),
        ("cuotas?", Intent.PRICE_OBJECTION),
        ("aceptan tarjeta?", Intent.BUYING_SIGNALS),
        ("son muy largas las clases?", Intent.TIME_OBJECTION),
        ("el curso es gratis?", Intent.FREE_RESOURCES),
        ("me recomiendas una película?", Intent.OFF_TOPIC),
        ("quiero aprender a cocinar pizza", Intent.OFF_TOPIC),
        ("hola, viste el partido de ayer?", Intent.OFF_TOPIC),
        ("eres un bot?", Intent.CONTACT_REQUEST),
        ("no me llamen más", Intent.OPT_OUT),
        ("necesito un sistema para que los clientes agenden sin llamarme", Intent.AUTOMATION_NEED),
        ("el tiempo no me alcanza", Intent.TIME_OBJECTION),
        ("no me alcanza", Intent.PRICE_OBJECTION),
    ],
)
def test_tricky_messages(text, expected):
    assert classify(text) == expected


@pytest.mark.parametrize("text", ["no", "No.", "nop", "no sé", "no, gracias por la info, lo pienso"])
def test_a_bare_no_is_not_an_opt_out(text):
    assert classify(text) != Intent.OPT_OUT


@pytest.mark.parametrize("text", ["hola", "Buenas tardes!", "holaaa 👋", "Hola, soy Ana", "👋"])
def test_bare_greetings_are_confident(text):
    result = classifier.classify(text)
    assert result.intent == Intent.GREETING
    assert result.confidence >= 0.85


@pytest.mark.parametrize("text", ["stop", "BAJA", "no me escriban más", "denme de baja", "elimina mi número"])
def test_explicit_opt_outs_are_confident(text):
    result = classifier.classify(text)
    assert result.intent == Intent.OPT_OUT
    assert result.confidence >= 0.85


@pytest.mark.parametrize("text", ["", "   ", "😊", "😂😂😂", "...", "🙏🏻✨"])
def test_empty_or_emoji_only_text_is_low_confidence_off_topic(text):
    result = classifier.classify(text)
    assert result.intent == Intent.OFF_TOPIC
    assert result.confidence < ASK_AI_BELOW


@pytest.mark.parametrize("text", ["asdfgh", "el martes fui al mercado", "mi prima vive en Cali"])
def test_nothing_matched_is_off_topic_with_low_confidence(text):
    result = classifier.classify(text)
    assert result.intent == Intent.OFF_TOPIC
    assert result.confidence < ASK_AI_BELOW


def test_weak_cues_give_lower_confidence_than_clear_ones():
    weak = classifier.classify("python?")
    clear = classifier.classify("qué cursos de python tienen?")
    assert weak.intent == clear.intent == Intent.EXPLORATION
    assert weak.confidence < STRONG <= clear.confidence


def test_mixed_message_is_less_certain_than_a_clean_one():
    clean = classifier.classify("está muy caro")
    mixed = classifier.classify("quiero inscribirme pero está muy caro")
    assert mixed.intent == clean.intent == Intent.PRICE_OBJECTION
    assert mixed.confidence < clean.confidence


def test_matched_rules_name_what_fired():
    result = classifier.classify("hola, quiero inscribirme")
    assert "buy_enroll_verb" in result.matched_rules
    assert "greeting" in result.matched_rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kiero inscrivirme", ["quiero", "inscribirme"]),
        ("q onda", ["que", "onda"]),
        ("xq no", ["porque", "no"]),
        ("holaa", ["hola"]),
        ("presio", ["precio"]),
        # real words near a keyword are left alone
        ("premio", ["premio"]),
        ("carro", ["carro"]),
        ("fui", ["fui"]),
        ("carnal", ["carnal"]),
    ],
)
def test_canonical_tokens_fix_typos_without_inventing_words(text, expected):
    assert canonical_tokens(text) == expected


def load(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def accuracy(rows: list[dict[str, str]]) -> float:
    return sum(classify(row["text"]) == Intent(row["intent"]) for row in rows) / len(rows)


@pytest.mark.parametrize(
    ("path", "min_total", "min_per_intent"),
    [(DEV_SET, 300, 20), (HOLDOUT_SET, 120, 10), (BLIND_SET, 180, 15)],
    ids=["dev", "holdout", "blind"],
)
def test_labelled_sets_are_large_and_cover_every_intent(path, min_total, min_per_intent):
    rows = load(path)
    counts = Counter(Intent(row["intent"]) for row in rows)
    assert len(rows) >= min_total
    assert {intent: counts[intent] for intent in Intent if counts[intent] < min_per_intent} == {}
    assert all(row["text"].strip() for row in rows)


@pytest.mark.parametrize("path", [DEV_SET, HOLDOUT_SET, BLIND_SET], ids=["dev", "holdout", "blind"])
def test_accuracy_on_labelled_sets(path):
    assert accuracy(load(path)) >= MIN_ACCURACY


def test_holdout_does_not_repeat_dev_messages():
    dev = {row["text"].strip().lower() for row in load(DEV_SET)}
    assert [row["text"] for row in load(HOLDOUT_SET) if row["text"].strip().lower() in dev] == []


def test_confidence_is_always_a_probability():
    for row in load(DEV_SET):
        result = classifier.classify(row["text"])
        assert 0.0 <= result.confidence <= 1.0
