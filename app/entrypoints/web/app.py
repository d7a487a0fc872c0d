"""Flask application factory: the Twilio webhook and the health endpoint."""

from __future__ import annotations

import concurrent.futures
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from flask import Flask, Response, jsonify, request
from pydantic import BaseModel, ValidationError

from app.application.errors import StoreUnavailableError
from app.bootstrap.container import Container
from app.bootstrap.web import build_web_process
from app.config import Settings, WebhookTrust, load_settings
from app.domain.messages import InboundMessage
from app.entrypoints.web.body_limit import buffer_unsized_body
from app.entrypoints.web.health_access import may_read_details
from app.entrypoints.web.trust import REFUSAL_REASONS, announce
from app.entrypoints.web.twilio_form import TwilioInboundForm, TwilioStatusForm
from app.infrastructure.twilio.webhook import TwilioSignatureValidator, twiml_messages

if TYPE_CHECKING:  # the queue's intake is built, and its drivers loaded, for REST delivery only
    from app.infrastructure.queue.intake import MessageIntake

logger = logging.getLogger(__name__)
FormT = TypeVar("FormT", bound=BaseModel)

MAX_REQUEST_BYTES = 64 * 1024
TWIML = "application/xml"
# Inline (TwiML) delivery has no way to send the late reply afterwards, so this must not promise one.
BUSY_REPLY = (
    "¡Gracias por tu mensaje! 🙏 Me está tomando más tiempo de lo normal revisar la información. "
    "¿Me lo puedes enviar de nuevo en un minuto?"
)

FAILURE_REPLY = (
    "¡Gracias por escribirnos! 🙏 Tuvimos un problema técnico al leer tu mensaje. "
    "¿Me lo puedes enviar de nuevo en un momento?"
)


def create_app(
    settings: Settings | None = None, container: Container | None = None, intake: MessageIntake | None = None
) -> Flask:
    settings = settings or (container.settings if container else load_settings())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    validator = (
        TwilioSignatureValidator(settings.twilio_auth_token.get_secret_value())
        if settings.validates_signatures and settings.twilio_auth_token
        else None
    )
    web = build_web_process(settings, container, intake)
    app.extensions.update(web.parts())
    container, intake = web.container, web.intake

    trust = settings.webhook_trust
    announce(trust)

    def signed(params: dict[str, str]) -> bool:
        if trust is not WebhookTrust.SIGNED:
            return trust is WebhookTrust.ANYONE
        assert validator is not None
        return validator.is_valid(public_url(settings), params, request.headers.get("X-Twilio-Signature"))

    def signed_form(model: type[FormT]) -> FormT | Response:
        """The request's form as `model` when Twilio signed it; else the 403/400 to answer."""
        params = request.form.to_dict(flat=True)
        if not signed(params):
            logger.warning("rejected %s: %s", request.path, REFUSAL_REASONS[trust])
            return Response("invalid signature", status=403, mimetype="text/plain")
        try:
            return model.model_validate(params)
        except ValidationError as error:
            fields = ", ".join(str(e["loc"][0]) for e in error.errors())
            return Response(f"bad request: {fields}", status=400, mimetype="text/plain")

    @app.before_request
    def refuse_oversized_chunked_body() -> Response | None:
        if buffer_unsized_body(request.environ, MAX_REQUEST_BYTES):
            return None
        return Response("request too large", status=413, mimetype="text/plain")

    @app.post("/webhook/whatsapp")
    def whatsapp_webhook() -> Response:
        form = signed_form(TwilioInboundForm)
        if isinstance(form, Response):
            return form
        message = form.to_inbound(received_at=datetime.now(UTC))
        if intake is not None:
            return record_for_rest_reply(intake, message)
        assert container is not None
        return reply_inline(container, message, settings)

    @app.post("/webhook/status")
    def status_callback() -> Response:
        callback = signed_form(TwilioStatusForm)
        if isinstance(callback, Response):
            return callback
        if intake is None:
            return Response(status=204)  # inline replies are not sent through the API
        try:
            intake.record_status(callback.message_sid, callback.message_status, callback.error_code)
        except StoreUnavailableError as error:
            logger.error("could not record the status of %s: %s", callback.message_sid, error)
            return Response("try again later", status=503, mimetype="text/plain", headers={"Retry-After": "5"})
        if callback.error_code is not None:
            logger.warning(
                "Twilio reports %s for %s (error %s)",
                callback.message_status,
                callback.message_sid,
                callback.error_code,
            )
        return Response(status=204)

    @app.get("/health")
    def health() -> Response:
        report = web.health()
        if not may_read_details(request.remote_addr, request.headers, settings.health_token):
            return jsonify({"status": report.status})
        return jsonify(report.model_dump(mode="json"))

    @app.errorhandler(413)
    def too_large(_error: Exception) -> tuple[Response, int]:
        return Response("request too large", status=413, mimetype="text/plain"), 413

    return app


def record_for_rest_reply(intake: MessageIntake, message: InboundMessage) -> Response:
    """REST mode: commit the message and its job, then acknowledge with an empty TwiML. A
    message that could not be stored gets a 503, so that Twilio delivers it again: a 200
    would tell Twilio it arrived, and nothing would ever answer it."""
    try:
        new = intake.record(message)
    except StoreUnavailableError as error:
        logger.error("could not record %s: %s", message.message_id, error)
        return Response("try again later", status=503, mimetype="text/plain", headers={"Retry-After": "2"})
    if not new:
        logger.info("duplicate delivery of %s acknowledged and ignored", message.message_id)
    return Response(twiml_messages([]), mimetype=TWIML)


def reply_inline(container: Container, message: InboundMessage, settings: Settings) -> Response:
    """TwiML mode: wait for the reply (at most REPLY_TIMEOUT_SECONDS) and answer with it."""
    try:
        reply = container.handle_message(message, timeout=settings.reply_timeout_seconds)
    except StoreUnavailableError as error:
        # Not recorded (or its turn not saved): a 200 would tell Twilio it arrived.
        logger.error("could not record %s: %s", message.message_id, error)
        return Response("try again later", status=503, mimetype="text/plain", headers={"Retry-After": "2"})
    except concurrent.futures.TimeoutError:
        logger.error("reply to %s took longer than %.1fs", message.message_id, settings.reply_timeout_seconds)
        return Response(twiml_messages([BUSY_REPLY]), mimetype=TWIML)
    except Exception:
        # Anything but storage: the delivery is recorded; the student gets an answer, not an error page.
        logger.exception("could not process %s", message.message_id)
        return Response(twiml_messages([FAILURE_REPLY]), mimetype=TWIML)
    return Response(twiml_messages(list(reply.parts)), mimetype=TWIML)


def public_url(settings: Settings) -> str:
    """The URL Twilio signed: the configured public base, else what the proxy says."""
    path = request.full_path.rstrip("?")
    if settings.public_base_url:
        return settings.public_base_url + path
    scheme = request.headers.get("X-Forwarded-Proto", request.scheme).split(",")[0].strip()
    host = request.headers.get("X-Forwarded-Host", request.host).split(",")[0].strip()
    return f"{scheme}://{host}{path}"
