"""Flask application factory: the Twilio webhook and the health endpoint."""

from __future__ import annotations

import concurrent.futures
import logging
from datetime import UTC, datetime

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError

from app.bootstrap import Container, build_container
from app.config import Settings, load_settings
from app.domain.messages import InboundMessage
from app.entrypoints.web.twilio_form import TwilioInboundForm
from app.infrastructure.twilio.webhook import TwilioSignatureValidator, twiml_messages

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024
# Recording a message is a file or row write; past this the store is in trouble (REST mode).
RECORD_TIMEOUT_SECONDS = 5.0
TWIML = "application/xml"
BUSY_REPLY = (
    "¡Gracias por tu mensaje! 🙏 Estoy revisando la información; en un momento te respondo. "
    "Si no te llega nada, escríbeme de nuevo por favor."
)

FAILURE_REPLY = (
    "¡Gracias por escribirnos! 🙏 Tuvimos un problema técnico al leer tu mensaje. "
    "¿Me lo puedes enviar de nuevo en un momento?"
)


def create_app(settings: Settings | None = None, container: Container | None = None) -> Flask:
    settings = settings or (container.settings if container else load_settings())
    container = container or build_container(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    app.extensions["container"] = container
    validator = (
        TwilioSignatureValidator(settings.twilio_auth_token.get_secret_value())
        if settings.validates_signatures and settings.twilio_auth_token
        else None
    )

    @app.post("/webhook/whatsapp")
    def whatsapp_webhook() -> Response | tuple[Response, int]:
        params = request.form.to_dict(flat=True)
        if validator is not None and not validator.is_valid(
            public_url(settings), params, request.headers.get("X-Twilio-Signature")
        ):
            logger.warning("rejected webhook with a missing or invalid Twilio signature")
            return Response("invalid signature", status=403, mimetype="text/plain")
        try:
            form = TwilioInboundForm.model_validate(params)
        except ValidationError as error:
            fields = ", ".join(str(e["loc"][0]) for e in error.errors())
            return Response(f"bad request: {fields}", status=400, mimetype="text/plain")
        message = form.to_inbound(received_at=datetime.now(UTC))
        if container.replies_by_rest:
            return accept_for_rest_reply(container, message, settings)
        return reply_inline(container, message, settings)

    @app.get("/health")
    def health() -> Response:
        return jsonify(container.health().model_dump(mode="json"))

    @app.errorhandler(413)
    def too_large(_error: Exception) -> tuple[Response, int]:
        return Response("request too large", status=413, mimetype="text/plain"), 413

    # REST delivery: finish what an earlier run left unsent, then sweep periodically.
    container.start_deliveries()
    return app


def reply_inline(container: Container, message: InboundMessage, settings: Settings) -> Response:
    """TwiML mode: wait for the reply (at most REPLY_TIMEOUT_SECONDS) and answer with it."""
    try:
        reply = container.handle_message(message, timeout=settings.reply_timeout_seconds)
    except concurrent.futures.TimeoutError:
        logger.error("reply to %s took longer than %.1fs", message.message_id, settings.reply_timeout_seconds)
        return Response(twiml_messages([BUSY_REPLY]), mimetype=TWIML)
    except Exception:
        # The delivery is already recorded; the student still gets an answer, not an error page.
        logger.exception("could not process %s", message.message_id)
        return Response(twiml_messages([FAILURE_REPLY]), mimetype=TWIML)
    return Response(twiml_messages(list(reply.parts)), mimetype=TWIML)


def accept_for_rest_reply(container: Container, message: InboundMessage, settings: Settings) -> Response:
    """REST mode: record the message durably, answer an empty TwiML at once; the engine sends
    the reply through the REST API. A duplicate delivery is acknowledged and ignored."""
    try:
        accepted = container.accept_for_delivery(message, timeout=RECORD_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        # The write may still land: answering inline as well could send the reply twice.
        logger.error("recording %s took over %.0fs; the sweep answers it", message.message_id, RECORD_TIMEOUT_SECONDS)
        return Response(twiml_messages([]), mimetype=TWIML)
    except Exception:
        # Not recorded, so nothing would send a reply later: answer inline as TwiML instead.
        logger.exception("could not record %s for a REST reply; answering inline", message.message_id)
        return reply_inline(container, message, settings)
    if not accepted:
        logger.info("duplicate delivery of %s acknowledged and ignored", message.message_id)
    return Response(twiml_messages([]), mimetype=TWIML)


def public_url(settings: Settings) -> str:
    """The URL Twilio signed: the configured public base, else what the proxy says."""
    path = request.full_path.rstrip("?")
    if settings.public_base_url:
        return settings.public_base_url + path
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{scheme}://{host}{path}"
