"""A live server and Chromium for browser tests: one copy of the plumbing that the
browser test modules share (uvicorn on a free loopback port in a thread; Debian's
Chromium driven by Playwright)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smartmoves.settings import Settings
from smartmoves.web import create_app

from services import skip_or_fail
from webutil import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """The web shell of ``settings`` served on loopback until the block ends."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(
        create_app(settings, loopback=True), host="127.0.0.1", port=port, log_level="error"
    )
    live = uvicorn.Server(config)
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not live.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert live.started, "the server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        live.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium, or a skip (a failure where CI requires every service)."""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


def log_in(browser: Any, server: str, email: str, password: str = PASSWORD) -> Any:
    """A new page logged in through the form as ``email``, on the overview."""
    page = browser.new_page()
    page.goto(f"{server}/")
    assert "/login" in page.url  # every page needs a login
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server}/")
    return page
