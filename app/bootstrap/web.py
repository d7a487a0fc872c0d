"""What a web process runs: the engine, replying inline as TwiML; or REST delivery's intake,
with a queue worker beside it when WORKER_IN_WEB is set."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from app.bootstrap.container import Container
from app.bootstrap.health import Health, rest_health
from app.bootstrap.mode import build_container
from app.config import Settings

if TYPE_CHECKING:
    from app.bootstrap.worker import WorkerRuntime
    from app.infrastructure.queue.intake import MessageIntake

logger = logging.getLogger(__name__)


class WebProcess:
    """The engine (inline replies) or the intake (REST replies) of one web process."""

    def __init__(
        self,
        settings: Settings,
        *,
        container: Container | None = None,
        intake: MessageIntake | None = None,
        worker: WorkerRuntime | None = None,
    ) -> None:
        self.settings = settings
        self.container = container
        self.intake = intake
        self.worker = worker

    def parts(self) -> dict[str, Container | MessageIntake | WorkerRuntime]:
        """The parts this process runs, by name, for whoever must close them."""
        named = {"container": self.container, "intake": self.intake, "worker": self.worker}
        return {name: part for name, part in named.items() if part is not None}

    def health(self) -> Health:
        if self.intake is not None:
            engine = self.worker.container.health() if self.worker is not None else None
            return rest_health(self.settings, self.intake, engine)
        assert self.container is not None
        return self.container.health()


def build_web_process(
    settings: Settings, container: Container | None = None, intake: MessageIntake | None = None
) -> WebProcess:
    """REST delivery records and enqueues (a worker may run here too); inline delivery answers
    with the engine. `container` or `intake` given are used instead of new ones."""
    if settings.replies_by_rest:
        # Imported here: the queue, its drivers and the Twilio client serve REST delivery only.
        from app.bootstrap.worker import build_intake, build_worker

        intake = intake or build_intake(settings)
        worker = build_worker(settings) if settings.worker_in_web else None
        if worker is not None:
            worker.start()
        logger.info("REST delivery: the webhook records and enqueues%s", "; a worker runs here" if worker else "")
        return WebProcess(settings, intake=intake, worker=worker)
    container = container or build_container(settings)
    if settings.reply_delivery == "auto" and settings.twilio_account_configured:
        logger.info("replies inline as TwiML although the Twilio account is set: %s", settings.inline_reason)
    else:
        logger.info("replies inline as TwiML (REPLY_DELIVERY=%s)", settings.reply_delivery)
    return WebProcess(settings, container=container)
