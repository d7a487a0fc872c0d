"""Settings from the environment and an optional .env file (names of the original guide)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebhookTrust(enum.Enum):
    SIGNED = "signed"  # a valid signature, checked with TWILIO_AUTH_TOKEN
    NOTHING = "nothing"  # no token to check with: every webhook request is refused
    ANYONE = "anyone"  # TWILIO_VALIDATE_SIGNATURE=false: every request is accepted

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
    # Twilio may still create a message this long after our request to it timed out: a reply
    # part left unconfirmed is looked up in Twilio's list only after that, and sent again
    # only if it is not there.
    twilio_late_create_seconds: float = Field(default=30.0, ge=0, le=600)
    # REST delivery: a user's job runs this many seconds after the message that queued it, so
    # the messages that arrive meanwhile are answered by the same turn and reply (twiml
    # answers each request inline). 0: at once.
    burst_window_seconds: float = Field(default=3.0, ge=0, le=30)
    # The queue worker (`python -m app worker`): jobs at once per process; how long a silent
    # worker is given before its jobs go back to the queue; runs of one job before its
    # unsent parts are marked failed (with backoff from 1 s to 30 s: about 8 minutes).
    worker_concurrency: int = Field(default=50, ge=1, le=500)
    worker_stalled_seconds: float = Field(default=30.0, ge=3, le=3600)
    delivery_attempts: int = Field(default=20, ge=1, le=50)
    # Single-process deployments: each web process also runs a worker.
    worker_in_web: bool = False
    # An open hand-off with no message from the student or the advisor for this long closes
    # by itself, and the bot answers again.
    handoff_quiet_hours: float = Field(default=24.0, gt=0, le=24 * 30)

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    openai_model: str = Field(default="gpt-4.1-mini", min_length=1)
    # The request shape the server reads (app/infrastructure/openai/dialect.py).
    openai_response_format: Literal["auto", "json_schema", "json_object", "prompt"] = "auto"
    openai_token_limit_param: Literal["auto", "max_tokens", "max_completion_tokens"] = "auto"
    openai_stream: Literal["auto", "on", "off"] = "auto"
    openai_instructions_role: Literal["system", "user"] = "system"
    # Each AI attempt gets OPENAI_TIMEOUT_SECONDS, and one retry is made only while the whole
    # AI step stays within its budget: AI_BUDGET_SECONDS for inline replies (clamped so that
    # Twilio's 15 s are kept), AI_WORKER_BUDGET_SECONDS for the REST worker (no webhook waits).
    openai_timeout_seconds: float = Field(default=6.0, gt=0, le=300)
    openai_max_retries: int = Field(default=1, ge=0, le=2)
    ai_budget_seconds: float = Field(default=8.0, gt=0, le=300)
    ai_worker_budget_seconds: float = Field(default=30.0, gt=0, le=600)
    # After the AI fails, templates answer for this long before it is tried again.
    ai_cooldown_seconds: float = Field(default=30.0, ge=0, le=3600)
    # REST delivery: course lists as WhatsApp list-pickers and yes/no questions as buttons
    # (Content API); false: text only.
    whatsapp_tappable: bool = True
    # Voice notes (REST delivery, AI configured): transcribed with this model, in Spanish; a
    # model that refuses WhatsApp's Ogg/Opus is retried with the fallback. Larger or slower
    # audio is not transcribed (the student is asked to write).
    openai_transcription_model: str = "gpt-4o-mini-transcribe"
    openai_transcription_fallback_model: str = "whisper-1"
    voice_note_max_bytes: int = Field(default=16 * 1024 * 1024, gt=0, le=25 * 1024 * 1024)
    voice_note_timeout_seconds: float = Field(default=30.0, gt=0, le=120)

    database_url: SecretStr | None = None
    memory_store: Literal["auto", "postgres", "json"] = "auto"

    # The school's answers to questions that are not course fields (payment, refunds, campus...):
    # a JSON file the school edits; empty = the sample shipped in app/infrastructure/school_knowledge/.
    school_knowledge_path: Path | None = None

    public_base_url: str | None = None
    data_dir: Path = Path("data")
    reply_timeout_seconds: float = Field(default=12.0, gt=0, le=14.5)
    # The web worker reads each request in full before a thread takes it; one that has not
    # arrived within this many seconds is answered 408 (slow clients cannot hold the threads).
    request_read_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # REST mode: the webhook answers 503 when its message is not committed within this many
    # seconds (a database restarting or hung), well inside Twilio's 15 s, so Twilio retries.
    webhook_db_wait_seconds: float = Field(default=5.0, gt=0, le=12)
    # /health shows only its status to the public; its details (hosts, pids, paths, settings)
    # to requests from this machine or carrying this value in the X-Health-Token header.
    health_token: SecretStr | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Inbound messages (number, text, reply) older than this are deleted by `python -m app prune`.
    retention_days: int = Field(default=90, ge=1, le=3650)
    # Database modes: the users' memories each process keeps for an outage, in megabytes (0: none).
    memory_cache_mb: float = Field(default=16.0, ge=0, le=4096)

    @field_validator(
        "twilio_account_sid", "twilio_phone_number", "openai_base_url", "public_base_url", "school_knowledge_path",
        "advisor_whatsapp_numbers", "advisor_alert_content_sid", mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("twilio_auth_token", "openai_api_key", "database_url", "health_token", mode="before")
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

    @model_validator(mode="after")
    def _rest_needs_the_queue(self) -> Settings:
        """The REST path's queue, outbox and memory live in PostgreSQL: nothing else is shared
        between web and worker processes."""
        if self.reply_delivery != "rest":
            return self
        if self.database_url is None:
            raise ValueError("REPLY_DELIVERY=rest needs DATABASE_URL (its job queue is in PostgreSQL); not set")
        if self.memory_store == "json":
            raise ValueError("REPLY_DELIVERY=rest keeps memory in PostgreSQL; MEMORY_STORE=json cannot be used with it")
        return self

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

    @field_validator("advisor_alert_content_sid")
    @classmethod
    def _content_sid_shape(cls, value: str | None) -> str | None:
        if value is not None and not (value.startswith("HX") and len(value) == 34):
            raise ValueError("must be a Twilio Content SID: 'HX' and 32 hexadecimal characters")
        return value

    @model_validator(mode="after")
    def _advisor_alerts_need_both(self) -> Settings:
        if bool(self.advisor_numbers) != bool(self.advisor_alert_content_sid):
            raise ValueError(
                "advisor alerts need both ADVISOR_WHATSAPP_NUMBERS and ADVISOR_ALERT_CONTENT_SID (WhatsApp only "
                "accepts an approved template outside the 24-hour window)"
            )
        return self

    @property
    def advisor_numbers(self) -> tuple[str, ...]:
        """ADVISOR_WHATSAPP_NUMBERS as WhatsApp addresses."""
        raw = [n.strip() for n in (self.advisor_whatsapp_numbers or "").split(",") if n.strip()]
        return tuple(n if n.startswith("whatsapp:") else f"whatsapp:{n}" for n in raw)

    @property
    def ai_configured(self) -> bool:
        return self.openai_api_key is not None

    @property
    def webhook_trust(self) -> WebhookTrust:
        """Which webhook requests the web server accepts (app/entrypoints/web/trust.py says why)."""
        if not self.twilio_validate_signature:
            return WebhookTrust.ANYONE
        return WebhookTrust.SIGNED if self.twilio_auth_token is not None else WebhookTrust.NOTHING

    @property
    def validates_signatures(self) -> bool:
        return self.twilio_auth_token is not None and self.twilio_validate_signature

    @property
    def twilio_account_configured(self) -> bool:
        return all(getattr(self, name) is not None for name in _TWILIO_ACCOUNT_FIELDS)

    @property
    def ai_turn_budget_seconds(self) -> float:
        """The AI step's budget on this process's delivery path."""
        if self.replies_by_rest:
            return self.ai_worker_budget_seconds
        return max(1.0, min(self.ai_budget_seconds, self.reply_timeout_seconds - 2.0))

    @property
    def replies_by_rest(self) -> bool:
        """REPLY_DELIVERY resolved: rest, or auto with a complete Twilio account and the
        PostgreSQL memory the queue needs."""
        if self.reply_delivery == "auto":
            return self.twilio_account_configured and self.inline_reason is None
        return self.reply_delivery == "rest"

    @property
    def inline_reason(self) -> str | None:
        """Why REPLY_DELIVERY=auto answers inline although the Twilio account is complete."""
        if self.database_url is None:
            return "DATABASE_URL is not set: without PostgreSQL there is no shared job queue"
        if self.memory_store == "json":
            return "MEMORY_STORE=json: the job queue needs memory in PostgreSQL"
        return None

    # Lead events (handoff.opened, lead.stage_changed, contact.opted_out) POSTed to the
    # team's tools, signed with HMAC-SHA256 (docs/lead-events.md). Unset: events are only kept.
    lead_webhook_url: str | None = None
    lead_webhook_secret: SecretStr | None = None
    lead_webhook_timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    # Advisors alerted on WhatsApp when a student asks for a person: their numbers (comma
    # separated) and the approved template ({{1}} name, {{2}} phone, {{3}} courses).
    advisor_whatsapp_numbers: str | None = None
    advisor_alert_content_sid: str | None = None

    @field_validator("lead_webhook_url", "lead_webhook_secret", mode="before")
    @classmethod
    def _blank_lead_webhook_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("lead_webhook_url")
    @classmethod
    def _lead_webhook_http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("LEAD_WEBHOOK_URL must be an http:// or https:// URL")
        return value

    @model_validator(mode="after")
    def _lead_webhook_needs_a_secret(self) -> Settings:
        """An unsigned event could be forged by anyone who finds the receiver's URL: no URL
        without a secret, and a secret long enough not to be guessed."""
        if self.lead_webhook_url is None:
            return self
        if self.lead_webhook_secret is None:
            raise ValueError(
                "LEAD_WEBHOOK_URL is set but LEAD_WEBHOOK_SECRET is not: events are signed with it "
                "(generate one with: python -c \"import secrets; print(secrets.token_hex(32))\")"
            )
        if len(self.lead_webhook_secret.get_secret_value()) < 16:
            raise ValueError("LEAD_WEBHOOK_SECRET must have at least 16 characters")
        return self


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
