import pytest

from app.config import SettingsError, load_settings
from app.domain.modes import Mode, select_mode
from app.domain.references import resolve_course_reference
from app.domain.text import normalize

LISTED = ["c1", "c2", "c3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("me interesa el segundo", "c2"), ("cuánto cuesta el 1?", "c1"), ("la opción 3 porfa", "c3"),
     ("EL ÚLTIMO", "c3"), ("info del primero", "c1"),
     ("me quedo con la segunda", "c2"), ("el quinto", None), ("tengo 2 hijos", None), ("ese curso", None)],
)  # fmt: skip
def test_course_references(text, expected):
    assert resolve_course_reference(text, LISTED) == expected


def test_demonstrative_resolves_only_when_one_course_was_listed():
    assert resolve_course_reference("me interesa ese curso", ["only"]) == "only"
    assert resolve_course_reference("el primero", []) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("¡¡Holaaa!! ¿Cuánto CUESTA? 😊", "hola cuanto cuesta"), ("Año de DISEÑO", "año de diseño"),
     ("maquin lerning!!!", "maquin lerning"), ("🙂🙂", "")],
)  # fmt: skip
def test_normalize(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("courses_db", "memory_db", "ai", "mode"),
    [(True, True, True, Mode.FULL), (True, True, False, Mode.DATABASE), (True, False, True, Mode.HYBRID),
     (True, False, False, Mode.HYBRID), (False, False, True, Mode.AI_ONLY), (False, False, False, Mode.BASIC),
     (False, True, False, Mode.DATABASE), (False, True, True, Mode.FULL)],
)  # fmt: skip
def test_mode_selection(courses_db, memory_db, ai, mode):
    assert select_mode(courses_in_database=courses_db, memory_in_database=memory_db, ai_configured=ai) == mode


def test_no_settings_means_basic_defaults():
    settings = load_settings(_env_file=None)
    assert settings.database_url is None and not settings.ai_configured and not settings.validates_signatures


def test_blank_values_count_as_unset():
    settings = load_settings(_env_file=None, openai_api_key="  ", database_url="")
    assert settings.openai_api_key is None and settings.database_url is None


def test_invalid_settings_are_all_named():
    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None, database_url="mysql://x", twilio_account_sid="XX1", public_base_url="ftp://a")
    message = str(error.value)
    assert "DATABASE_URL" in message and "TWILIO_ACCOUNT_SID" in message and "PUBLIC_BASE_URL" in message


def test_signature_validation_needs_a_token_and_can_be_disabled():
    assert load_settings(_env_file=None, twilio_auth_token="t").validates_signatures
    assert not load_settings(
        _env_file=None, twilio_auth_token="t", twilio_validate_signature=False
    ).validates_signatures


def test_advisor_alerts_need_numbers_and_an_approved_template():
    from app.config import SettingsError, load_settings

    with pytest.raises(SettingsError, match="ADVISOR_ALERT_CONTENT_SID"):
        load_settings(_env_file=None, advisor_whatsapp_numbers="+573001112233")
    with pytest.raises(SettingsError, match="Content SID"):
        load_settings(_env_file=None, advisor_whatsapp_numbers="+573001112233", advisor_alert_content_sid="hola")
    settings = load_settings(
        _env_file=None, advisor_whatsapp_numbers="+573001112233, whatsapp:+573004445566",
        advisor_alert_content_sid="HX" + "0" * 32,
    )  # fmt: skip
    assert settings.advisor_numbers == ("whatsapp:+573001112233", "whatsapp:+573004445566")


def test_the_sample_env_file_loads_as_it_is(tmp_path):
    from pathlib import Path

    from app.config import Settings

    sample = Path(__file__).resolve().parents[2] / ".env.example"
    settings = Settings(_env_file=sample)  # type: ignore[call-arg]
    assert settings.advisor_numbers == () and not settings.replies_by_rest
