"""``tradewind --lang fr|es import …``: a broken file is named, with line and field, in the
user's language (the message ids of ImportFailed, see tests/test_errors.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli.test_tariffs_import import SCHEDULE
from tests.tariffs.util import load_reference
from tradewind import i18n
from tradewind.cli import tariffs_import
from tradewind.cli.app import app
from tradewind.db import Database


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setattr(tariffs_import, "database", lambda: db)
    load_reference(db)
    token = i18n.current_language.set(i18n.DEFAULT_LANGUAGE)  # --lang sets it for the process
    yield CliRunner()
    i18n.current_language.reset(token)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "ken.csv, line 3, field 'hs6': hs6 '0901' is not a 6-digit code"),
    ("fr", "ken.csv, ligne 3, champ 'hs6' : hs6 '0901' n'est pas un code à 6 chiffres"),
    ("es", "ken.csv, línea 3, campo 'hs6': hs6 '0901' no es un código de 6 dígitos"),
])
def test_broken_tariff_file_in_the_command_language(runner: CliRunner, tmp_path: Path,
                                                    lang: str, expected: str) -> None:
    path = tmp_path / "ken.csv"
    path.write_text(SCHEDULE.replace("KEN,0901220000,090122", "KEN,0901220000,0901"), "utf-8")
    result = runner.invoke(app, ["--lang", lang, "import", "tariff-csv", str(path),
                                 "--currency", "KES"])
    assert result.exit_code == 1
    assert expected in result.stderr.replace("\n", " ").replace(str(tmp_path) + "/", ""), \
        result.stderr
    assert result.stderr.startswith({"en": "Error: ", "fr": "Erreur : ", "es": "Error: "}[lang])


def test_unknown_language_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--lang", "de", "import", "tariff-csv", "x.csv"])
    assert result.exit_code == 2 and "--lang" in result.output
