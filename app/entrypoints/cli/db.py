"""`python -m app db ...`: the database's schema, catalogue and memory migration.

    python -m app db init [--course-tables]      # the bot's tables (migrations); + estructura_db.sql
    python -m app db status                      # migrations, course columns, row counts
    python -m app db load-catalog courses.json   # JSON catalogue -> the school's course tables
    python -m app db migrate-memory [--dry-run]  # JSON memory files -> user_memory, verified
    python -m app db export-memory [--out DIR]   # user_memory -> JSON memory files (the way back)

Output is for the school's staff, in Spanish; docs/postgres.md explains each command.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from app.application.errors import StoreUnavailableError
from app.config import Settings
from app.infrastructure.json_store.course_repository import CatalogFileError, load_catalog
from app.infrastructure.lead_webhook.status import read_lead_event_counts
from app.infrastructure.postgres.catalog_loader import load_catalog_into, read_schema
from app.infrastructure.postgres.catalog_schema import COURSES
from app.infrastructure.postgres.memory_migration import (
    ExportReport,
    MigrationReport,
    export_memory,
    migrate_memory,
)
from app.infrastructure.postgres.migrator import MigrationFileError, apply_migrations, migration_status
from app.infrastructure.postgres.sync_client import SyncDatabase

SCHOOL_SCHEMA = Path(__file__).resolve().parents[3] / "estructura_db.sql"
_STAGES = {
    "comparing": "comparando", "writing": "escribiendo", "verifying": "verificando", "exporting": "exportando",
    "statistics": "estadísticas de user_memory (VACUUM ANALYZE)",
}  # fmt: skip
_ACTIONS = {"insert": "insertar", "update": "actualizar", "unchanged": "sin cambios", "keep": "conservar la de la base"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="db_command", required=True)
    init = commands.add_parser("init", help="create or upgrade the bot's tables (idempotent)")
    init.add_argument(
        "--course-tables", action="store_true", help="also create the course tables from estructura_db.sql if absent"
    )
    commands.add_parser("status", help="applied migrations, course table columns and row counts")
    load = commands.add_parser("load-catalog", help="upsert a JSON catalogue into the course tables (idempotent)")
    load.add_argument("file", type=Path, help="a JSON list of courses, like app/infrastructure/catalog/courses.json")
    migrate = commands.add_parser("migrate-memory", help="copy the JSON memory files into user_memory, verified")
    migrate.add_argument("--source", type=Path, help="JSON memory directory or file (default: DATA_DIR/memory)")
    migrate.add_argument("--dry-run", action="store_true", help="read, compare and report; write nothing")
    migrate.add_argument("--overwrite", action="store_true", help="the file's copy wins even if the row is newer")
    export = commands.add_parser("export-memory", help="write user_memory back as JSON memory files")
    export.add_argument("--out", type=Path, help="target directory (default: DATA_DIR/memory)")


def run(settings: Settings, args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    if settings.database_url is None:
        print("DATABASE_URL no está configurada: estos comandos necesitan PostgreSQL.", file=sys.stderr)
        return 2
    database = SyncDatabase(settings.database_url.get_secret_value(), connect_timeout=5.0)
    try:
        database.open(budget_seconds=10.0)
    except StoreUnavailableError as error:
        print(f"No se pudo conectar a PostgreSQL: {error}", file=sys.stderr)
        return 1
    command: Callable[[Settings, argparse.Namespace, SyncDatabase, TextIO], int] = _COMMANDS[args.db_command]
    try:
        return command(settings, args, database, out)
    except StoreUnavailableError as error:
        print(f"Error de base de datos: {error}", file=sys.stderr)
        return 1
    except (CatalogFileError, MigrationFileError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    finally:
        database.close()


# --- commands ------------------------------------------------------------------------------


def _init(_settings: Settings, args: argparse.Namespace, database: SyncDatabase, out: TextIO) -> int:
    if args.course_tables:
        with database.connection() as connection:
            exists = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (COURSES,)).fetchone()
            if exists and exists[0]:
                print(f"Las tablas de cursos ya existen: no se tocan ({COURSES}).", file=out)
            else:
                connection.execute(SCHOOL_SCHEMA.read_text(encoding="utf-8").encode())
                print(f"Tablas de cursos creadas desde {SCHOOL_SCHEMA.name}.", file=out)
    report = apply_migrations(database)
    if report.applied:
        print(f"Migraciones aplicadas: {', '.join(report.applied)}", file=out)
    else:
        print(f"El esquema ya estaba al día ({report.already_applied} migraciones).", file=out)
    if report.queue_installed:
        print("Cola de trabajos (procrastinate) instalada.", file=out)
    for label in report.changed_since_applied:
        print(f"Aviso: {label} cambió después de aplicarse; el cambio NO se aplica (cree otra migración).", file=out)
    return 0


def _status(settings: Settings, _args: argparse.Namespace, database: SyncDatabase, out: TextIO) -> int:
    print("Migraciones:", file=out)
    for status in migration_status(database):
        state = status.applied_at.strftime("%Y-%m-%d %H:%M") if status.applied_at else "PENDIENTE"
        changed = "  (editada después de aplicarse)" if status.changed_since_applied else ""
        print(f"  {status.label:<40} {state}{changed}", file=out)
    with database.connection() as connection:
        schema = read_schema(connection)
        print("Tablas de cursos:", file=out)
        missing = schema.missing_required() + schema.missing_optional()
        print(f"  faltan: {', '.join(missing)}" if missing else "  todas las columnas de la guía presentes", file=out)
        for table in ("ai_courses", "ai_course_session", "ai_tema_activity", "bond", "user_memory", "inbound_messages"):
            present = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
            if present and present[0]:
                count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
                print(f"  {table:<20} {count[0] if count else 0:>10} filas", file=out)
        events = read_lead_event_counts(connection)
    if events is not None:
        sent_to = "se envían a LEAD_WEBHOOK_URL" if settings.lead_webhook_url else "se guardan; sin LEAD_WEBHOOK_URL"
        print(f"Eventos para el equipo ({sent_to}):", file=out)
        print(f"  entregados {events.delivered} · pendientes {events.waiting} · fallidos {events.failed}", file=out)
    return 0


def _load_catalog(_settings: Settings, args: argparse.Namespace, database: SyncDatabase, out: TextIO) -> int:
    courses = load_catalog(args.file)
    apply_migrations(database)
    progress = ProgressPrinter(sys.stderr)
    report = load_catalog_into(database, courses, lambda done, total: progress("cargando cursos", done, total))
    print(f"Catálogo {args.file}: {report.courses} cursos", file=out)
    print(
        f"  nuevos {report.courses_inserted} · actualizados {report.courses_updated} · "
        f"sin cambios {report.courses_unchanged}",
        file=out,
    )
    print(
        f"  sesiones {report.sessions} · actividades {report.activities} · bonos {report.bonuses} · "
        f"metadatos {report.metadata_rows}",
        file=out,
    )
    for raw, stored in report.derived_ids.items():
        print(f"  id no UUID {raw} -> {stored}", file=out)
    for skipped in report.skipped:
        print(f"  omitido: {skipped}", file=out)
    if report.statistics_problem:
        print(f"  ANALYZE de las tablas de cursos falló ({report.statistics_problem}); autovacuum lo hará", file=out)
    return 0 if not report.skipped else 1


def _migrate_memory(settings: Settings, args: argparse.Namespace, database: SyncDatabase, out: TextIO) -> int:
    source = args.source or settings.data_dir / "memory"
    if not source.exists():
        print(f"No existe el origen {source}.", file=sys.stderr)
        return 2
    apply_migrations(database)
    progress = ProgressPrinter(sys.stderr)
    report = migrate_memory(
        database,
        source,
        settings.data_dir / "backups",
        dry_run=args.dry_run,
        overwrite=args.overwrite,
        progress=progress,
    )
    print_migration_report(report, out)
    return 0 if report.zero_lost else 1


def _export_memory(settings: Settings, args: argparse.Namespace, database: SyncDatabase, out: TextIO) -> int:
    target = args.out or settings.data_dir / "memory"
    report = export_memory(database, target, settings.data_dir / "backups", ProgressPrinter(sys.stderr))
    print_export_report(report, out)
    return 0 if report.ok else 1


_COMMANDS: dict[str, Callable[[Settings, argparse.Namespace, SyncDatabase, TextIO], int]] = {
    "init": _init,
    "status": _status,
    "load-catalog": _load_catalog,
    "migrate-memory": _migrate_memory,
    "export-memory": _export_memory,
}


# --- output --------------------------------------------------------------------------------


def print_migration_report(report: MigrationReport, out: TextIO) -> None:
    title = "Migración de memoria JSON -> PostgreSQL"
    if report.dry_run:
        title = "Simulación (--dry-run): no se escribió nada"
    users = sum(report.counts.values())
    combined = sum(len(d.labels) - 1 for d in report.duplicates)
    plan = " · ".join(f"{_ACTIONS[a]} {report.counts.get(a, 0)}" for a in _ACTIONS)
    lines = [
        title,
        f"  origen:               {report.source}",
        f"  entradas leídas:      {report.entries_read} ({len(report.unreadable)} ilegibles)",
        f"  usuarios distintos:   {users} ({len(report.duplicates)} con duplicados, {combined} copias combinadas)",
        f"  plan:                 {plan}",
    ]
    if report.backup_dir:
        lines.append(f"  respaldo:             {report.backup_dir}")
    verification = report.verification
    if verification is not None:
        lines += [
            "Verificación (conteos y checksum por usuario de ambos lados)",
            f"  usuarios en el origen:       {verification.source_users}",
            f"  encontrados en PostgreSQL:   {verification.found_in_database}",
            f"  checksums iguales:           {verification.checksums_matching}",
        ]
        lines += [f"  FALTA en la base: {user}" for user in verification.missing]
        lines += [f"  checksum DISTINTO: {user}" for user in verification.mismatched]
    if report.unreadable:
        lines.append("Entradas ilegibles (NO migradas; siguen en el origen y en el respaldo):")
        lines += [f"  {p.label}: {p.reason}" for p in report.unreadable]
    if report.duplicates:
        lines.append("Usuarios duplicados (copias combinadas en una sola memoria):")
        lines += [f"  {d.user_id}: {', '.join(d.labels)} (base: {d.kept})" for d in report.duplicates]
    lines += [f"Nota: {note}" for note in report.notes]
    if report.counts.get("keep"):
        lines.append("  'conservar la de la base': la fila de PostgreSQL es más reciente (--overwrite la reemplaza).")
    if not report.dry_run:
        lines.append(f"Resultado: {_outcome(report)}")
        lines.append("Para volver a JSON: python -m app db export-memory --out DIRECTORIO")
    print("\n".join(lines), file=out)


def _outcome(report: MigrationReport) -> str:
    if report.zero_lost:
        return "OK: 0 registros perdidos"
    verification = report.verification
    if verification is not None and verification.ok:
        return (
            f"ATENCIÓN: todo lo legible está en PostgreSQL y verificado, pero {len(report.unreadable)} "
            "entradas ilegibles NO se migraron (listadas arriba; corríjalas y vuelva a ejecutar)"
        )
    return "ERROR: la verificación falló (usuarios faltantes o checksums distintos, listados arriba)"


def print_export_report(report: ExportReport, out: TextIO) -> None:
    lines = [
        f"Exportación de user_memory a {report.directory}",
        f"  exportados: {report.exported} · verificados (checksum del archivo escrito): {report.verified}",
    ]
    if report.backup_dir:
        lines.append(f"  los archivos que había se respaldaron en {report.backup_dir}")
    lines += [f"  fila ilegible {p.label}: {p.reason}" for p in report.unreadable_rows]
    lines.append("Resultado: OK" if report.ok else "Resultado: ATENCIÓN, revise las líneas anteriores")
    print("\n".join(lines), file=out)


class ProgressPrinter:
    """Progress of long runs on stderr, at most once a second (and at the end of each stage)."""

    def __init__(self, stream: TextIO, every_seconds: float = 1.0) -> None:
        self._stream = stream
        self._every = every_seconds
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._last < self._every:
            return
        self._last = now
        percent = f" ({done * 100 // total}%)" if total else ""
        self._stream.write(f"  {_STAGES.get(stage, stage)}: {done}/{total}{percent}\n")
        self._stream.flush()
