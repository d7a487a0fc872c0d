"""Flask application factory: the Twilio webhook and the health endpoint."""

from __future__ import annotations

import concurrent.futures
import logging
from datetime import UTC, datetime

from flask import Flask, Response, jsonify, request
from pydantic import ValidationError

from app.bootstrap import Container, build_container
from app.config import Settings, load_settings
from app.entrypoints.web.twilio_form import TwilioInboundForm
from app.infrastructure.twilio.webhook import TwilioSignatureValidator, twiml_messages

logger = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 64 * 1024
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

    @app.get("/health")
    def health() -> Response:
        return jsonify(container.health().model_dump(mode="json"))

    @app.errorhandler(413)
    def too_large(_error: Exception) -> tuple[Response, int]:
        return Response("request too large", status=413, mimetype="text/plain"), 413

    return app


def public_url(settings: Settings) -> str:
    """The URL Twilio signed: the configured public base, else what the proxy says."""
    path = request.full_path.rstrip("?")
    if settings.public_base_url:
        return settings.public_base_url + path
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{scheme}://{host}{path}"
