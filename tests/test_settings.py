"""Settings: defaults, the workspace file, the environment, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartmoves.data.workspace import create_workspace
from smartmoves.errors import ConfigError
from smartmoves.settings import PLACEHOLDER_SECRET, get_settings


def test_workspace_file_then_environment_then_arguments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = create_workspace(tmp_path / "ws", min_group_size=7)
    settings = get_settings(folder)
    assert settings.min_group_size == 7
    assert settings.secret_key != PLACEHOLDER_SECRET
    assert settings.sqlalchemy_url == f"sqlite:///{folder / 'smartmoves.db'}"
    monkeypatch.setenv("SMARTMOVES_MIN_GROUP_SIZE", "9")
    assert get_settings(folder).min_group_size == 9
    assert get_settings(folder, min_group_size=6).min_group_size == 6
    with pytest.raises(ConfigError, match="greater than or equal to 5"):
        get_settings(folder, min_group_size=3)  # the minimum is never below 5
    monkeypatch.setenv("SMARTMOVES_WORKSPACE", str(folder))
    assert get_settings().workspace == folder


def test_bad_values_name_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTMOVES_ANALYTICS_ENGINE", "excel")
    with pytest.raises(ConfigError, match="setting analytics_engine"):
        get_settings(tmp_path)
    monkeypatch.delenv("SMARTMOVES_ANALYTICS_ENGINE")
    (tmp_path / "smartmoves.toml").write_text("[smartmoves\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        get_settings(tmp_path)


def test_placeholder_secret_refused_outside_development(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="placeholder"):
        get_settings(tmp_path).require_real_secret()
    get_settings(tmp_path, environment="development").require_real_secret()
