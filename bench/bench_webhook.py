"""End-to-end webhook latency and memory in basic mode.

Starts the real app on a loopback port, posts Twilio-signed messages from several
simulated students concurrently, and prints p50/p95/max latency, throughput and the
process's peak RSS. Bounded: a fixed number of requests, loopback only.

    .venv/bin/python bench/bench_webhook.py [--users 50] [--messages 10] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from app.bootstrap.mode import build_container
from app.config import Settings
from app.entrypoints.web.app import create_app

TOKEN = "bench-token"
PUBLIC = "https://bench.example"
SCRIPT = [
    "hola buenas",
    "me llamo Laura y soy diseñadora",
    "q cursos tienen de ia para contenido?",
    "cuanto cuesta el primero",
    "esta caro, hay algo mas barato?",
    "y de python desde cero?",
    "cuantas sesiones son",
    "quiero inscribirme",
    "si",
    "gracias!",
]


def post(base: str, user: int, index: int) -> float:
    params = {
        "MessageSid": f"SMbench{user:04d}{index:04d}",
        "From": f"whatsapp:+5730000{user:05d}",
        "To": "whatsapp:+14155238886",
        "Body": SCRIPT[index % len(SCRIPT)],
        "NumMedia": "0",
    }
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/webhook/whatsapp", params)
    request = urllib.request.Request(
        base + "/webhook/whatsapp",
        data=urllib.parse.urlencode(params).encode(),
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - started


def conversation(base: str, user: int, messages: int) -> list[float]:
    # One student's messages are sequential, as on WhatsApp; students run in parallel.
    return [post(base, user, i) for i in range(messages)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(
            _env_file=None, data_dir=Path(data_dir), twilio_auth_token=TOKEN, public_base_url=PUBLIC,
            reply_delivery="twiml",  # the inline path is what this measures
        )
        container = build_container(settings)
        server = make_server("127.0.0.1", 0, create_app(settings, container), threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        post(base, 99999, 0)  # warm-up: imports, catalogue, first files
        started = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            runs = pool.map(lambda u: conversation(base, u, args.messages), range(args.users))
            latencies = sorted(t for run in runs for t in run)
        elapsed = time.perf_counter() - started
        server.shutdown()
        container.close()
    quantiles = statistics.quantiles(latencies, n=100)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"requests            {len(latencies)} ({args.users} students x {args.messages}, {args.concurrency} at once)")
    print(f"throughput          {len(latencies) / elapsed:.1f} messages/s")
    print(f"latency p50 / p95   {quantiles[49] * 1000:.1f} / {quantiles[94] * 1000:.1f} ms")
    print(f"latency max         {latencies[-1] * 1000:.1f} ms")
    print(f"peak RSS            {peak_mb:.0f} MB (server and load generator in one process)")


if __name__ == "__main__":
    main()
