"""`python -m app campaign`: an approved WhatsApp template to a list of leads, once each.

    python -m app campaign --campaign reenganche-nov --list reenganche_30_89 \\
        --content-sid HX0123... --var 1=first_name --var 2=course:nuestros cursos --dry-run
    python -m app campaign --campaign promo-python --interest python --stage caliente --content-sid HX...
    python -m app campaign --summary reenganche-nov

Outside WhatsApp's 24-hour window only templates are delivered, so a campaign is a Twilio
Content template and its variables, never free text. docs/campaigns.md has the details.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from typing import TextIO

from pydantic import ValidationError

from app.application.campaign_ports import PlannedSend
from app.application.campaigns import (
    DEFAULT_RATE,
    Audience,
    CampaignError,
    CampaignOutcome,
    CampaignProgress,
    CampaignRequest,
    CampaignSummary,
    audience_lists,
)
from app.application.errors import StoreUnavailableError
from app.application.lead_report import canonical_interest, mask_phone
from app.bootstrap.campaigns import open_campaigns
from app.config import Settings, SettingsError
from app.domain.campaigns import LeadField, VariableSpec
from app.domain.outgoing import NAMED_ERROR_CODES
from app.entrypoints.cli.report import ReportUsageError, parse_stage

# Spanish names a marketer may type for the lead fields, beside the English ones.
FIELD_ALIASES = {
    "nombre": LeadField.FIRST_NAME,
    "primer_nombre": LeadField.FIRST_NAME,
    "nombre_completo": LeadField.NAME,
    "curso": LeadField.COURSE,
    "interes": LeadField.INTEREST,
    "interés": LeadField.INTEREST,
    "profesion": LeadField.ROLE,
    "profesión": LeadField.ROLE,
    "rol": LeadField.ROLE,
    "etapa": LeadField.STAGE,
    "puntaje": LeadField.SCORE,
}


class CampaignUsageError(ValueError):
    """An argument the campaign cannot use; the message is for the marketer, in Spanish."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--campaign", metavar="NOMBRE", help="the campaign's name: each contact gets it once")
    parser.add_argument("--content-sid", metavar="HX...", help="the approved template's Content SID")
    parser.add_argument(
        "--list", dest="list_key", metavar="LISTA", help=f"one of the report's lists: {', '.join(audience_lists())}"
    )
    parser.add_argument("--stage", metavar="ETAPA", help="frio, tibio, caliente or listo")
    parser.add_argument("--interest", metavar="TEMA", help="leads interested in TEMA (e.g. python)")
    parser.add_argument("--min-score", type=int, metavar="N", help="leads whose score today is at least N")
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="N=CAMPO[:DEFECTO]",
        help=f"template placeholder N from a lead field ({', '.join(f.value for f in LeadField)}); "
        "DEFECTO when the lead has no value",
    )
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE, help="messages per second (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="requests to Twilio at once (default 8)")
    parser.add_argument("--dry-run", action="store_true", help="show who would get what; send nothing")
    parser.add_argument("--show-phones", action="store_true", help="full phone numbers instead of masked ones")
    parser.add_argument("--summary", metavar="NOMBRE", help="a campaign's deliveries, reads and failures so far")


