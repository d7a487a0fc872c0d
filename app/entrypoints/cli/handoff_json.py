"""`python -m app handoff` without PostgreSQL: the hand-offs recorded in DATA_DIR/handoffs."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TextIO

from app.config import Settings
from app.domain.handoff import reason_label
from app.infrastructure.json_store.handoffs import JsonHandoff, JsonHandoffs


def run_json(settings: Settings, args: argparse.Namespace, out: TextIO) -> int:
    desk = JsonHandoffs(settings.data_dir / "handoffs")
    if args.action == "list":
        return _list(desk, out)
    handoff = desk.find(args.key) or desk.find(f"whatsapp:{args.key}")
    if handoff is None:
        print(f"No hay ningún traspaso para {args.key}.", file=out)
        return 1
    if args.action == "show":
        _print(handoff, out)
        return 0
    if args.action == "reply":
        print("Sin PostgreSQL no hay envío por la API de Twilio: responda al alumno desde WhatsApp.", file=out)
        return 2
    if not desk.release(handoff.user_id, args.by, datetime.now(UTC)):
        print(f"El traspaso de {handoff.user_id} ya estaba cerrado.", file=out)
        return 1
    print(f"Traspaso de {handoff.user_id} cerrado.", file=out)
    return 0


def _list(desk: JsonHandoffs, out: TextIO) -> int:
    open_now = desk.open_handoffs()
    if not open_now:
        print("No hay traspasos abiertos.", file=out)
        return 0
    print(f"{len(open_now)} traspaso(s) abierto(s):", file=out)
    for handoff in open_now:
        _print(handoff, out)
    return 0


def _print(handoff: JsonHandoff, out: TextIO) -> None:
    lead = handoff.summary
    state = "abierto" if handoff.closed_at is None else f"cerrado ({handoff.closed_by})"
    courses = ", ".join(course.name for course in lead.courses) or "-"
    print(
        f"  {handoff.user_id}  {lead.name or '(sin nombre)'}  {state} desde {handoff.opened_at:%Y-%m-%d %H:%M} UTC  "
        f"motivo: {reason_label(handoff.reason)}  puntaje {lead.score} ({lead.stage.value})  cursos: {courses}",
        file=out,
    )
