from pathlib import Path

import pytest

from tradewind.settings import SETTINGS, Settings, settings_table_markdown


def test_defaults_apply_without_environment(tmp_path: Path) -> None:
    s = Settings.load(env={}, dotenv=tmp_path / "none")
    assert s.database_url == "sqlite:///var/tradewind.db"
    assert s.port == 8000


def test_environment_beats_dotenv(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("TRADEWIND_PORT=9000\nTRADEWIND_HOST=0.0.0.0\n")
    s = Settings.load(env={"TRADEWIND_PORT": "9100"}, dotenv=dotenv)
    assert s.port == 9100
    assert s.host == "0.0.0.0"


def test_bad_integer_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="TRADEWIND_PORT"):
        Settings.load(env={"TRADEWIND_PORT": "eighty"}, dotenv=tmp_path / "none")


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert s.env_var in readme, f"{s.env_var} missing from README"
    assert "TRADEWIND_DATABASE_URL" in settings_table_markdown()
