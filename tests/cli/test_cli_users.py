"""``smartmoves users`` deactivate / reset-password / set-role and ``smartmoves audit
export``, in process: passwords never on the command line, bad input one line and exit
code 2, every change in the audit log, and the user's sessions ended."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartmoves.cli.main import app
from smartmoves.pathway.setup import logins, users
from smartmoves.settings import Settings, get_settings

from services import T0, quick_password_hashes

runner = CliRunner()
PASSWORD = "correct horse battery"
NEW = "a completely new passphrase"


@pytest.fixture(autouse=True)
def quick_hashes() -> Iterator[None]:
    with quick_password_hashes():
        yield


@pytest.fixture
def ws(tmp_path: Path, store_backend: str | None, monkeypatch: pytest.MonkeyPatch) -> Path:
    if store_backend:
        monkeypatch.setenv("SMARTMOVES_DATABASE_URL", store_backend)
    folder = tmp_path / "ws"
    assert runner.invoke(app, ["init", str(folder)]).exit_code == 0
    added = runner.invoke(
        app, ["users", "add", "ana@bank.example", "--role", "member", "--password", PASSWORD,
              "-w", str(folder)],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return folder


def _settings(folder: Path) -> Settings:
    return get_settings(folder)


def _session(folder: Path) -> str:
    login = logins.log_in(
        _settings(folder), "ana@bank.example", PASSWORD, address="10.0.0.1", now=T0
    )
    assert login is not None
    return login.token


def _alive(folder: Path, token: str) -> bool:
    return logins.current_session(_settings(folder), token, now=T0) is not None


def _run(folder: Path, *args: str, input: str | None = None):
    return runner.invoke(app, [*args, "-w", str(folder)], input=input)


def _audit(folder: Path) -> list[dict[str, str]]:
    result = _run(folder, "audit", "export")
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def _one_error_line(result, words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines


def test_deactivate_ends_the_sessions_and_refuses_logins(ws: Path) -> None:
    token = _session(ws)
    result = _run(ws, "users", "deactivate", "Ana@Bank.example")
    assert (
        result.exit_code == 0 and "deactivated ana@bank.example (1 session ended)" in result.stdout
    )
    assert not _alive(ws, token)
    assert users.authenticate(_settings(ws), "ana@bank.example", PASSWORD) is None
    _one_error_line(_run(ws, "users", "deactivate", "ana@bank.example"), "deactivated already")
    _one_error_line(_run(ws, "users", "deactivate", "bo@bank.example"), "no user bo@bank.example")
    listed = _run(ws, "users", "list")
    assert "deactivated" in listed.stdout
    assert _run(ws, "users", "activate", "ana@bank.example").exit_code == 0
    assert users.authenticate(_settings(ws), "ana@bank.example", PASSWORD) is not None
    actions = [(e["actor"], e["action"], e["target"]) for e in _audit(ws)]
    assert ("cli", "deactivate user", "ana@bank.example") in actions
    assert ("cli", "activate user", "ana@bank.example") in actions


def test_reset_password_from_a_file(ws: Path, tmp_path: Path) -> None:
    token = _session(ws)
    secret = tmp_path / "pw.txt"
    secret.write_text(NEW + "\nthe second line is ignored\n", encoding="utf-8")
    result = _run(ws, "users", "reset-password", "ana@bank.example", "--password-file", str(secret))
    assert result.exit_code == 0, result.output
    assert NEW not in result.output and "1 session ended" in result.stdout
    assert not _alive(ws, token)
    assert users.authenticate(_settings(ws), "ana@bank.example", NEW) is not None
    assert users.authenticate(_settings(ws), "ana@bank.example", PASSWORD) is None
    entries = _audit(ws)
    assert any(e["action"] == "reset password" for e in entries)
    assert not any(NEW in str(e) for e in entries)


def test_reset_password_from_standard_input(ws: Path) -> None:
    result = _run(
        ws, "users", "reset-password", "ana@bank.example", "--password-file", "-", input=NEW + "\n"
    )
    assert result.exit_code == 0, result.output
    assert users.authenticate(_settings(ws), "ana@bank.example", NEW) is not None


def test_reset_password_at_a_prompt(ws: Path) -> None:
    result = _run(
        ws, "users", "reset-password", "ana@bank.example", "--prompt", input=f"{NEW}\n{NEW}\n"
    )
    assert result.exit_code == 0, result.output
    assert NEW not in result.output  # hidden as it is typed
    assert users.authenticate(_settings(ws), "ana@bank.example", NEW) is not None


def test_reset_password_without_one_prints_a_random_one_once(ws: Path) -> None:
    result = _run(ws, "users", "reset-password", "ana@bank.example")
    assert result.exit_code == 0
    chosen = result.stdout.split("password: ")[1].strip()
    assert len(chosen) >= 10
    assert users.authenticate(_settings(ws), "ana@bank.example", chosen) is not None


def test_reset_password_refuses_bad_input_in_one_line(ws: Path, tmp_path: Path) -> None:
    short = tmp_path / "short.txt"
    short.write_text("tiny\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    cases = [
        (["--password-file", str(short)], "at least 10 characters"),
        (["--password-file", str(empty)], "no password on the first line"),
        (["--password-file", str(tmp_path / "missing.txt")], "cannot read the password file"),
        (["--password-file", str(short), "--prompt"], "not both"),
    ]
    for options, words in cases:
        _one_error_line(_run(ws, "users", "reset-password", "ana@bank.example", *options), words)
    _one_error_line(_run(ws, "users", "reset-password", "x@bank.example"), "no user x@bank.example")
    assert users.authenticate(_settings(ws), "ana@bank.example", PASSWORD) is not None


def test_reset_password_takes_no_password_on_the_command_line(ws: Path) -> None:
    result = _run(ws, "users", "reset-password", "ana@bank.example", "--password", NEW)
    assert result.exit_code == 2 and "No such option" in result.output
    assert users.authenticate(_settings(ws), "ana@bank.example", PASSWORD) is not None


def test_set_role_ends_the_sessions_and_is_recorded(ws: Path) -> None:
    token = _session(ws)
    result = _run(ws, "users", "set-role", "ana@bank.example", "supervisor")
    assert result.exit_code == 0 and "ana@bank.example is now supervisor" in result.stdout
    assert not _alive(ws, token)
    _one_error_line(
        _run(ws, "users", "set-role", "ana@bank.example", "boss"), "unknown role 'boss'"
    )
    _one_error_line(_run(ws, "users", "set-role", "ana@bank.example", "supervisor"), "already")
    _one_error_line(_run(ws, "users", "set-role", "x@bank.example", "member"), "no user")
    entry = next(e for e in _audit(ws) if e["action"] == "set role")
    assert entry["target"] == "ana@bank.example" and '"after": "supervisor"' in entry["detail"]


def test_users_add_takes_a_password_file_too(ws: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text(NEW, encoding="utf-8")
    result = _run(
        ws, "users", "add", "bo@bank.example", "--role", "admin", "--password-file", str(secret)
    )
    assert result.exit_code == 0 and "password:" not in result.stdout
    assert users.authenticate(_settings(ws), "bo@bank.example", NEW) is not None
    both = _run(
        ws, "users", "add", "cy@bank.example", "--role", "admin", "--password", NEW, "--prompt"
    )
    _one_error_line(both, "give one of --password, --password-file and --prompt")


def test_audit_export_writes_csv_newest_first_and_is_recorded(ws: Path, tmp_path: Path) -> None:
    logins.log_in(
        _settings(ws), "=HYPERLINK(1)@x.example", "wrong password", address="10.0.0.9", now=T0
    )
    target = tmp_path / "audit.csv"
    result = _run(ws, "audit", "export", "--out", str(target))
    assert result.exit_code == 0 and "wrote the audit log" in result.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "at", "actor", "action", "target", "address", "detail"]
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(ids, reverse=True)
    assert rows[0]["action"] == "export" and rows[0]["target"] == "audit log"  # itself, first
    failed = next(r for r in rows if r["action"] == "login failed")
    assert failed["actor"].startswith("'=")  # a spreadsheet shows it, never runs it
    assert failed["address"] == "10.0.0.9"
    _one_error_line(_run(ws, "audit", "export", "--out", str(tmp_path)), "is a folder")
