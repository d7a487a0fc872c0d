"""`python -m app handoff list|show|reply|release`: advisors act on hand-offs from a terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from typing import TextIO

from app.bootstrap.reports import open_handoff_desk
from app.config import Settings
from app.domain.handoff import reason_label
from app.entrypoints.cli.handoff_json import run_json
from app.infrastructure.postgres.handoff_desk import HandoffDesk, HandoffView


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="hand-offs open now, with how long each student has waited")
    show = actions.add_parser("show", help="a hand-off's lead summary and conversation")
    show.add_argument("key", help="hand-off number or the student's phone")
    reply = actions.add_parser("reply", help="write to the student (inside WhatsApp's 24-hour window)")
    reply.add_argument("key", help="hand-off number or the student's phone")
    reply.add_argument("text", help="the message, in Spanish")
    release = actions.add_parser("release", help="close the hand-off: the bot answers again")
    release.add_argument("key", help="hand-off number or the student's phone")
    release.add_argument("--by", default="asesor", help="who releases it (for the record)")


def run(settings: Settings, args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    if settings.database_url is None:
        return run_json(settings, args, out)  # JSON mode: the hand-offs recorded beside the memory
    with open_handoff_desk(settings) as desk:
        if args.action == "list":
            return _list(desk, out)
        handoff = desk.find(args.key)
        if handoff is None:
            print(f"No hay ningún traspaso para {args.key}.", file=out)
            return 1
        if args.action == "show":
            return _show(desk, handoff, out)
        if args.action == "reply":
            return _reply(desk, handoff, args.text, out)
        return _release(desk, handoff, args.by, out)


def _list(desk: HandoffDesk, out: TextIO) -> int:
    open_now = desk.open_handoffs()
    if not open_now:
        print("No hay traspasos abiertos.", file=out)
        return 0
    now = datetime.now(UTC)
    print(f"{len(open_now)} traspaso(s) abierto(s):", file=out)
    for handoff in open_now:
        waiting = f"espera hace {_ago(now - handoff.waiting_since)}" if handoff.waiting_since else "sin mensajes nuevos"
        name = handoff.summary.name or "(sin nombre)"
        print(f"  #{handoff.id}  {handoff.user_id}  {name}  abierto hace {_ago(now - handoff.opened_at)}  "
              f"{waiting}  puntaje {handoff.summary.score} ({handoff.summary.stage.value})", file=out)  # fmt: skip
    return 0


def _show(desk: HandoffDesk, handoff: HandoffView, out: TextIO) -> int:
    lead = handoff.summary
    state = "abierto" if handoff.closed_at is None else f"cerrado ({handoff.closed_by})"
    lines = [
        f"Traspaso #{handoff.id} · {state} · motivo: {reason_label(handoff.reason)} · "
        f"abierto {handoff.opened_at:%Y-%m-%d %H:%M} UTC",
        f"  contacto:  {lead.user_id}  {lead.name or '(sin nombre)'}  {lead.role or ''}".rstrip(),
        f"  puntaje:   {lead.score} ({lead.stage.value}) · {lead.messages} mensajes",
        f"  intereses: {', '.join(lead.interests) or '-'}",
    ]
    lines += [f"  curso:     {c.name} ({c.price or '?'} {c.currency or ''})".rstrip() for c in lead.courses]
    lines.append("Conversación:")
    who = {"student": "alumno", "bot": "bot", "advisor": "asesor"}
    lines += [f"  {line.at:%m-%d %H:%M} {who[line.who]:>6}: {line.text}" for line in desk.conversation(lead.user_id)]
    print("\n".join(lines), file=out)
    return 0


def _reply(desk: HandoffDesk, handoff: HandoffView, text: str, out: TextIO) -> int:
    outcome = desk.reply(handoff, text.strip(), datetime.now(UTC))
    if outcome.outside_window:
        last = f"{outcome.last_student_at:%Y-%m-%d %H:%M} UTC" if outcome.last_student_at else "nunca"
        print(
            f"Fuera de la ventana de 24 h de WhatsApp (último mensaje del alumno: {last}): WhatsApp no acepta "
            "texto libre. Envíe una plantilla aprobada: python -m app campaign --content-sid HX... "
            f"--to {handoff.user_id}",
            file=out,
        )
        return 1
    print(f"Respuesta en cola ({outcome.queued_parts} parte(s)); el worker la envía en orden.", file=out)
    return 0


def _release(desk: HandoffDesk, handoff: HandoffView, by: str, out: TextIO) -> int:
    if not desk.release(handoff, by):
        print(f"El traspaso #{handoff.id} ya estaba cerrado.", file=out)
        return 1
    print(f"Traspaso #{handoff.id} cerrado: el bot vuelve a responder a {handoff.user_id}.", file=out)
    return 0


def _ago(elapsed: timedelta) -> str:
    minutes = max(0, int(elapsed.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{minutes // (24 * 60)} días"
