"""`python -m app report` arguments: what marketers type, and the Spanish errors they get."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.lead_scoring import LeadStage
from app.entrypoints.cli.main import main
from app.entrypoints.cli.report import parse_since, parse_stage, parse_zone

NOW = datetime(2026, 11, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "stage"),
    [("frio", LeadStage.FRIO), ("Frío", LeadStage.FRIO), ("tibio", LeadStage.TIBIO),
     ("caliente", LeadStage.CALIENTE), ("listo", LeadStage.LISTO), ("listo para cerrar", LeadStage.LISTO)],
)  # fmt: skip
def test_stages_can_be_typed_without_accents_or_in_full(typed, stage):
    assert parse_stage(typed) == stage


def test_since_takes_days_dates_and_times():
    assert parse_since("7d", UTC, NOW) == NOW - timedelta(days=7)
    assert parse_since("2026-10-01", UTC, NOW) == datetime(2026, 10, 1, tzinfo=UTC)
    assert parse_since("2026-10-01T08:30:00-05:00", UTC, NOW) == datetime(2026, 10, 1, 13, 30, tzinfo=UTC)


def test_a_date_means_midnight_in_the_report_time_zone():
    bogota = timezone(timedelta(hours=-5))  # a fixed offset: no time-zone database is read
    assert parse_since("2026-10-01", bogota, NOW) == datetime(2026, 10, 1, 5, tzinfo=UTC)
    assert parse_zone("utc") is UTC


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "baja"], "dados de baja no aparecen"),
        (["--stage", "tibiecito"], "use una de estas etapas"),
        (["--min-score", "101"], "fuera de rango"),
        (["--limit", "0"], "fuera de rango"),
        (["--since", "ayer"], "--since"),
    ],
)
def test_bad_arguments_get_a_spanish_message_and_exit_code_2(capsys, args, message):
    assert main(["report", *args]) == 2
    assert message in capsys.readouterr().err


def test_an_unwritable_output_file_is_reported_not_a_traceback(tmp_path, capsys):
    assert main(["report", "--csv", str(tmp_path / "missing" / "leads.csv")]) == 1
    assert "No se pudo escribir el archivo" in capsys.readouterr().err


def test_explaining_an_unknown_phone_says_so(capsys):
    assert main(["report", "--explain", "+19999999999"]) == 1
    assert "No hay ningún contacto con el teléfono +19999999999" in capsys.readouterr().out
