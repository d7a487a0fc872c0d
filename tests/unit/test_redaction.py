"""One redaction for every secret a URL or DSN can carry, in logs and anywhere else."""

import logging

import pytest

from app.infrastructure.log_setup import configure_logging, safe_log_text
from app.infrastructure.redaction import redact

SECRET = "NotToBeSeen42"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"postgresql://bot:{SECRET}@db:5432/school", "postgresql://bot:***@db:5432/school"),
        (f"postgresql://bot@db/school?password={SECRET}", "postgresql://bot@db/school?password=***"),
        (
            f"postgres://bot@db/school?sslmode=require&sslpassword={SECRET}&sslkey=/k/{SECRET}.pem",
            "postgres://bot@db/school?sslmode=require&sslpassword=***&sslkey=***",
        ),
        (f"host=db user=bot password='{SECRET} x' dbname=school", "host=db user=bot password=*** dbname=school"),
        (f"PGPASSWORD={SECRET} psql", "PGPASSWORD=*** psql"),
        (f"cannot connect to postgresql://u:{SECRET}@h/db: x", "cannot connect to postgresql://u:***@h/db: x"),
        (f"https://user:{SECRET}@api.example.com/v1?api_key={SECRET}", "https://user:***@api.example.com/v1?api_key=***"),
        (f"postgresql://bot:p@ss:{SECRET}@db/school", "postgresql://bot:***@db/school"),
        ("http://127.0.0.1:8000/webhook/whatsapp", "http://127.0.0.1:8000/webhook/whatsapp"),
        ("postgresql://bot@db:5432/school?sslmode=require", "postgresql://bot@db:5432/school?sslmode=require"),
    ],
)
def test_every_form_of_secret_is_replaced_and_the_rest_kept(text, expected):
    assert redact(text) == expected


def test_log_lines_carry_no_secret_and_no_raw_control_character(capsys):
    configure_logging("INFO")
    log = logging.getLogger("app.sample")
    log.warning("PostgreSQL unreachable (cannot connect to postgresql://bot@db/school?password=%s)", SECRET)
    log.error("could not record the status of %s", "SM\x00forged\nINFO fake line")
    err = capsys.readouterr().err
    assert SECRET not in err and "password=***" in err
    assert "\x00" not in err and "SM\\x00forged\\nINFO fake line" in err
    assert len(err.splitlines()) == 2


def test_a_traceback_keeps_its_lines_but_not_the_secret():
    text = f'Traceback (most recent call last):\n  File "x"\nOperationalError: password={SECRET} \x07'
    assert safe_log_text(text, multiline=True) == (
        'Traceback (most recent call last):\n  File "x"\nOperationalError: password=*** \\x07'
    )
