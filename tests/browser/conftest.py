"""Playwright driving Debian's Chromium against pytest-django's live server.

Playwright cannot download a browser here: it uses /usr/bin/chromium (package `chromium`).
Screenshots go to tests/artifacts/ (ignored by git)."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# How long the live server's request threads may take to finish once a test's browser contexts
# are closed (a request still running when the test ended: its answer is sent to a closed socket).
REQUEST_THREADS_GRACE_SECONDS = 30


@pytest.fixture(autouse=True)
def _browser_left_clean(request: pytest.FixtureRequest) -> Iterator[None]:
    """After each browser test: every browser context the test opened is closed (a test's own
    `browser.new_context()` too), and the live server's request threads have finished.

    A context left open keeps its keep-alive connections to the live server, and each of them a
    request thread of the live server, waiting. The browser is a session fixture set up before the
    session's live server, so it is closed after the live server stopped. On the in-memory SQLite
    test database, when the live server started after the test database was made (a database test
    ran first in that process, as under xdist), the request threads share the test's connection,
    which pytest-django allows only while the server runs; when Chromium closed their sockets at
    the end of the run each thread's `connections.close_all()` raised "DatabaseWrapper objects
    created in a thread can only be used in that same thread" (PytestUnhandledThreadExceptionWarning,
    reported on whatever test ran last; an error since pyproject's filterwarnings)."""
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if browser is None:
        return
    for context in list(browser.contexts):
        context.close()
    if "live_server" not in request.fixturenames:
        return
    deadline = time.monotonic() + REQUEST_THREADS_GRACE_SECONDS
    for thread in threading.enumerate():
        # socketserver.ThreadingMixIn names them "Thread-N (process_request_thread)".
        if thread is not threading.current_thread() and thread.name.endswith("(process_request_thread)"):
            thread.join(max(0.0, deadline - time.monotonic()))
    running = [t.name for t in threading.enumerate() if t.name.endswith("(process_request_thread)")]
    if running:
        seconds = REQUEST_THREADS_GRACE_SECONDS
        pytest.fail(f"live server request threads still running {seconds} s after the test: {running}")


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    # An English-speaking browser: RETA must still open in Spanish.
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto(page.base_url + "/acceso/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
