"""The Locust users of the load test (`make load`, bench/load/run.py), browser-like: every form is
fetched first and posted back with what the page holds (CSRF token, form token, formset management
fields), every redirect is requested as its own page (`allow_redirects=False`), POSTs carry the
Origin header a browser sends. Each simulated user takes its own account from the accounts file
(LOAD_ACCOUNTS, written by run.py) and signs in through the sign-in form with the real password
hasher; national administrators pass the second factor for real (TOTP from their device's key).

- Officer (station officer): files complaints (open the form, save a draft, open the draft,
  "register" to the review, confirm, see the result with its classification), reviews the list,
  the second page, a complaint of the list, a search; writes the bare insert (the yardstick, as
  often as a complaint); now and then signs out and the next officer of the shift signs in on the
  same computer (an account no user has taken yet).
- Sign-in wave (one user, LOAD_SIGNIN_RATE sign-ins a second): the stations' officers arriving in
  the morning, each with an account no user has taken yet: the sign-in form, the home page, the
  complaint list, sign out.
- Investigator: the case file list, a case file, its work page, writes a journal note, records a
  diligence on the case file's complaint, searches the complaints.
- Secretariat (monitor, SPDH): the statistics overview, the published tables, the cross
  tabulation, the compliance page.
- Administrator (national, TOTP): signs in with password and code, then the statistics and the
  compliance page; now and then signs out and in again (a code is accepted once: it waits for the
  next 30-second step when needed, between two requests).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from typing import Any

from locust import HttpUser, between, constant_throughput, task
from locust.exception import StopUser

try:
    from bench.load.forms import csrf_token, post_form
    from bench.load.scenario import DISTRICTS, LAST_NAMES, complaint_values, lima_today, totp
except ImportError:  # run by locust from another directory
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bench.load.forms import csrf_token, post_form
    from bench.load.scenario import DISTRICTS, LAST_NAMES, complaint_values, lima_today, totp

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())  # noqa: SIM115, PTH123
WAIT_MIN = float(os.environ.get("LOAD_WAIT_MIN", "1"))
WAIT_MAX = float(os.environ.get("LOAD_WAIT_MAX", "4"))
SIGNIN_RATE = float(os.environ.get("LOAD_SIGNIN_RATE", "0.5"))  # the morning's arrivals: sign-ins a second
_next = {role: itertools.count() for role in ACCOUNTS["roles"]}


def take(role: str) -> dict[str, Any]:
    accounts = ACCOUNTS["roles"][role]
    index = next(_next[role])
    if index >= len(accounts):
        raise RuntimeError(f"more Locust users of role {role} than accounts ({len(accounts)})")
    return accounts[index]


class Browser(HttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)
    role = ""

    def on_start(self) -> None:
        self.account = take(self.role)
        self.page = ""  # the last HTML page (its CSRF token, for the sign-out form)
        self.totp_used = -1  # the time step of the last TOTP code sent
        self.sign_in()

    # ------------------------------------------------------------ HTTP like a browser

    def get(self, url: str, name: str, *, expect: int = 200, contains: str = "") -> Any:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"status {response.status_code} (expected {expect}) for {url}")
            elif contains and contains not in response.text:
                response.failure(f"{contains!r} not on {url}")
            elif expect == 200:
                self.page = response.text
        return response

    def post(self, url: str, data: Any, name: str, *, expect: int = 302, location: str = "", question: str = "") -> Any:
        """POST like a browser. `question`: a field the page may ask for instead of redirecting (a
        200 that shows it is the application's answer, not a failure: the caller answers it)."""
        headers = {"Origin": self.host.rstrip("/"), "Referer": self.host.rstrip("/") + url}
        with self.client.post(
            url, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if question and response.status_code == 200 and f'name="{question}"' in response.text:
                response.success()
            elif response.status_code != expect:
                response.failure(f"status {response.status_code} (expected {expect}) for POST {url}")
            elif location and location not in response.headers.get("Location", ""):
                response.failure(f"redirected to {response.headers.get('Location')!r}, not {location!r}")
        return response

    def sign_in(self) -> None:
        page = self.get("/acceso/", "sign-in: GET /acceso/")
        form = post_form(page.text, action="/acceso/")
        data = form.values(username=self.account["username"], password=ACCOUNTS["password"])
        if "totp_key" in self.account:
            self.post("/acceso/", data, "sign-in: POST /acceso/ (password)", location="/acceso/verificacion/")
            page = self.get("/acceso/verificacion/", "sign-in: GET /acceso/verificacion/ (TOTP)")
            form = post_form(page.text)
            step = self.account["totp_step"]
            while int(time.time()) // step == self.totp_used:  # a code is accepted once: wait for the next one
                time.sleep(1)
            self.totp_used = int(time.time()) // step
            code = totp(self.account["totp_key"], step=step, digits=self.account["totp_digits"])
            self.post("/acceso/verificacion/", form.values(token=code), "sign-in: POST /acceso/verificacion/ (TOTP)")
        else:
            self.post("/acceso/", data, "sign-in: POST /acceso/ (password)", location="/")
        self.get("/", "home: GET /")

    def sign_out(self) -> None:
        self.post("/salir/", {"csrfmiddlewaretoken": csrf_token(self.page)}, "sign-out: POST /salir/")

    def search_complaints(self, text: str) -> None:
        page = self.get("/denuncias/", "complaints: GET list /denuncias/")
        if page.status_code != 200:
            return
        form = post_form(page.text, form_id="complaint-filters") if 'id="complaint-filters"' in page.text else None
        data = form.values(q=text) if form else {"csrfmiddlewaretoken": csrf_token(page.text), "q": text}
        response = self.post("/denuncias/", data, "complaints: POST search /denuncias/")
        target = response.headers.get("Location", "")
        if target:
            self.get(target, "complaints: GET search results /denuncias/?s=")


class Officer(Browser):
    role = "station_officer"
    weight = 12

    def on_start(self) -> None:
        super().on_start()
        self.mine: list[int] = []

    @task(3)
    def file_complaint(self) -> None:
        page = self.get("/denuncias/nueva/", "complaint 1: GET form /denuncias/nueva/")
        if page.status_code != 200:
            return
        district = random.choice(DISTRICTS)  # the browser's script fills the place lists
        self.get(f"/denuncias/ubigeo/{district[:2]}/", "complaint 1b: GET place list /denuncias/ubigeo/<code>/")
        form = post_form(page.text, form_id="complaint-form") if 'id="complaint-form"' in page.text else None
        form = form or post_form(page.text, action="")
        values = complaint_values(form, self.account["username"], random)
        draft = self.post("/denuncias/nueva/", [*values, ("action", "save_draft")], "complaint 2: POST save draft")
        result_url = draft.headers.get("Location", "")
        match = re.search(r"/denuncias/(\d+)/", result_url)
        if not match:
            return
        pk = int(match.group(1))
        self.get(result_url, "complaint 3: GET draft saved /denuncias/<pk>/resultado/")
        edit_url = f"/denuncias/{pk}/editar/"
        page = self.get(edit_url, "complaint 4: GET draft /denuncias/<pk>/editar/")
        if page.status_code != 200:
            return
        form = (
            post_form(page.text, action="")
            if 'id="complaint-form"' not in page.text
            else post_form(page.text, form_id="complaint-form")
        )
        review_url = f"/denuncias/{pk}/revisar/"
        self.post(
            edit_url,
            [*form.values(), ("action", "register")],
            "complaint 5: POST register (to review)",
            location=review_url,
        )
        page = self.get(review_url, "complaint 6: GET review /denuncias/<pk>/revisar/")
        if page.status_code != 200:
            return
        form = post_form(page.text, form_id="review-form")
        changes: dict[str, Any] = {"action": "confirm"}
        if "duplicate_decision" in form.options:
            changes["duplicate_decision"] = "not_same"
        answer = self.post(
            review_url,
            form.values(**changes),
            "complaint 7: POST confirm = SUBMIT",
            location=f"/denuncias/{pk}/resultado/",
            question="duplicate_decision",
        )
        if answer.status_code == 200:
            # Another officer registered a similar complaint between the review and the confirmation:
            # the page asks whether it is the same case, as it would ask a person. Not the same case.
            form = post_form(answer.text, form_id="review-form")
            self.post(
                review_url,
                form.values(action="confirm", duplicate_decision="not_same"),
                "complaint 7b: POST confirm after a new possible duplicate was shown",
                location=f"/denuncias/{pk}/resultado/",
            )
        self.get(f"/denuncias/{pk}/resultado/", "complaint 8: GET result + classification", contains="classification")
        self.mine.append(pk)

    @task(3)
    def bare_insert(self) -> None:
        page = self.get("/__load__/insertar/", "bare: GET form /__load__/insertar/")
        data = {"csrfmiddlewaretoken": csrf_token(page.text), "text": "fila de carga"}
        self.post("/__load__/insertar/", data, "bare: POST insert one row", location="/__load__/insertar/")

    @task(4)
    def review(self) -> None:
        self.get("/denuncias/", "complaints: GET list /denuncias/")
        self.get("/denuncias/?page=2", "complaints: GET list page 2")
        if self.mine:
            pk = random.choice(self.mine)
            self.get(f"/denuncias/{pk}/", "complaints: GET detail /denuncias/<pk>/")

    @task(1)
    def search(self) -> None:
        self.search_complaints(random.choice(LAST_NAMES))

    @task(1)
    def hand_over(self) -> None:
        """The shift changes: this officer signs out and the next one signs in on the same computer."""
        self.sign_out()
        self.account = take(self.role)
        self.mine = []
        self.sign_in()


class SignInWave(Browser):
    """The stations' officers arriving: one sign-in every 1/LOAD_SIGNIN_RATE seconds, each with an
    account no user has taken yet (the accounts are 2,000: the wave stops when they run out)."""

    role = "station_officer"
    fixed_count = 1
    wait_time = constant_throughput(SIGNIN_RATE)

    def on_start(self) -> None:
        self.page = ""

    @task
    def arrive(self) -> None:
        try:
            self.account = take(self.role)
        except RuntimeError as error:
            raise StopUser from error
        self.sign_in()
        self.get("/denuncias/", "complaints: GET list /denuncias/")
        self.sign_out()


class Investigator(Browser):
    role = "regional_investigator"
    weight = 3

    def on_start(self) -> None:
        super().on_start()
        self.case_files = self.account.get("case_files", [])

    @task(3)
    def case_file(self) -> None:
        self.get("/carpetas/", "case files: GET list /carpetas/")
        if not self.case_files:
            return
        case = random.choice(self.case_files)
        self.get(f"/carpetas/{case['pk']}/", "case files: GET detail /carpetas/<pk>/")
        self.get(f"/carpetas/{case['pk']}/trabajo/", "case files: GET work /carpetas/<pk>/trabajo/")

    @task(2)
    def journal_note(self) -> None:
        if not self.case_files:
            return
        case = random.choice(self.case_files)
        url = f"/carpetas/{case['pk']}/trabajo/diario/nueva/"
        page = self.get(url, "case files: GET journal form")
        if page.status_code != 200:
            return
        form = post_form(page.text, action="")
        values = form.values(entry_date=lima_today().isoformat(), kind="note", text="Nota de seguimiento (carga).")
        self.post(url, values, "case files: POST journal note")

    @task(2)
    def diligence(self) -> None:
        complaints = [pk for case in self.case_files for pk in case["complaints"]]
        if not complaints:
            return
        pk = random.choice(complaints)
        url = f"/denuncias/{pk}/diligencias/nueva/"
        page = self.get(url, "diligences: GET form /denuncias/<pk>/diligencias/nueva/")
        if page.status_code != 200:
            return
        form = post_form(page.text, action="")
        kinds = [value for value in form.options.get("kind", []) if value]
        values = form.values(kind=random.choice(kinds), addressee="Fiscalía Provincial", description="Oficio (carga).")
        self.post(url, values, "diligences: POST record diligence")
        self.get(f"/denuncias/{pk}/diligencias/", "diligences: GET list /denuncias/<pk>/diligencias/")

    @task(1)
    def search(self) -> None:
        self.search_complaints(random.choice(LAST_NAMES))


class NationalInvestigator(Investigator):
    role = "national_investigator"
    weight = 1


TABLES = ["cases_by_unit_year", "persons_by_year", "purposes_by_year", "outcomes_by_year", "victims_by_sex_age"]


class Secretariat(Browser):
    role = "monitor"
    weight = 1

    @task(2)
    def statistics(self) -> None:
        self.get("/denuncias/estadisticas/", "statistics: GET overview")
        name = random.choice(TABLES)
        self.get(f"/denuncias/estadisticas/{name}/", "statistics: GET table /estadisticas/<name>/")

    @task(1)
    def crosstab(self) -> None:
        self.get("/denuncias/estadisticas/cruce/", "statistics: GET crosstab /estadisticas/cruce/")

    @task(1)
    def compliance(self) -> None:
        self.get("/carpetas/cumplimiento/", "compliance: GET /carpetas/cumplimiento/")


class Administrator(Secretariat):
    """National administrator: the second factor for real, then what the secretariat reads."""

    role = "national_admin"
    weight = 1
    fixed_count = 1

    @task(1)
    def sign_out_and_in(self) -> None:
        self.sign_out()
        self.sign_in()
