"""`python -m app worker`: the queue worker process (conversation, AI, sending)."""

from __future__ import annotations

import logging
import sys
from argparse import ArgumentParser, Namespace

from app.bootstrap.worker import build_worker
from app.config import Settings

logger = logging.getLogger(__name__)


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--concurrency", type=int, default=None, help="jobs at once (WORKER_CONCURRENCY, 50)")


def run(settings: Settings, args: Namespace) -> int:
    if args.concurrency is not None:
        settings = settings.model_copy(update={"worker_concurrency": max(1, args.concurrency)})
    if not settings.replies_by_rest:
        print(
            "The worker sends replies through Twilio's REST API, which needs the Twilio account "
            "(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_PHONE_NUMBER) and DATABASE_URL. "
            f"Now replies go inline as TwiML: {settings.inline_reason or 'REPLY_DELIVERY=twiml'}.",
            file=sys.stderr,
        )
        return 2
    runtime = build_worker(settings)
    logger.info("worker started; stop it with SIGTERM or Ctrl-C")
    runtime.run_until_signalled()
    return 0
