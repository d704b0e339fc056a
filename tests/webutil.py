"""Helpers for web tests: a loaded workspace with one user per role, and logging in."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from smartmoves.pathway.setup.imports import find_table_files, import_files
from smartmoves.pathway.setup.users import add_account
from smartmoves.settings import Settings
from smartmoves.web import create_app

from orgfiles import write_org

PASSWORD = "correct horse battery"
ROLES = ("admin", "champion", "supervisor", "member")


def load_demo_org(settings: Settings, tmp_path: Path) -> Settings:
    import_files(settings, find_table_files(write_org(tmp_path / "org")))
    for role in ROLES:
        add_account(settings, f"{role}@bank.example", role, PASSWORD, display_name=role.title())
    return settings


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def client_for(settings: Settings) -> TestClient:
    """A browser-like client over HTTPS (the login cookie is Secure outside loopback)."""
    return TestClient(create_app(settings), base_url="https://testserver")


def login_as(settings: Settings, email: str, password: str = PASSWORD) -> TestClient:
    """A client logged in through the form as ``email``."""
    client = client_for(settings)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf": token, "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def logged_in(settings: Settings, role: str) -> TestClient:
    """A client logged in as the demo organization's account of ``role``."""
    return login_as(settings, f"{role}@bank.example")
