"""The floor the delivery benchmark compares the bot with: a bare Flask app under the same
gunicorn settings.

    gunicorn 'bench.bare_webhook:create_app()' -c gunicorn.conf.py --workers 2 --threads 8

BARE_MODE=ack (default): parse the signed form and answer an empty TwiML <Response/>; nothing
else (no signature check, no storage), so its figure is what gunicorn and Flask alone allow.
BARE_MODE=reply: answer the same way, then in a thread wait BURST_WINDOW_SECONDS, make one chat
completion (OPENAI_BASE_URL) and one send to Twilio's Messages API (TWILIO_API_BASE_URL): the
least any bot must do to answer, with no storage, queue, lock or retry.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

from flask import Flask, Response, request

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def create_app() -> Flask:
    app = Flask(__name__)
    reply = os.environ.get("BARE_MODE", "ack") == "reply"

    @app.post("/webhook/whatsapp")
    def webhook() -> Response:
        form = request.form
        if reply:
            threading.Thread(target=_answer, args=(form["From"], form.get("Body", "")), daemon=True).start()
        return Response(EMPTY_TWIML, mimetype="application/xml")

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _answer(to: str, text: str) -> None:
    time.sleep(float(os.environ.get("BURST_WINDOW_SECONDS", "0")))
    completion = _post_json(
        os.environ["OPENAI_BASE_URL"].rstrip("/") + "/chat/completions",
        {"model": "fake", "messages": [{"role": "user", "content": text}]},
        {"Authorization": f"Bearer {os.environ.get('OPENAI_API_KEY', 'sk-bench')}"},
    )
    body = json.loads(completion["choices"][0]["message"]["content"] or "{}").get("reply") or "¡Hola!"
    account, token = os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"]
    url = f"{os.environ['TWILIO_API_BASE_URL'].rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
    data = urllib.parse.urlencode({"To": to, "From": os.environ["TWILIO_PHONE_NUMBER"], "Body": body}).encode()
    auth = base64.b64encode(f"{account}:{token}".encode()).decode()
    sent = urllib.request.Request(url, data=data, headers={"Authorization": f"Basic {auth}"}, method="POST")
    with urllib.request.urlopen(sent, timeout=30) as response:
        response.read()


def _post_json(url: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    data = json.dumps(payload).encode()
    call = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(call, timeout=30) as response:
        return json.loads(response.read())
