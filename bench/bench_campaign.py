"""Campaign benchmark (issue 10, item 4): 10,000 consented leads, one template each, paced.

1. A fresh PostgreSQL database with the bot's migrations and 10,000 consenting leads silent
   for 30-89 days (the report's `reenganche_30_89` list), plus 300 who never consented and 100
   who opted out (they must be excluded, and counted).
2. `python -m app campaign` run in this process against the fake Twilio (tests/twilio_fake.py,
   started here): at the default 10 messages/s the 10,000 would take 1,000 s, so the run uses
   `--rate 200`. Measured: wall time, messages/s, the spread of the fake's arrival times
   (at least (n-1)/rate when the pacing holds), one request per lead, every request valid
   against Twilio's OpenAPI description (`fake.violations`, when the fake checks it).
3. The same command again: it must send 0.

    .venv/bin/python bench/bench_campaign.py [--leads 10000] [--rate 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.entrypoints.cli import campaign  # noqa: E402
from app.entrypoints.cli.main import build_parser  # noqa: E402
from app.infrastructure.postgres.migrator import apply_migrations  # noqa: E402
from app.infrastructure.postgres.sync_client import SyncDatabase  # noqa: E402
from tests.postgres import fresh_database, start_embedded_server  # noqa: E402
from tests.twilio_fake import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioFake  # noqa: E402

TEMPLATE = "HX" + "b2" * 16
COURSE = "8032791c-8f7e-59b7-b2a5-98932ae1a04e"  # bundled: Automatización de Reportes de Excel con Python e IA
NO_CONSENT, OPTED_OUT = 300, 100

_LEADS_SQL = """
INSERT INTO user_memory (user_id, name, interests, lead_score, interaction_count, first_interaction_at,
                         last_interaction_at, requested_course_ids, marketing_consent, opted_out)
SELECT 'whatsapp:+57310' || lpad(n::text, 7, '0'), 'Lead ' || n || ' Prueba', ARRAY['excel', 'python'], 40 + n %% 50, 6,
       now() - interval '60 days', now() - make_interval(days => 31 + n %% 58), ARRAY[%(course)s],
       n <= %(consenting)s, n > %(consenting)s + %(no_consent)s
FROM generate_series(1, %(total)s) AS n
"""


def prepare(url: str, leads: int) -> None:
    with SyncDatabase(url) as database:
        database.open()
        apply_migrations(database)
    total = leads + NO_CONSENT + OPTED_OUT
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            _LEADS_SQL,
            {"course": COURSE, "consenting": leads, "no_consent": NO_CONSENT, "total": total},
        )
        connection.execute("VACUUM ANALYZE user_memory")


def run(settings: Settings, rate: float) -> tuple[int, str, float]:
    argv = [
        "campaign", "--campaign", "bench-reenganche", "--list", "reenganche_30_89", "--content-sid", TEMPLATE,
        "--var", "1=first_name", "--var", "2=course", "--rate", f"{rate:g}",
    ]  # fmt: skip
    output = io.StringIO()
    started = time.perf_counter()
    code = campaign.run(settings, build_parser().parse_args(argv), stdout=output)
    return code, output.getvalue(), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--database-url", help="a PostgreSQL server's admin URL (default: an embedded one)")
    args = parser.parse_args()
    server = args.database_url or start_embedded_server(Path(tempfile.mkdtemp(prefix="bench-campaign-pg-")) / "pgdata")
    fake = TwilioFake().start()
    try:
        with fresh_database(server) as url:
            prepare(url, args.leads)
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                database_url=url,
                twilio_account_sid=ACCOUNT_SID,
                twilio_auth_token=AUTH_TOKEN,
                twilio_phone_number=SENDER,
                twilio_api_base_url=fake.base_url,
                public_base_url="https://bot.escuela.example",
                data_dir=Path(tempfile.mkdtemp(prefix="bench-campaign-data-")),
                log_level="WARNING",
            )
            print(
                f"{args.leads:,} consenting leads (+{NO_CONSENT} without consent, +{OPTED_OUT} opted out); "
                f"at the default 10/s they would take {args.leads / 10:,.0f} s, so --rate {args.rate:g}",
                flush=True,
            )
            code, output, seconds = run(settings, args.rate)
            sent = fake.sent()
            per_lead = Counter(m.to for m in sent)
            arrivals = sorted(m.arrived for m in sent)
            spread = arrivals[-1] - arrivals[0] if arrivals else 0.0
            violations = getattr(fake, "violations", None)
            templates = sum(1 for m in sent if getattr(m, "content_sid", TEMPLATE) == TEMPLATE and not m.body)
            print(output)
            print(f"exit code: {code}")
            print(f"wall time of the command: {seconds:.1f} s ({len(sent) / seconds:.1f} messages/s end to end)")
            print(
                f"arrivals at the fake: {len(sent):,} over {spread:.2f} s = {(len(sent) - 1) / spread:.1f} messages/s; "
                f"the pacing's floor is {(len(sent) - 1) / args.rate:.2f} s: "
                f"{'respected' if spread >= (len(sent) - 1) / args.rate else 'VIOLATED'}"
            )
            print(f"requests per lead: {dict(Counter(per_lead.values()))} (lead count by requests received)")
            print(f"template sends without a Body: {templates:,}/{len(sent):,}")
            if violations is None:
                print("OpenAPI validation: not available in this fake")
            else:
                print(f"requests breaking Twilio's OpenAPI description: {len(violations)}")
            again_code, again_output, again_seconds = run(settings, args.rate)
            resent = len(fake.sent()) - len(sent)
            print(
                f"re-run: exit code {again_code}, {resent} new requests, {again_seconds:.1f} s; "
                + next((line for line in again_output.splitlines() if line.startswith("Enviados")), "")
            )
            ok = (
                code == 0
                and again_code == 0
                and resent == 0
                and len(per_lead) == args.leads
                and set(per_lead.values()) == {1}
                and spread >= (len(sent) - 1) / args.rate
                and not violations
            )
            print("RESULT:", "ok" if ok else "FAILED")
            return 0 if ok else 1
    finally:
        fake.close()


if __name__ == "__main__":
    sys.exit(main())
