"""Two app servers, one database (issue 14.2): two gunicorn processes (`reta.wsgi`, DEBUG off,
static files by WhiteNoise) on two loopback ports serve the test database, and a round-robin
reverse proxy in this test sends the browser's requests to them in turn. A station officer signs
in, saves a draft complaint, edits and registers it, finds it in the list, records a diligencia
and uploads the answer's scan on one server, then downloads it from the other. Every step holds
across the two processes: the session, the CSRF token, the flash messages, the uploaded file, and
the lockout of a user name after five failures spread over both.

The proxy alternates A, B, A, B...; where a step must cross from one server to the other (the form
served by one, sent to the other; the redirect after it back on the first), the test names the
server of the next requests (`RoundRobinProxy.send_next_to`), and the proxy's log proves who served
what. Two processes need a server database: skipped on SQLite (an in-memory test database is
invisible to another process)."""

from __future__ import annotations

import http.client
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from PIL import Image

from complaints.models import Complaint
from diligences.models import DiligenceAnswer
from tests.browser.conftest import shot, sign_in
from tests.browser.test_file_complaint import RESULT_PAGE, fill_the_issue_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NAMES = "AB"
# Not forwarded: they describe one hop, not the message.
ASSETS = ("/static/", "/favicon.ico")
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass(frozen=True)
class Served:
    server: str
    method: str
    path: str
    status: int


