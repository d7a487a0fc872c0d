"""Argument parsing and dispatch for `python -m app`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from importlib import import_module

from app.config import SettingsError, load_settings
from app.infrastructure.log_setup import configure_logging

# Each command's module (app.entrypoints.cli.<name>, with add_arguments and run) is imported
# only when that command runs: basic-mode `chat` must not load the database drivers, the
# queue, the HTTP clients and the charting library that other commands use.
COMMANDS = {
    "chat": "chat with the bot in the terminal",
    "serve": "run the webhook with Flask's development server",
    "handoff": "advisors: open hand-offs, read, reply, release",
    "worker": "run the queue worker: answers and sends REST replies",
    "report": "lead report for marketing: terminal, --csv, --html, --explain",
    "campaign": "send an approved WhatsApp template to a list of leads, once each",
    "db": "PostgreSQL: init, status, load-catalog, migrate/export memory",
    "user": "data-protection requests: export or delete one person",
    "prune": "delete inbound messages older than RETENTION_DAYS",
}


def build_parser(with_arguments: Collection[str] = tuple(COMMANDS)) -> argparse.ArgumentParser:
    """Every command by name; the options of those in `with_arguments` (all by default)."""
    parser = argparse.ArgumentParser(prog="python -m app", description="WhatsApp course advisor")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in COMMANDS.items():
        command = commands.add_parser(name, help=help_text)
        if name not in with_arguments:
            continue
        if name == "serve":
            command.add_argument("--port", type=int, default=5000)
        else:
            import_module(f"app.entrypoints.cli.{name}").add_arguments(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(with_arguments=argv[:1]).parse_args(argv)
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
    code: int = import_module(f"app.entrypoints.cli.{args.command}").run(settings, args)
    return code
