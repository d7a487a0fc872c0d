from app.bootstrap.health import webhook_signatures
from app.config import Settings


def test_health_says_a_missing_token_refuses_every_webhook_rather_than_validation_off(tmp_path):
    without_token = Settings(_env_file=None, data_dir=tmp_path)
    assert webhook_signatures(without_token) == "no TWILIO_AUTH_TOKEN: every webhook request refused"


def test_health_tells_validation_on_from_validation_turned_off(tmp_path):
    signed = Settings(_env_file=None, data_dir=tmp_path, twilio_auth_token="t" * 32)
    opened = Settings(_env_file=None, data_dir=tmp_path, twilio_auth_token="t" * 32, twilio_validate_signature=False)
    assert webhook_signatures(signed) == "signature validation on"
    assert webhook_signatures(opened) == "signature validation off: unsigned requests accepted"
