import logging
import re
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger as GunicornLogger

from app.infrastructure.log_setup import configure_logging, mask_phone_numbers

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?P<level>[A-Z]+) \[\d+\] (?P<name>[\w.]+): (?P<message>.*)$"
)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("whatsapp:+573001234567", "whatsapp:+57******4567"),
        ("+14155238886", "+1******8886"),
        ("whatsapp:+5491123456789 y whatsapp:+34612345678", "whatsapp:+54*******6789 y whatsapp:+34*****5678"),
        ("whatsapp:573001234567", "whatsapp:57******4567"),
        ("data/users/whatsapp%3A%2B573001234567.json", "data/users/whatsapp%3A%2B57******4567.json"),
        ("+2348031234567", "+234******4567"),  # a three-digit country code stays whole
        ("SM0123456789abcdef at 12:00:00+0000, 1500 ms", "SM0123456789abcdef at 12:00:00+0000, 1500 ms"),
    ],
)
def test_phone_numbers_keep_only_the_country_code_and_last_digits(text, masked):
    assert mask_phone_numbers(text) == masked


def lines(err: str) -> list[re.Match]:
    found = [LINE.match(line) for line in err.splitlines() if not line.startswith((" ", "Traceback", "OSError"))]
    assert all(found), err
    return found


def test_every_line_has_time_level_and_logger_and_no_number_in_clear(capsys):
    configure_logging("INFO")
    log = logging.getLogger("app.sample")
    log.info("answering %s", "whatsapp:+573001234567")
    log.warning("turn of whatsapp:+573001234567 took %.1fs", 2.5)
    log.info("memory %r", {"user_id": "whatsapp:+573001234567"})  # not a string argument
    try:
        raise OSError("cannot write data/memory/users/whatsapp%3A%2B573001234567.json")
    except OSError:
        log.exception("save failed")
    err = capsys.readouterr().err
    assert "3001234567" not in err and "300123" not in err
    found = lines(err)
    assert [(m["level"], m["name"]) for m in found] == [("INFO", "app.sample"), ("WARNING", "app.sample"),
                                                       ("INFO", "app.sample"), ("ERROR", "app.sample")]  # fmt: skip
    assert found[0]["message"] == "answering whatsapp:+57******4567"
    assert "whatsapp%3A%2B57******4567.json" in err  # the traceback too


def test_log_level_is_honoured_and_a_second_call_replaces_the_first(capsys):
    configure_logging("INFO")
    configure_logging("warning")
    logging.getLogger("app.sample").info("not shown")
    logging.getLogger("app.sample").warning("shown")
    err = capsys.readouterr().err
    assert [m["message"] for m in lines(err)] == ["shown"]


def test_gunicorn_logs_through_the_same_format_level_and_mask(capsys, monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    settings = runpy.run_path(str(GUNICORN_CONF))
    config = Config()
    config.set("loglevel", settings["loglevel"])
    config.set("logconfig_dict", settings["logconfig_dict"])
    gunicorn_log = GunicornLogger(config)  # what the gunicorn master builds at start-up
    gunicorn_log.info("Booting worker")
    gunicorn_log.error("Worker for whatsapp:+573001234567 timed out")
    logging.getLogger("app.sample").warning("app line")
    err = capsys.readouterr().err
    found = lines(err)
    assert [(m["level"], m["name"], m["message"]) for m in found] == [
        ("ERROR", "gunicorn.error", "Worker for whatsapp:+57******4567 timed out"),
        ("WARNING", "app.sample", "app line"),
    ]


def test_access_lines_are_written_at_debug_only():
    from app.infrastructure.log_setup import logging_config

    assert logging_config("INFO")["loggers"]["gunicorn.access"]["level"] == "WARNING"
    assert logging_config("DEBUG")["loggers"]["gunicorn.access"]["level"] == "INFO"


def gunicorn_logger(monkeypatch, level: str) -> GunicornLogger:
    """The logger the gunicorn master builds from gunicorn.conf.py at LOG_LEVEL=`level`."""
    monkeypatch.setenv("LOG_LEVEL", level)
    settings = runpy.run_path(str(GUNICORN_CONF))
    config = Config()
    for name in ("loglevel", "logconfig_dict", "logger_class"):
        config.set(name, settings[name])
    return config.logger_class(config)


ENVIRON = {"REQUEST_METHOD": "POST", "RAW_URI": "/webhook/whatsapp", "SERVER_PROTOCOL": "HTTP/1.1",
           "PATH_INFO": "/webhook/whatsapp", "REMOTE_ADDR": "127.0.0.1"}  # fmt: skip


def test_at_debug_gunicorn_writes_one_access_line_per_request(capsys, monkeypatch):
    log = gunicorn_logger(monkeypatch, "DEBUG")
    response = SimpleNamespace(status="200 OK", headers=[("Content-Type", "application/xml")], sent=62)
    log.access(response, SimpleNamespace(headers=[("User-Agent", "TwilioProxy/1.1")]), ENVIRON, timedelta(0, 0, 900))
    (line,) = lines(capsys.readouterr().err)
    assert line["name"] == "gunicorn.access" and '"POST /webhook/whatsapp HTTP/1.1" 200' in line["message"]


def test_below_debug_no_access_line_is_even_built(capsys, monkeypatch):
    log = gunicorn_logger(monkeypatch, "INFO")
    # Objects gunicorn could not read a line from: building one would raise.
    log.access(object(), object(), {}, None)
    assert capsys.readouterr().err == ""