def run(settings: Settings, args: argparse.Namespace, stdout: TextIO | None = None) -> int:
    output = stdout or sys.stdout
    # One clear line when the database is down, instead of the pool's warning per retry.
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)
    try:
        if args.summary:
            return asyncio.run(_summary(settings, args.summary, output))
        request = build_request(args)
        return asyncio.run(_run(settings, request, args.show_phones, output))
    except (CampaignUsageError, CampaignError, SettingsError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    except StoreUnavailableError as error:
        print(f"No se pudo usar la base de datos: {error}", file=sys.stderr)
        return 1


def build_request(args: argparse.Namespace) -> CampaignRequest:
    if not args.campaign or not args.content_sid:
        raise CampaignUsageError("indique --campaign NOMBRE y --content-sid HX... (o --summary NOMBRE)")
    try:
        stage = parse_stage(args.stage) if args.stage else None
    except ReportUsageError as error:
        raise CampaignUsageError(str(error)) from None
    if args.list_key is not None and args.list_key not in audience_lists():
        raise CampaignUsageError(f"--list {args.list_key!r}: use una de estas listas: {', '.join(audience_lists())}")
    try:
        audience = Audience(
            list_key=args.list_key,
            stage=stage,
            interest=canonical_interest(args.interest) if args.interest else None,
            min_score=args.min_score,
        )
    except ValidationError:
        raise CampaignUsageError(
            "elija a quién enviar: --list, --stage, --interest o --min-score (puntaje de 0 a 100)"
        ) from None
    variables = tuple(parse_variable(text) for text in args.var)
    try:
        return CampaignRequest(
            campaign=args.campaign,
            content_sid=args.content_sid,
            variables=variables,
            audience=audience,
            rate=args.rate,
            concurrency=args.concurrency,
            dry_run=args.dry_run,
        )
    except ValidationError as error:
        fields = {str(e["loc"][0]) for e in error.errors() if e["loc"]} or {"variables"}
        raise CampaignUsageError(_request_problem(fields)) from None


def parse_variable(text: str) -> VariableSpec:
    """ "2=course", "2=curso:nuestros cursos": placeholder, lead field, optional default."""
    placeholder, equals, rest = text.partition("=")
    field_name, _, default = rest.partition(":")
    wanted = field_name.strip().lower()
    field = FIELD_ALIASES.get(wanted) or next((f for f in LeadField if f.value == wanted), None)
    if not equals or field is None:
        names = ", ".join(f.value for f in LeadField)
        raise CampaignUsageError(f"--var {text!r}: use N=CAMPO o N=CAMPO:DEFECTO, con CAMPO uno de: {names}")
    try:
        return VariableSpec(placeholder=placeholder.strip(), field=field, default=default or None)
    except ValidationError:
        raise CampaignUsageError(f"--var {text!r}: el marcador debe ser un número o nombre corto (1, 2, ...)") from None


def _request_problem(fields: set[str]) -> str:
    messages = {
        "campaign": "--campaign: letras, números, '.', '_' o '-' (hasta 80)",
        "content_sid": "--content-sid: el SID de una plantilla aprobada, HX seguido de 32 caracteres hexadecimales",
        "rate": "--rate: mensajes por segundo, mayor que 0 y hasta 1000",
        "concurrency": "--concurrency: de 1 a 64",
        "variables": "--var: cada marcador una sola vez",
    }
    return "; ".join(messages.get(name, name) for name in sorted(fields))


async def _run(settings: Settings, request: CampaignRequest, show_phones: bool, output: TextIO) -> int:
    phone: Callable[[str], str] = str if show_phones else mask_phone
    progress = ProgressLine(sys.stderr)

    def planned(send: PlannedSend) -> None:
        contact = send.contact
        values = " · ".join(f"{{{{{key}}}}}={value}" for key, value in send.variables.items()) or "(sin variables)"
        print(
            f"  {phone(contact.user_id)}  {contact.name or '(sin nombre)'} [{contact.stage.value}]  →  {values}",
            file=output,
        )

    async with open_campaigns(settings, sending=not request.dry_run, concurrency=request.concurrency) as campaigns:
        mode = "SIMULACIÓN (--dry-run): no se envía nada" if request.dry_run else f"envío a {request.rate:g} mensajes/s"
        print(f"Campaña {request.campaign} · plantilla {request.content_sid} · {mode}", file=output)
        if request.dry_run:
            print("Recibirían la plantilla:", file=output)
        outcome = await campaigns.run.execute(request, on_planned=planned, on_progress=progress.update)
    progress.finish()
    render_outcome(outcome, output, phone)
    return 1 if outcome.left_unsent or outcome.stopped else 0


async def _summary(settings: Settings, campaign: str, output: TextIO) -> int:
    async with open_campaigns(settings, sending=False) as campaigns:
        summary = await campaigns.summarize.execute(campaign)
    if summary is None:
        print(f"La campaña {campaign!r} no tiene envíos registrados.", file=output)
        return 1
    render_summary(summary, output)
    return 0


class ProgressLine:
    """Progress on stderr: one line rewritten in a terminal, one line a second otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._rewrite = stream.isatty()
        self._shown = False

    def update(self, progress: CampaignProgress) -> None:
        rate = progress.sent / progress.elapsed_seconds if progress.elapsed_seconds > 0 else 0.0
        left = max(0, progress.to_send - progress.done)
        eta = f" · quedan ~{left / rate:.0f} s" if rate > 0 and left else ""
        line = (
            f"Enviando: {progress.done:,}/{progress.to_send:,} · enviados {progress.sent:,} · "
            f"fallidos {progress.failed:,} · {rate:.1f}/s{eta}"
        )
        if self._rewrite:
            print(f"\r{line}\x1b[K", end="", file=self._stream, flush=True)
        else:
            print(line, file=self._stream, flush=True)
        self._shown = True

    def finish(self) -> None:
        if self._shown and self._rewrite:
            print(file=self._stream, flush=True)


def render_outcome(outcome: CampaignOutcome, output: TextIO, phone: Callable[[str], str] = mask_phone) -> None:
    def write(text: str = "") -> None:
        print(text, file=output)

    write()
    write(f"En la lista: {outcome.listed:,}")
    verb = "Recibirían la plantilla" if outcome.dry_run else "Nuevos envíos registrados"
    write(f"{verb}: {outcome.planned:,}")
    if outcome.recorded_before:
        states = {"sent": "enviados", "failed": "fallidos", "pending": "pendientes", "sending": "a verificar"}
        parts = ", ".join(f"{states[s.value]} {n:,}" for s, n in sorted(outcome.recorded_before.items()))
        write(f"Ya estaban en esta campaña (no se repiten): {parts}")
    write(f"Excluidos: {outcome.excluded_total:,}")
    for reason, count in sorted(outcome.excluded.items(), key=lambda item: -item[1]):
        write(f"  {reason.value}: {count:,}")
        examples = [e for e in outcome.excluded_examples if e.reason == reason]
        for example in examples:
            detail = f" — {example.detail}" if example.detail else ""
            write(f"    {phone(example.user_id)}  {example.name or '(sin nombre)'}{detail}")
        if count > len(examples):
            write(f"    … y {count - len(examples):,} más")
    if outcome.dry_run:
        write("Simulación: no se envió nada.")
        return
    write(
        f"Enviados: {outcome.sent:,} en {outcome.seconds:.1f} s "
        f"({outcome.messages_per_second:.1f} mensajes/s; límite {outcome.rate:g}/s)"
    )
    if outcome.reconciled:
        write(f"Llegados a Twilio en una ejecución interrumpida (registrados, no reenviados): {outcome.reconciled:,}")
    for reason, count in outcome.excluded_at_send.items():
        write(f"No enviados, {reason.value} desde que se planificó: {count:,}")
    for code, count in sorted(outcome.failed.items()):
        write(f"Rechazados por Twilio, {_code_label(code or None)}: {count:,}")
    if outcome.left_unsent:
        write(f"Sin confirmar: {outcome.left_unsent:,} (vuelva a ejecutar el mismo comando: se verifican y se envían)")
    if outcome.stopped:
        write(f"Envío detenido: {outcome.stopped}")


def render_summary(summary: CampaignSummary, output: TextIO) -> None:
    def write(text: str = "") -> None:
        print(text, file=output)

    write(f"Campaña {summary.campaign}: {summary.recorded:,} contactos registrados")
    write(f"  Aceptados por Twilio: {summary.accepted:,}")
    write(f"  Entregados: {summary.delivered:,} (leídos: {summary.read:,})")
    write(f"  En camino: {summary.in_transit:,} · sin estado aún: {summary.no_status_yet:,}")
    write(f"  Fallidos tras aceptarse: {summary.failed_after:,} · rechazados al enviar: {summary.refused:,}")
    if summary.unsent:
        write(f"  Sin enviar aún: {summary.unsent:,} (vuelva a ejecutar la campaña para completarla)")
    if summary.failures:
        write("  Fallos por código:")
        for failure in summary.failures:
            write(f"    {_code_label(failure.code)}: {failure.count:,} ({failure.where.value})")


def _code_label(code: int | None) -> str:
    if code is None:
        return "sin código"
    meaning = NAMED_ERROR_CODES.get(code)
    return f"{code} ({meaning})" if meaning else str(code)
