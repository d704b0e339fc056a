"""Settings, read from (highest first) explicit arguments, ``SMARTMOVES_*`` environment
variables, the workspace's ``smartmoves.toml``, and defaults.

Built by :func:`get_settings`, never at import time, so tests and commands can point at
different workspaces in one process.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from smartmoves.errors import ConfigError

__all__ = ["WORKSPACE_FILE", "Settings", "get_settings", "new_secret_key"]

WORKSPACE_FILE = "smartmoves.toml"
ENV_PREFIX = "SMARTMOVES_"
# A key that ships in the source is public: refuse it anywhere but in development.
PLACEHOLDER_SECRET = "change-me"


class Settings(BaseSettings):
    """Every setting of smartmoves; see ``docs/settings.md``."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    workspace: Path = Field(default=Path("."), description="The workspace folder.")
    database_url: str | None = Field(
        default=None,
        description="Operational store URL; default: the workspace's smartmoves.db (SQLite).",
    )
    analytics_engine: Literal["duckdb", "spark"] = Field(
        default="duckdb", description="Backend for the analytics store's named queries."
    )
    min_group_size: int = Field(
        default=5,
        ge=5,
        description="Aggregates over fewer people than this are suppressed (never below 5), "
        "and so is any figure whose difference with figures shown beside it would cover "
        "fewer.",
    )
    secret_key: str = Field(
        default=PLACEHOLDER_SECRET,
        description="Keys the stored login sessions (changing it ends every login); init "
        "writes a random one.",
    )
    environment: Literal["development", "production"] = Field(
        default="production", description="development allows the placeholder secret key."
    )
    session_hours: int = Field(
        default=12, ge=1, description="How long a login lasts at most, however active."
    )
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A login unused for this long ends."
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Failed logins for one email within login_window_minutes that lock it.",
    )
    login_max_failures_per_address: int = Field(
        default=20,
        ge=1,
        description="Failed logins from one client address within login_window_minutes "
        "that lock the address.",
    )
    login_window_minutes: int = Field(
        default=15, ge=1, description="The window in which failed logins are counted."
    )
    login_lockout_minutes: int = Field(
        default=15, ge=1, description="How long a locked email or address is refused."
    )
    password_hash_workers: int = Field(
        default=2,
        ge=1,
        le=16,
        description="Threads that check passwords at once; more logins wait their turn, "
        "and the server keeps answering everything else.",
    )
    request_threads: int = Field(
        # Pages are Python work under one interpreter lock: on two cores, 50 users who
        # never pause were answered at 550 requests/s with 2 threads a process against
        # 260-320 with Starlette's 40, which spent the difference handing the lock around
        # (benchmarks/load.py). Password checks and jobs have their own threads.
        default=2,
        ge=1,
        le=64,
        description="Threads of each server process that answer requests at once; more "
        "requests wait their turn in its event loop.",
    )
    job_workers: int = Field(
        # Two, so that an admin's plan never waits behind a long job (the exposure model's
        # first training, a network analysis) started by the same page a moment before.
        default=2,
        ge=0,
        le=16,
        description="Worker processes the web server starts for background jobs (plans, "
        "formations, network analyses, the exposure model's training); 0 runs each job "
        "inside the request that starts it.",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Send the login cookie over HTTPS only; default: yes, except in "
        "development and when serving on a loopback address (127.0.0.1, localhost).",
    )

    @field_validator("workspace")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def sqlalchemy_url(self) -> str:
        """The operational store's URL, defaulting to SQLite inside the workspace."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.workspace / 'smartmoves.db'}"

    @property
    def analytics_dir(self) -> Path:
        return self.workspace / "analytics"

    def secure_cookie(self, *, loopback: bool = False) -> bool:
        """Whether the login cookie is ``Secure``: the setting, else on outside
        development and loopback (a browser on this machine talks plain HTTP to it)."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return not (loopback or self.environment == "development")

    def require_real_secret(self) -> None:
        """Refuse to serve with the placeholder secret outside development."""
        if self.secret_key == PLACEHOLDER_SECRET and self.environment != "development":
            raise ConfigError(
                "secret_key is the placeholder: run `smartmoves init` or set "
                "SMARTMOVES_SECRET_KEY (or SMARTMOVES_ENVIRONMENT=development)"
            )


def new_secret_key() -> str:
    return secrets.token_urlsafe(32)


def _workspace_values(workspace: Path) -> dict[str, Any]:
    path = workspace / WORKSPACE_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    section = data.get("smartmoves", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [smartmoves] must be a table")
    return section


def get_settings(workspace: str | Path | None = None, **overrides: Any) -> Settings:
    """Build the settings for ``workspace`` (default: ``SMARTMOVES_WORKSPACE`` or ``.``).

    Raises
    ------
    ConfigError
        When a value is invalid; the message names the setting.
    """
    chosen = workspace or os.environ.get(f"{ENV_PREFIX}WORKSPACE") or "."
    root = Path(chosen).expanduser().resolve()
    file_values = _workspace_values(root)
    # Explicit arguments beat the environment in pydantic-settings; the file must lose to
    # the environment, so drop the file's values that the environment sets.
    from_env = {
        name for name in Settings.model_fields if f"{ENV_PREFIX}{name.upper()}" in os.environ
    }
    values = {k: v for k, v in file_values.items() if k not in from_env and k != "workspace"}
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(workspace=root, **values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"setting {name}: {first['msg']}") from exc
