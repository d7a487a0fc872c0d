"""`python -m app prune [--days N]`: delete inbound messages older than the retention period.

    python -m app prune             # RETENTION_DAYS (90)
    python -m app prune --days 30

Prunes the JSON inbound log (DATA_DIR/inbound) and, with DATABASE_URL, the database's
(app.infrastructure.retention). Memory is not touched. Meant for a daily scheduled run;
output is for the school's staff, in Spanish.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TextIO

from app.application.errors import StoreUnavailableError
from app.config import Settings
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.retention import PruneReport, prune_database, prune_json_inbound, retention_cutoff


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--days", type=_positive, default=None, help="keep this many days instead of RETENTION_DAYS (default 90)"
    )


def run(settings: Settings, args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    days = args.days or settings.retention_days
    cutoff = retention_cutoff(datetime.now(UTC), days)
    try:
        report = prune(settings, cutoff)
    except (OSError, StoreUnavailableError) as error:
        print(f"No se pudo completar la limpieza: {error}", file=sys.stderr)
        return 1
    print(f"Mensajes recibidos antes del {cutoff:%Y-%m-%d %H:%M} UTC ({days} días) borrados:", file=out)
    print(f"  archivos JSON: {report.json_inbound}", file=out)
    for table, count in report.database.items():
        print(f"  PostgreSQL {table}: {count}", file=out)
    return 0


def prune(settings: Settings, cutoff: datetime) -> PruneReport:
    json_inbound = prune_json_inbound(settings.data_dir / "inbound", cutoff)
    database: dict[str, int] = {}
    if settings.database_url is not None:
        with SyncDatabase(settings.database_url.get_secret_value(), connect_timeout=5.0) as connection:
            connection.open(budget_seconds=10.0)
            database = prune_database(connection, cutoff)
    return PruneReport(cutoff=cutoff, json_inbound=json_inbound, database=database)


def _positive(value: str) -> int:
    days = int(value)
    if days < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return days
