"""Settings from the environment and an optional .env file (names of the original guide)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_phone_number: str | None = None
    twilio_validate_signature: bool = True
    # How replies reach the student: inline as TwiML in the webhook's answer, or through the
    # REST API after the webhook has answered at once. auto: rest when the account, token and
    # sender are all set. Declared after them: its validator reads them.
    reply_delivery: Literal["auto", "twiml", "rest"] = "auto"
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # Seconds between sweeps for replies a dead or failed worker left unsent (rest only).
    delivery_sweep_seconds: float = Field(default=15.0, gt=0, le=3600)
    # Messages of one user at most this many seconds apart are a burst answered by one turn and
    # one reply (rest only; twiml answers each request inline). 0: every message on its own.
    burst_window_seconds: float = Field(default=3.0, ge=0, le=30)

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4o-mini"
    # Twilio waits 15 s for the reply: each AI attempt gets OPENAI_TIMEOUT_SECONDS, and one
    # retry is made only while the whole AI step stays within AI_BUDGET_SECONDS.
    openai_timeout_seconds: float = Field(default=6.0, gt=0, le=10)
    openai_max_retries: int = Field(default=1, ge=0, le=2)
    ai_budget_seconds: float = Field(default=8.0, gt=0, le=10)
    # After the AI fails, templates answer for this long before it is tried again.
    ai_cooldown_seconds: float = Field(default=30.0, ge=0, le=3600)

    database_url: SecretStr | None = None
    memory_store: Literal["auto", "postgres", "json"] = "auto"

    public_base_url: str | None = None
    data_dir: Path = Path("data")
    reply_timeout_seconds: float = Field(default=12.0, gt=0, le=14.5)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("twilio_account_sid", "twilio_phone_number", "openai_base_url", "public_base_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("twilio_auth_token", "openai_api_key", "database_url", mode="before")
    @classmethod
    def _blank_secret_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("twilio_account_sid")
    @classmethod
    def _account_sid_shape(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("AC") and len(value) == 34):
            raise ValueError("TWILIO_ACCOUNT_SID must start with 'AC' and have 34 characters")
        return value

    @field_validator("reply_delivery")
    @classmethod
    def _rest_needs_the_account(cls, value: str, info: ValidationInfo) -> str:
        if value != "rest":
            return value
        missing = [name.upper() for name in _TWILIO_ACCOUNT_FIELDS if info.data.get(name) is None]
        if missing:
            needed = "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_PHONE_NUMBER"
            raise ValueError(f"rest needs {needed}; {', '.join(missing)} not set")
        return value

    @field_validator("public_base_url", "openai_base_url", "twilio_api_base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value.rstrip("/") if value else value

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(("postgres://", "postgresql://")):
            raise ValueError("DATABASE_URL must start with postgresql:// or postgres://")
        return value

    @property
    def ai_configured(self) -> bool:
        return self.openai_api_key is not None

    @property
    def validates_signatures(self) -> bool:
        return self.twilio_auth_token is not None and self.twilio_validate_signature

    @property
    def twilio_account_configured(self) -> bool:
        return all(getattr(self, name) is not None for name in _TWILIO_ACCOUNT_FIELDS)

    @property
    def replies_by_rest(self) -> bool:
        """REPLY_DELIVERY resolved: rest, or auto with a complete Twilio account."""
        if self.reply_delivery == "auto":
            return self.twilio_account_configured
        return self.reply_delivery == "rest"


_TWILIO_ACCOUNT_FIELDS = ("twilio_account_sid", "twilio_auth_token", "twilio_phone_number")


class SettingsError(Exception):
    """Configuration that cannot work; the message names each bad variable."""


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        problems = [
            f"  {'.'.join(str(p) for p in issue['loc']).upper() or 'SETTINGS'}: {issue['msg']}"
            for issue in error.errors()
        ]
        raise SettingsError("Invalid configuration:\n" + "\n".join(problems)) from None
