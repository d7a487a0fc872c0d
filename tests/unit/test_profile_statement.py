import pytest

from app.application.process_message import promote_profile_statement
from app.domain.intent_rules import RuleIntentClassifier
from app.domain.intents import Intent, IntentResult
from app.domain.profile import ProfileUpdate
from app.domain.profile_extraction import RuleProfileExtractor


@pytest.mark.parametrize(
    "text", ["trabajo en recursos humanos", "me gusta el diseño", "soy contadora", "lo mío es el marketing"]
)
def test_unplaced_self_description_opens_a_course_conversation(text):
    result = promote_profile_statement(RuleIntentClassifier().classify(text), RuleProfileExtractor().extract(text))
    assert result.intent in {Intent.EXPLORATION, Intent.GREETING, Intent.PROFESSION_CHANGE}
    assert result.intent != Intent.OFF_TOPIC


def test_confident_off_topic_is_left_alone():
    confident = IntentResult(intent=Intent.OFF_TOPIC, confidence=0.9)
    assert promote_profile_statement(confident, ProfileUpdate(role="chef")) is confident


def test_nothing_learned_means_no_promotion():
    weak = IntentResult(intent=Intent.OFF_TOPIC, confidence=0.3)
    assert promote_profile_statement(weak, ProfileUpdate()) is weak


def test_small_talk_beside_a_subject_the_school_teaches_opens_that_subject():
    text = "mi hijo tiene 16 años y nunca ha programado, le gustan los videojuegos"
    profile = RuleProfileExtractor().extract(text)
    assert "programación" in profile.interests  # "programado": the verb "programar" in another form
    assert promote_profile_statement(RuleIntentClassifier().classify(text), profile).intent == Intent.EXPLORATION


def test_small_talk_with_no_subject_stays_off_topic():
    text = "le gustan los videojuegos"
    result = RuleIntentClassifier().classify(text)
    assert promote_profile_statement(result, RuleProfileExtractor().extract(text)).intent == Intent.OFF_TOPIC


def test_a_school_question_beside_a_need_with_a_subject_also_shows_courses():
    from app.application.process_message import states_a_need_too
    from app.domain.facets import detect_facets

    text = "queremos capacitar a 10 personas en automatizar reportes"
    result, profile = RuleIntentClassifier().classify(text), RuleProfileExtractor().extract(text)
    assert states_a_need_too(result, detect_facets(text), profile)
    plain = "hacen factura?"
    assert not states_a_need_too(RuleIntentClassifier().classify(plain), detect_facets(plain),
                                 RuleProfileExtractor().extract(plain))  # fmt: skip
