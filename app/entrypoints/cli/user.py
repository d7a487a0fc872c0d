"""`python -m app user export|delete PHONE`: data-protection requests of one person.

    python -m app user export +573001234567 [--out datos.json]
    python -m app user delete +573001234567 [--yes] [--purge-backups]

Works in every mode: the stores are the ones the bot runs on (app.bootstrap.mode). Output is for
the school's staff, in Spanish.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from app.application.errors import StoreUnavailableError
from app.bootstrap.container import Container
from app.bootstrap.mode import build_container
from app.config import Settings
from app.infrastructure.data_protection import DataProtection, UserDataExport, candidate_user_ids, write_export
from app.infrastructure.postgres.personal_data import PostgresPersonalData


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="user_command", required=True)
    export = commands.add_parser("export", help="everything the bot keeps about one person, as JSON")
    export.add_argument("phone", help="+573001234567 or whatsapp:+573001234567")
    export.add_argument("--out", type=Path, help="write to this file instead of standard output")
    delete = commands.add_parser("delete", help="delete everything the bot keeps about one person")
    delete.add_argument("phone", help="+573001234567 or whatsapp:+573001234567")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.add_argument("--purge-backups", action="store_true", help="also remove the person from backups")


def run(settings: Settings, args: argparse.Namespace, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    container = build_container(settings)
    try:
        service = _service(container)
        if args.user_command == "export":
            return _export(container, service, args, out)
        return _delete(container, service, args, out, stdin or sys.stdin)
    except StoreUnavailableError as error:
        print(f"No se pudo completar la solicitud: {error}", file=sys.stderr)
        return 1
    finally:
        container.close()


def _service(container: Container) -> DataProtection:
    storage = container.storage
    return DataProtection(
        container.memory_repository,
        container.settings.data_dir,
        database_inbound=storage.database_inbound if storage is not None else None,
        database_records=PostgresPersonalData(storage.client) if storage is not None else None,
    )


def _find(container: Container, service: DataProtection, phone: str) -> UserDataExport | None:
    for user_id in candidate_user_ids(phone):
        export = container.run(service.export(user_id))
        if export.found:
            return export
    return None


def _export(container: Container, service: DataProtection, args: argparse.Namespace, out: TextIO) -> int:
    export = _find(container, service, args.phone)
    if export is None:
        print(f"No hay datos de {args.phone}.", file=sys.stderr)
        return 1
    if args.out:
        write_export(export, args.out)
        print(f"Datos de {export.user_id} escritos en {args.out}.", file=out)
    else:
        print(json.dumps(export.model_dump(mode="json"), ensure_ascii=False, indent=2), file=out)
    if export.backups_containing:
        print(f"Aviso: {len(export.backups_containing)} respaldos también contienen a esta persona.", file=sys.stderr)
    return 0


def _delete(
    container: Container, service: DataProtection, args: argparse.Namespace, out: TextIO, stdin: TextIO
) -> int:
    export = _find(container, service, args.phone)
    if export is None:
        print(f"No hay datos de {args.phone}: nada que borrar.", file=out)
        return 0
    if not args.yes:
        print(f"Se borrarán todos los datos de {export.user_id}. Escriba 'si' para confirmar: ", end="", file=out)
        out.flush()
        if stdin.readline().strip().lower() not in {"si", "sí"}:
            print("Cancelado.", file=out)
            return 1
    report = container.run(service.delete(export.user_id, purge_backups=args.purge_backups))
    print(f"Borrado {report.user_id}:", file=out)
    print(f"  memoria: {'borrada' if report.memory_deleted else 'no había'}", file=out)
    print(f"  mensajes registrados borrados: {report.inbound_messages_deleted}", file=out)
    for category, rows in report.rows_deleted.items():
        if rows:
            print(f"  {category}: {rows} filas borradas", file=out)
    print(f"  archivos borrados en {container.settings.data_dir}: {report.files_deleted}", file=out)
    if report.jobs_running:
        print(
            f"  AVISO: {report.jobs_running} trabajo(s) de esta persona en curso; repita el borrado en un minuto",
            file=out,
        )
    for path in report.backups_cleaned:
        print(f"  limpiado del respaldo {path}", file=out)
    for path in report.backups_containing:
        print(f"  AVISO: sigue en el respaldo {path} (use --purge-backups)", file=out)
    return 0
