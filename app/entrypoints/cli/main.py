"""Argument parsing and dispatch for `python -m app`."""

from __future__ import annotations

import argparse
import sys

from app.bootstrap.mode import build_container
from app.config import SettingsError, load_settings
from app.entrypoints.cli import campaign, chat, db, handoff, prune, report, user, worker
from app.infrastructure.log_setup import configure_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="WhatsApp course advisor")
    commands = parser.add_subparsers(dest="command", required=True)
    chat_parser = commands.add_parser("chat", help="chat with the bot in the terminal")
    chat_parser.add_argument("--json", action="store_true", help="one message per stdin line, JSON out")
    chat_parser.add_argument("--user", default=chat.DEFAULT_USER, help="sender id (default: a local test user)")
    serve_parser = commands.add_parser("serve", help="run the webhook with Flask's development server")
    serve_parser.add_argument("--port", type=int, default=5000)
    handoff.add_arguments(commands.add_parser("handoff", help="advisors: open hand-offs, read, reply, release"))
    worker_parser = commands.add_parser("worker", help="run the queue worker: answers and sends REST replies")
    worker_parser.add_argument("--concurrency", type=int, default=None, help="jobs at once (WORKER_CONCURRENCY, 50)")
    report_parser = commands.add_parser("report", help="lead report for marketing: terminal, --csv, --html, --explain")
    report.add_arguments(report_parser)
    campaign.add_arguments(
        commands.add_parser("campaign", help="send an approved WhatsApp template to a list of leads, once each")
    )
    db.add_arguments(commands.add_parser("db", help="PostgreSQL: init, status, load-catalog, migrate/export memory"))
    user.add_arguments(commands.add_parser("user", help="data-protection requests: export or delete one person"))
    prune.add_arguments(commands.add_parser("prune", help="delete inbound messages older than RETENTION_DAYS"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return 2
    # Logs go to stderr (so that `chat --json` keeps stdout for JSON alone), numbers masked.
    configure_logging(settings.log_level)
    if args.command == "serve":
        from app.entrypoints.web.app import create_app

        create_app(settings).run(port=args.port)
        return 0
    if args.command == "handoff":
        return handoff.run(settings, args)
    if args.command == "worker":
        return worker.run(settings, args.concurrency)
    if args.command == "report":
        return report.run(settings, args)
    if args.command == "campaign":
        return campaign.run(settings, args)
    if args.command == "db":
        return db.run(settings, args)
    if args.command == "user":
        return user.run(settings, args)
    if args.command == "prune":
        return prune.run(settings, args)
    container = build_container(settings)
    try:
        return chat.main(container, as_json=args.json, user=args.user)
    finally:
        container.close()
