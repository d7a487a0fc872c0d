"""Follow-up campaigns (`python -m app campaign`): PostgreSQL for the contacts, Twilio's
template sender when the command sends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from app.application.campaigns import RunCampaign, SummarizeCampaign
from app.bootstrap.clock import utc_now
from app.bootstrap.course_names import bundled_course_names, database_course_names
from app.bootstrap.delivery import twilio_sender_options
from app.config import Settings, SettingsError
from app.infrastructure.postgres.campaigns import PostgresCampaignStore
from app.infrastructure.twilio.template_sender import TwilioTemplateSender


class Campaigns:
    """The campaign use cases over PostgreSQL, with Twilio when the command sends."""

    def __init__(self, store: PostgresCampaignStore, sender: TwilioTemplateSender | None, callback: str | None) -> None:
        self.store = store
        self.run = RunCampaign(store, sender, utc_now, status_callback=callback)
        self.summarize = SummarizeCampaign(store)


def campaign_setup_problem(settings: Settings, *, sending: bool) -> str | None:
    """Why campaigns cannot run with these settings (Spanish, for the marketer), or None.
    A dry run and a summary only read the database; sending also needs the Twilio account
    and the public URL Twilio reports delivery to."""
    if settings.database_url is None or settings.memory_store == "json":
        return (
            "Las campañas necesitan la memoria de los contactos en PostgreSQL: configure DATABASE_URL "
            "(y MEMORY_STORE distinto de json). / Campaigns need DATABASE_URL (memory in PostgreSQL)."
        )
    if sending and not settings.twilio_account_configured:
        return (
            "Para enviar hace falta la cuenta de Twilio: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN y "
            "TWILIO_PHONE_NUMBER (pruebe antes con --dry-run). / Sending needs the Twilio account."
        )
    if sending and not settings.public_base_url:
        return (
            "Falta PUBLIC_BASE_URL: sin ella Twilio no informa entregas y lecturas (/webhook/status) y "
            "--summary no tendría datos. / PUBLIC_BASE_URL is needed for status callbacks."
        )
    return None


@asynccontextmanager
async def open_campaigns(settings: Settings, *, sending: bool, concurrency: int = 8) -> AsyncIterator[Campaigns]:
    """Raises SettingsError with campaign_setup_problem's message when they cannot run."""
    problem = campaign_setup_problem(settings, sending=sending)
    if problem is not None:
        raise SettingsError(problem)
    assert settings.database_url is not None
    # Course names for {{course}}: the school's tables, then the bundled catalogue's ids.
    store = PostgresCampaignStore(
        settings.database_url.get_secret_value(),
        {**await bundled_course_names(), **await database_course_names(settings)},
        pool_size=concurrency + 2,
    )
    await store.open()
    sender = callback = None
    if sending:
        assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_phone_number
        callback = f"{settings.public_base_url}/webhook/status"
        sender = TwilioTemplateSender(twilio_sender_options(settings, concurrency, status_callback=None))
    try:
        yield Campaigns(store, sender, callback)
    finally:
        if sender is not None:
            await sender.aclose()
        await store.close()