class RoundRobinProxy:
    """A reverse proxy on a free loopback port: every request goes to the next app server in
    turn (or to the ones named by `send_next_to`), whole, with the browser's Host header, and is
    recorded in `log`."""

    def __init__(self, backends: list[int]) -> None:
        self.backends = backends
        self.log: list[Served] = []
        self._planned: deque[int] = deque()
        self._turn = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                proxy.forward(self)

            do_POST = do_HEAD = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="round-robin-proxy", daemon=True)

    def send_next_to(self, *servers: str) -> None:
        """The next pages (not static files nor the icon) go to these servers, in this order; then
        in turn."""
        with self._lock:
            self._planned.extend(NAMES.index(server) for server in servers)

    def _choose(self, path: str) -> int:
        with self._lock:
            if self._planned and not path.startswith(ASSETS):
                return self._planned.popleft()
            index = self._turn % len(self.backends)
            self._turn += 1
            return index

    def forward(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else None
        index = self._choose(request.path)
        headers = [(name, value) for name, value in request.headers.items() if name.lower() not in HOP_BY_HOP]
        backend = http.client.HTTPConnection("127.0.0.1", self.backends[index], timeout=120)
        try:
            backend.putrequest(request.command, request.path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers:
                backend.putheader(name, value)
            backend.endheaders(body)
            response = backend.getresponse()
            data = response.read()
        finally:
            backend.close()
        with self._lock:
            self.log.append(Served(NAMES[index], request.command, request.path, response.status))
        request.send_response_only(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP | {"content-length"}:
                request.send_header(name, value)
        request.send_header("Content-Length", str(len(data)))
        request.send_header("X-Served-By", NAMES[index])
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(data)

    def served(self, method: str, pattern: str) -> list[Served]:
        return [row for row in self.log if row.method == method and re.search(pattern, row.path)]

    def last(self, method: str, pattern: str) -> Served:
        rows = self.served(method, pattern)
        assert rows, f"no {method} {pattern} went through the proxy"
        return rows[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        client.request("GET", path, headers={"Host": "127.0.0.1"})
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def _database_url() -> str:
    """The test database (not the one DATABASE_URL names), as the app servers must reach it."""
    values = connection.settings_dict
    password = f":{values['PASSWORD']}" if values["PASSWORD"] else ""
    port = f":{values['PORT']}" if values["PORT"] else ""
    return f"mysql://{values['USER']}{password}@{values['HOST'] or '127.0.0.1'}{port}/{values['NAME']}"


@pytest.fixture
def app_servers(transactional_db: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two gunicorn processes on the committed test database, sharing the same file storage (the
    folders a shared volume would give; RETA_STORAGE=s3 gives a bucket), the same SECRET_KEY and
    nothing else; stopped before the database is emptied."""
    if connection.vendor != "mysql":
        pytest.skip("two app server processes need a server database (MariaDB): SQLite's test database is in memory")
    if os.environ.get("RETA_TEST_CLOCK"):
        pytest.skip("the app servers are other processes: they run on the real clock, not RETA_TEST_CLOCK")
    if not Path(GUNICORN).exists():
        pytest.fail(f"gunicorn is missing beside {sys.executable} (requirements.txt)")
    media = tmp_path / "media"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reta.settings_test",  # the test database's password hasher
        "DATABASE_URL": _database_url(),
        "DEBUG": "False",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RETA_STORAGE": "local",
        "MEDIA_ROOT": str(media),
        "RETA_TEST_PRIVATE_MEDIA_ROOT": str(tmp_path / "private_media"),
        "CACHE_URL": "dbcache://reta_cache",
        "LOG_LEVEL": "WARNING",
    }
    ports = [_free_port(), _free_port()]
    logs = {name: tmp_path / f"gunicorn-{name}.log" for name in NAMES}
    processes = []
    for name, port in zip(NAMES, ports, strict=True):
        with logs[name].open("wb") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 — the venv's gunicorn, fixed arguments
                    [
                        GUNICORN,
                        "reta.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--worker-class",
                        "gthread",
                        "--threads",
                        "4",
                        "--timeout",
                        "120",
                        "--graceful-timeout",
                        "5",
                        "--name",
                        f"reta-{name}",
                    ],
                    cwd=BASE_DIR,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    try:
        deadline = time.monotonic() + 90
        for name, port, process in zip(NAMES, ports, processes, strict=True):
            while True:
                if process.poll() is not None:
                    pytest.fail(f"gunicorn {name} stopped:\n{logs[name].read_text(errors='replace')[-3000:]}")
                try:
                    if _get(port, "/acceso/")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn {name} did not answer:\n{logs[name].read_text(errors='replace')[-3000:]}")
                time.sleep(0.3)
        proxy = RoundRobinProxy(ports)
        proxy.thread.start()
        yield {"proxy": proxy, "ports": dict(zip(NAMES, ports, strict=True)), "media": media, "logs": logs}
        proxy.server.shutdown()
        proxy.server.server_close()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _other(server: str) -> str:
    return "B" if server == "A" else "A"


def _messages(page: Any) -> str:
    return " ".join(page.locator(".messages").all_inner_texts())


def test_a_journey_alternating_between_two_app_servers(
    app_servers: dict[str, Any], browser: Any, personas: dict, password: str, tmp_path: Path
) -> None:
    proxy: RoundRobinProxy = app_servers["proxy"]
    ports: dict[str, int] = app_servers["ports"]
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US", accept_downloads=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.base_url = proxy.url

    # Production-like: DEBUG off, each server serves the static files itself (WhiteNoise).
    for port in ports.values():
        status, body = _get(port, "/static/css/reta.css")
        assert status == 200 and body == (BASE_DIR / "static" / "css" / "reta.css").read_bytes()
        assert b"Traceback" not in _get(port, "/no-existe/")[1]

    # Signing in: the form from one server, sent to the other, the home page from the first.
    page.goto(proxy.url + "/acceso/")
    form_server = proxy.last("GET", r"^/acceso/").server
    page.get_by_label("Nombre de usuario").fill("station.officer")
    page.get_by_label("Contraseña").fill(password)
    proxy.send_next_to(_other(form_server), form_server)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_url(proxy.url + "/")
    assert proxy.last("POST", r"^/acceso/") == Served(_other(form_server), "POST", "/acceso/", 302)
    assert proxy.last("GET", r"^/$").server == form_server
    assert page.get_by_role("heading", name="Bienvenido, Ana").is_visible()
    shot(page, "two-servers-home")

    # A draft complaint: the form from one server, saved on the other; then edited and registered.
    page.goto(proxy.url + "/denuncias/nueva/")
    new_form = proxy.last("GET", r"^/denuncias/nueva/").server
    fill_the_issue_case(page)
    proxy.send_next_to(_other(new_form), new_form)
    page.locator("#save-draft").click()
    page.wait_for_url(RESULT_PAGE)
    draft = Complaint.objects.get()
    assert draft.number in ("", None) and not draft.is_frozen
    assert proxy.last("POST", r"^/denuncias/nueva/").server == _other(new_form)
    assert proxy.last("GET", r"^/denuncias/\d+/resultado/").server == new_form

    page.goto(f"{proxy.url}/denuncias/{draft.pk}/editar/")
    edit_form = proxy.last("GET", rf"^/denuncias/{draft.pk}/editar/").server
    assert page.locator("#id_narrative").input_value()  # what was saved comes back from the database
    proxy.send_next_to(_other(edit_form), edit_form)
    page.locator("#register").click()
    page.locator("#confirm").click()  # the review before the freeze
    page.wait_for_url(RESULT_PAGE)
    complaint = Complaint.objects.get()
    assert complaint.is_frozen and complaint.number
    assert proxy.last("POST", rf"^/denuncias/{draft.pk}/editar/").server == _other(edit_form)

    # The list, from whichever server: the complaint is there.
    page.goto(proxy.url + "/denuncias/")
    assert complaint.number in page.locator("main").inner_text()

    # A diligencia, then the answer with its scan uploaded on one server...
    page.goto(f"{proxy.url}/denuncias/{complaint.pk}/diligencias/")
    page.locator("#new-diligence-link").click()
    page.locator("#id_kind").select_option("inspection")
    page.locator("#id_description").fill("Inspección del local con apoyo de la Fiscalía.")
    page.locator("#diligence-submit").click()
    page.locator("#diligence-1").wait_for()
    assert "La diligencia 1 se añadió al registro." in _messages(page)

    scan = tmp_path / "acta-inspeccion.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (240, 240, 240)).save(buffer, "PNG")
    scan.write_bytes(buffer.getvalue())
    page.locator("#answer-link-1").click()
    answer_form = proxy.last("GET", r"/diligencias/\d+/respuestas/nueva/").server
    page.locator("#id_summary").fill("La Fiscalía remite el acta de inspección.")
    page.locator("#id_scan").set_input_files(str(scan))
    proxy.send_next_to(_other(answer_form), answer_form)
    page.locator("#answer-submit").click()
    answer = DiligenceAnswer.objects.get()
    page.locator(f"#scan-{answer.pk}").wait_for()
    upload = proxy.last("POST", r"/diligencias/\d+/respuestas/nueva/")
    assert (upload.server, upload.status) == (_other(answer_form), 302)
    # ...its message, set by the server that took the upload, shown by the other one.
    assert "La respuesta se añadió a la diligencia 1." in _messages(page)
    assert proxy.last("GET", rf"^/denuncias/{complaint.pk}/diligencias/$").server == answer_form
    assert (app_servers["media"] / answer.scan.name).read_bytes() == scan.read_bytes()

    # ...and downloaded from the other server, through the access-checked view.
    proxy.send_next_to(answer_form)
    with page.expect_download() as download:
        page.locator(f"#scan-{answer.pk}").click()
    assert Path(download.value.path()).read_bytes() == scan.read_bytes()
    fetched = proxy.last("GET", rf"/diligencias/respuestas/{answer.pk}/escaneo/")
    assert (fetched.server, fetched.status) == (answer_form, 200)
    assert fetched.server != upload.server
    shot(page, "two-servers-register")

    # Five wrong passwords spread over both servers lock the user name on both.
    intruder = browser.new_context(locale="es-PE")
    other = intruder.new_page()
    other.base_url = proxy.url
    for server in "ABABA":  # each form from one server, sent to the other
        proxy.send_next_to(_other(server), server)
        sign_in(other, "outsider", "una-clave-equivocada-123")
    failures = proxy.served("POST", r"^/acceso/")[-5:]
    assert [row.server for row in failures] == list("ABABA")
    assert "bloqueada" in other.get_by_role("alert").inner_text()
    for server in NAMES:  # the right password does not open it now, on either server
        proxy.send_next_to(server, server)
        sign_in(other, "outsider", password)
        assert "bloqueada" in other.get_by_role("alert").inner_text()
        assert proxy.last("POST", r"^/acceso/") == Served(server, "POST", "/acceso/", 429)
    intruder.close()

    # Both servers served pages and static files; none answered an error.
    assert {row.server for row in proxy.log if not row.path.startswith("/static/")} == {"A", "B"}
    assert {row.server for row in proxy.log if row.path.startswith("/static/")} == {"A", "B"}
    errors = [row for row in proxy.log if row.status >= 500]
    assert not errors, errors
    context.close()
    shutil.rmtree(app_servers["media"], ignore_errors=True)
