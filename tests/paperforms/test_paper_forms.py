"""Printed carbonless forms: serial numbers with a check digit, batches issued to units, the
register of outstanding forms, the checks made when a paper form is entered, the PDF of a batch
(read back with pdftotext and zbarimg) and the `issue_forms` command (BRIEF.md workflow 3)."""

from __future__ import annotations

import subprocess
import threading
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from audit.models import AuditEvent
from paperforms import serials, services
from paperforms.models import PaperFormBatch, PaperFormSerial
from paperforms.pdf import COPIES, render_blank_form_pdf
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

CUSCO_STATION = "DIRTEPOL-CUSCO-CPNP-1"
LIMA_STATION = "DIRTEPOL-LIMA-CPNP-1"


def issue(personas: dict, units: dict, code: str = CUSCO_STATION, count: int = 3) -> PaperFormBatch:
    return services.paper_form_batch_issue(actor=personas["national_admin"], unit=units[code], count=count)


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def assert_fonts_embedded(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows and all("DejaVuSans" in row[0] for row in rows), listing
    assert all(row[-5] == "yes" for row in rows), listing  # the "emb" column


def decode_qr_codes(content: bytes, tmp_path: Path) -> list[str]:
    """The QR codes of the fronts (odd pages), cropped to the top-right corner at 150 dpi."""
    pdf = tmp_path / "qr.pdf"
    pdf.write_bytes(content)
    out = tmp_path / "qr"
    out.mkdir()
    # A4 at 150 dpi is 1240 x 1754 px; the code sits within 172-200 mm x 8-38 mm of the page.
    crop = ["-x", "1000", "-y", "40", "-W", "240", "-H", "200"]
    subprocess.run(["pdftoppm", "-r", "150", "-o", *crop, "-png", str(pdf), str(out / "p")], check=True)
    images = sorted(str(path) for path in out.glob("*.png"))
    result = subprocess.run(["zbarimg", "-q", "--raw", *images], capture_output=True, text=True)
    return result.stdout.split()


# ------------------------------------------------------------------ serial numbers


def test_a_serial_carries_a_damm_check_digit() -> None:
    assert serials.format_serial(123) == "RETA-000123-4"
    assert serials.format_serial(1) == "RETA-000001-3"
    assert serials.format_serial(1_234_567) == "RETA-1234567-" + str(serials.damm_check_digit("1234567"))
    for number in range(1, 2000):
        assert serials.parse_serial(serials.format_serial(number)) == number


def test_the_check_digit_catches_every_single_digit_typo_and_adjacent_swap() -> None:
    for number in (1, 123, 90817, 450009, 999999):
        digits = serials.format_serial(number)[5:11] + serials.format_serial(number)[-1]
        typos = set()
        for i, char in enumerate(digits):
            typos.update(digits[:i] + other + digits[i + 1 :] for other in "0123456789" if other != char)
        typos.update(
            digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            for i in range(len(digits) - 1)
            if digits[i] != digits[i + 1]
        )
        for typo in typos:
            with pytest.raises(ValidationError) as caught:
                serials.parse_serial(f"RETA-{typo[:-1]}-{typo[-1]}")
            assert caught.value.messages == ["El número de serie no es válido; revise los dígitos."]


def test_a_serial_may_be_typed_loosely() -> None:
    for typed in ("RETA-000123-4", " reta-000123-4 ", "RETA0001234", "000123-4", "0001234", "RETA–000123–4"):
        assert serials.normalise_serial(typed) == "RETA-000123-4"
    for nonsense in ("", "RETA", "RETA-12-3", "ABC-000123-7", "RETA-000000-0"):
        with pytest.raises(ValidationError):
            serials.normalise_serial(nonsense)


def test_consecutive_numbers_read_as_ranges() -> None:
    f = serials.format_serial
    assert serials.serial_ranges([5, 1, 2, 3, 7]) == [(f(1), f(3), 3), (f(5), f(5), 1), (f(7), f(7), 1)]
    assert serials.serial_ranges([]) == []


# ------------------------------------------------------------------ issuing batches


def test_a_batch_takes_the_next_serials_of_the_national_sequence(personas: dict, units: dict) -> None:
    first = issue(personas, units, CUSCO_STATION, 3)
    second = issue(personas, units, LIMA_STATION, 2)
    assert (first.first_serial, first.last_serial) == (serials.format_serial(1), serials.format_serial(3))
    assert (second.first_serial, second.last_serial) == (serials.format_serial(4), serials.format_serial(5))
    assert list(first.serials.values_list("number", flat=True)) == [1, 2, 3]
    assert set(second.serials.values_list("unit__code", flat=True)) == {LIMA_STATION}
    assert first.issued_by == personas["national_admin"]
    event = AuditEvent.objects.get(event="paper_forms_issued", object_id=str(first.pk))
    assert event.user_name == "national.admin"
    assert event.details == {"unit": CUSCO_STATION, "count": 3, "first": first.first_serial, "last": first.last_serial}
    # Every serial has its history row (simple-history, written in bulk).
    assert PaperFormSerial.history.filter(history_type="+").count() == 5
    assert PaperFormBatch.history.count() == 2


def test_only_a_national_administrator_issues(personas: dict, units: dict) -> None:
    for persona in ("monitor", "station_officer", "regional_investigator", "auditor"):
        with pytest.raises(PermissionDenied):
            services.paper_form_batch_issue(actor=personas[persona], unit=units[CUSCO_STATION], count=1)
    assert not PaperFormBatch.objects.exists()


def test_a_batch_needs_a_sensible_size_and_an_active_unit(personas: dict, units: dict) -> None:
    admin = personas["national_admin"]
    for count in (0, -1, services.MAX_BATCH_SIZE + 1):
        with pytest.raises(ValidationError, match="de 1 a"):
            services.paper_form_batch_issue(actor=admin, unit=units[CUSCO_STATION], count=count)
    station = units[CUSCO_STATION]
    station.is_active = False
    station.save()
    with pytest.raises(ValidationError, match="no está activa"):
        services.paper_form_batch_issue(actor=admin, unit=station, count=1)
    assert not PaperFormSerial.objects.exists()


def test_the_same_issue_form_sent_twice_makes_one_batch(personas: dict, units: dict) -> None:
    client = signed_in_client(personas["national_admin"])
    data = {"form_token": "a" * 32, "unit": units[CUSCO_STATION].pk, "count": 4}
    first = client.post(reverse("paperforms:paperform_issue"), data)
    second = client.post(reverse("paperforms:paperform_issue"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert PaperFormBatch.objects.count() == 1
    assert PaperFormSerial.objects.count() == 4


def test_the_administrator_issues_on_screen_and_lands_on_the_batch(personas: dict, units: dict) -> None:
    client = signed_in_client(personas["national_admin"])
    form = client.get(reverse("paperforms:paperform_issue"))
    assert form.status_code == 200
    assert b'name="form_token"' in form.content and b'<label for="id_count">' in form.content
    response = client.post(
        reverse("paperforms:paperform_issue"),
        {"form_token": "b" * 32, "unit": units[CUSCO_STATION].pk, "count": 3},
        follow=True,
    )
    batch = PaperFormBatch.objects.get()
    assert response.redirect_chain[-1][0] == reverse("paperforms:paperform_detail", args=[batch.pk])
    page = response.content.decode()
    assert batch.first_serial in page and batch.last_serial in page
    assert reverse("paperforms:paperform_pdf", args=[batch.pk]) in page


def test_a_wrong_count_on_screen_is_explained_and_saves_nothing(personas: dict, units: dict) -> None:
    client = signed_in_client(personas["national_admin"])
    response = client.post(
        reverse("paperforms:paperform_issue"), {"form_token": "c" * 32, "unit": units[CUSCO_STATION].pk, "count": 0}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["count"]
    assert not PaperFormBatch.objects.exists()


@pytest.mark.parametrize("persona", ["station_officer", "monitor", "regional_investigator", "auditor"])
def test_other_roles_cannot_issue_on_screen(personas: dict, units: dict, persona: str) -> None:
    client = signed_in_client(personas[persona])
    url = reverse("paperforms:paperform_issue")
    assert client.get(url).status_code == 403
    response = client.post(url, {"form_token": "d" * 32, "unit": units[CUSCO_STATION].pk, "count": 3})
    assert response.status_code == 403
    assert not PaperFormBatch.objects.exists()


def test_an_administrator_without_the_second_factor_cannot_issue(personas: dict, units: dict) -> None:
    from django.test import Client

    client = Client()
    client.force_login(personas["national_admin"])  # password only
    assert client.get(reverse("paperforms:paperform_issue")).status_code == 403


@pytest.mark.mysql
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_serial(personas: dict, units: dict) -> None:
    if connection.vendor != "mysql":
        pytest.skip("Needs MySQL/MariaDB row locks; SQLite serialises every write and proves nothing here.")
    admin = personas["national_admin"]
    targets = [units[CUSCO_STATION], units[LIMA_STATION], units["DIRTEPOL-CUSCO-TRATA"]] * 3
    barrier = threading.Barrier(len(targets))
    errors: list[BaseException] = []

    def run(unit: Any) -> None:
        try:
            barrier.wait(timeout=30)
            services.paper_form_batch_issue(actor=admin, unit=unit, count=7)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(unit,)) for unit in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    numbers = sorted(PaperFormSerial.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 7 * len(targets) + 1))


# ------------------------------------------------------------------ entering a paper form


def test_a_serial_of_the_same_directorate_passes_the_check(personas: dict, units: dict) -> None:
    batch = issue(personas, units, CUSCO_STATION, 2)
    record = services.paper_serial_check(serial=batch.first_serial.lower(), unit=units[CUSCO_STATION])
    assert record.serial == batch.first_serial
    # Another unit of the same directorate (the Cusco specialised unit) may enter it too.
    assert services.paper_serial_check(serial=batch.last_serial, unit=units["DIRTEPOL-CUSCO-TRATA"]).pk


def test_a_typo_is_caught_by_the_check_digit(personas: dict, units: dict) -> None:
    batch = issue(personas, units, CUSCO_STATION, 1)
    digits = batch.first_serial[5:11]
    wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as caught:
        services.paper_serial_check(serial=f"RETA-{wrong}-{batch.first_serial[-1]}", unit=units[CUSCO_STATION])
    assert caught.value.messages == ["El número de serie no es válido; revise los dígitos."]
    assert caught.value.code == "check_digit"


def test_a_serial_never_issued_is_refused(personas: dict, units: dict) -> None:
    issue(personas, units, CUSCO_STATION, 2)
    never = serials.format_serial(999)
    with pytest.raises(ValidationError) as caught:
        services.paper_serial_check(serial=never, unit=units[CUSCO_STATION])
    assert caught.value.code == "not_issued"
    assert caught.value.messages == [
        f"El formulario {never} no figura entre los formularios emitidos; revise el número de serie."
    ]


def test_a_lima_serial_entered_in_cusco_is_refused_in_spanish(personas: dict, units: dict) -> None:
    lima = issue(personas, units, LIMA_STATION, 1)
    with pytest.raises(ValidationError) as caught:
        services.paper_serial_check(serial=lima.first_serial, unit=units[CUSCO_STATION])
    assert caught.value.code == "other_directorate"
    assert caught.value.messages == [
        f"El formulario {lima.first_serial} fue entregado a la VII DIRTEPOL Lima; no puede registrarse en "
        "Comisaría PNP Cusco (X DIRTEPOL Cusco)."
    ]


def test_the_same_serial_entered_twice_is_refused(personas: dict, units: dict, complaints: dict) -> None:
    from complaints.services import complaint_file
    from tests.factories.complaints import bar_in_madre_de_dios

    batch = issue(personas, units, CUSCO_STATION, 2)
    station = units[CUSCO_STATION]
    record = services.paper_serial_check(serial=batch.first_serial, unit=station)
    frozen = complaints["frozen"]
    services.paper_serial_mark_entered(serial=record, complaint=frozen, actor=personas["station_officer"])
    record.refresh_from_db()
    assert record.entered_complaint == frozen and record.entered_at is not None
    event = AuditEvent.objects.get(event="paper_form_entered")
    assert event.object_repr == batch.first_serial and event.user_name == "station.officer"
    assert event.details == {"complaint": frozen.number, "unit": CUSCO_STATION}

    # Marking the same complaint again changes nothing.
    services.paper_serial_mark_entered(serial=record, complaint=frozen)
    assert AuditEvent.objects.filter(event="paper_form_entered").count() == 1

    expected = (
        f"El formulario {batch.first_serial} ya fue registrado en la denuncia {frozen.number}; "
        "un formulario se registra una sola vez."
    )
    with pytest.raises(ValidationError) as caught:
        services.paper_serial_check(serial=batch.first_serial, unit=station)
    assert caught.value.messages == [expected]

    other = complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())
    with pytest.raises(ValidationError) as caught:
        services.paper_serial_mark_entered(serial=record, complaint=other)
    assert caught.value.messages == [expected]
    # ...and a complaint takes one paper form only.
    second = services.paper_serial_check(serial=batch.last_serial, unit=station)
    with pytest.raises(ValidationError, match="ya tiene registrado otro formulario"):
        services.paper_serial_mark_entered(serial=second, complaint=frozen)


def test_marking_checks_the_registering_unit_again(personas: dict, units: dict, complaints: dict) -> None:
    lima = issue(personas, units, LIMA_STATION, 1)
    record = PaperFormSerial.objects.get(batch=lima)
    with pytest.raises(ValidationError) as caught:
        services.paper_serial_mark_entered(serial=record, complaint=complaints["frozen"])
    assert caught.value.code == "other_directorate"
    record.refresh_from_db()
    assert record.entered_complaint is None


# ------------------------------------------------------------------ the register on screen


def test_the_register_shows_outstanding_serials_per_station(
    personas: dict, units: dict, complaints: dict, django_assert_max_num_queries: Any
) -> None:
    cusco = issue(personas, units, CUSCO_STATION, 5)
    lima = issue(personas, units, LIMA_STATION, 2)
    entered = PaperFormSerial.objects.get(serial=serials.format_serial(3))
    services.paper_serial_mark_entered(serial=entered, complaint=complaints["frozen"])

    client = signed_in_client(personas["national_admin"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("paperforms:paperform_list"))
    assert response.status_code == 200
    stocks = {stock.unit.code: stock for stock in response.context["stocks"]}
    assert (stocks[CUSCO_STATION].issued, stocks[CUSCO_STATION].entered, stocks[CUSCO_STATION].outstanding) == (
        5,
        1,
        4,
    )
    f = serials.format_serial
    assert stocks[CUSCO_STATION].outstanding_ranges == [(f(1), f(2), 2), (f(4), f(5), 2)]
    assert stocks[LIMA_STATION].outstanding_ranges == [(f(6), f(7), 2)]
    page = response.content.decode()
    assert f(4) in page and lima.first_serial in page and cusco.first_serial in page

    # The Cusco station sees its own forms only (tree of command).
    officer = signed_in_client(personas["station_officer"]).get(reverse("paperforms:paperform_list"))
    assert [stock.unit.code for stock in officer.context["stocks"]] == [CUSCO_STATION]
    assert lima.first_serial not in officer.content.decode()
    assert reverse("paperforms:paperform_issue") not in officer.content.decode()

    # "Only units with forms outstanding" hides a unit whose forms were all entered.
    done = issue(personas, units, "DIRTEPOL-CUSCO-TRATA", 1)
    services.paper_serial_mark_entered(serial=done.serials.get(), complaint=_another_complaint(personas))
    response = client.get(reverse("paperforms:paperform_list"), {"outstanding": "on"})
    assert "DIRTEPOL-CUSCO-TRATA" not in {stock.unit.code for stock in response.context["stocks"]}


def _another_complaint(personas: dict) -> Any:
    from complaints.services import complaint_file
    from tests.factories.complaints import bar_in_madre_de_dios

    return complaint_file(actor=personas["station_officer"], data=bar_in_madre_de_dios())


def test_the_batch_page_tells_which_serial_became_which_complaint(
    personas: dict, units: dict, complaints: dict
) -> None:
    batch = issue(personas, units, CUSCO_STATION, 3)
    record = batch.serials.order_by("number").first()
    services.paper_serial_mark_entered(serial=record, complaint=complaints["frozen"])
    response = signed_in_client(personas["station_officer"]).get(
        reverse("paperforms:paperform_detail", args=[batch.pk])
    )
    page = response.content.decode()
    assert complaints["frozen"].number in page
    assert reverse("paperforms:paperform_serial_pdf", args=[batch.last_serial]) in page
    assert reverse("paperforms:paperform_serial_pdf", args=[batch.first_serial]) not in page
    assert response.context["outstanding"] == 2


# ------------------------------------------------------------------ the PDF of a batch


def test_a_batch_of_fifty_for_a_cusco_station_prints_as_one_pdf_that_reads_back(
    personas: dict, units: dict, tmp_path: Path
) -> None:
    batch = issue(personas, units, CUSCO_STATION, 50)
    client = signed_in_client(personas["station_officer"])
    response = client.get(reverse("paperforms:paperform_pdf", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    content = response.content
    assert content.startswith(b"%PDF")

    text = pdf_text(content, tmp_path)
    printed = [serials.format_serial(number) for number in range(1, 51)]
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) == 50 * 6
    for serial in printed:
        assert text.count(serial) >= 6, serial  # printed on every page of the three copies
    for copy in COPIES:
        assert text.count(copy) >= 100  # front and back of each set
    # Accents print (DejaVu embedded), the sections and check boxes mirror the screen form.
    for words in (
        "POLICÍA NACIONAL DEL PERÚ",
        "4. VÍCTIMAS",
        "5. PRESUNTOS TRATANTES",
        "Para: Comisaría PNP Cusco",
        "abuso de una situación de vulnerabilidad",
        "Art. 179: favorecimiento a la prostitución",
    ):
        assert words in text, words
    assert_fonts_embedded(content, tmp_path)

    decoded = decode_qr_codes(content, tmp_path)
    assert sorted(decoded) == sorted(printed * 3)

    event = AuditEvent.objects.get(event="paper_forms_printed")
    assert event.user_name == "station.officer" and event.details == {"unit": CUSCO_STATION, "sets": 50}


def test_the_fonts_registered_by_the_first_set_serve_the_next_ones(tmp_path: Path) -> None:
    render_blank_form_pdf(["RETA-000001-3"], generated_by="primero")  # fonts registered once per process
    content = render_blank_form_pdf(["RETA-000002-6"], generated_by="prueba")
    assert content.startswith(b"%PDF")
    assert_fonts_embedded(content, tmp_path)
    assert decode_qr_codes(content, tmp_path) == ["RETA-000002-6"] * 3


def test_one_set_can_be_printed_again_until_it_is_entered(personas: dict, units: dict, complaints: dict) -> None:
    batch = issue(personas, units, CUSCO_STATION, 2)
    client = signed_in_client(personas["station_officer"])
    url = reverse("paperforms:paperform_serial_pdf", args=[batch.first_serial])
    assert client.get(url).status_code == 200
    record = batch.serials.get(serial=batch.first_serial)
    services.paper_serial_mark_entered(serial=record, complaint=complaints["frozen"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("paperforms:paperform_detail", args=[batch.pk])
    assert AuditEvent.objects.filter(event="paper_forms_printed").count() == 1


def test_a_batch_outside_the_scope_is_not_found(personas: dict, units: dict) -> None:
    batch = issue(personas, units, LIMA_STATION, 1)
    client = signed_in_client(personas["station_officer"])  # Cusco
    assert client.get(reverse("paperforms:paperform_detail", args=[batch.pk])).status_code == 404
    assert client.get(reverse("paperforms:paperform_pdf", args=[batch.pk])).status_code == 404
    assert client.get(reverse("paperforms:paperform_serial_pdf", args=[batch.first_serial])).status_code == 404
    assert client.get(reverse("paperforms:paperform_serial_pdf", args=["nonsense"])).status_code == 404


# ------------------------------------------------------------------ the command


def test_the_issue_forms_command_prints_the_range_and_writes_the_file(
    personas: dict, units: dict, tmp_path: Path
) -> None:
    output = tmp_path / "forms.pdf"
    out = StringIO()
    call_command("issue_forms", "--unit", CUSCO_STATION, "--count", "3", "--output", str(output), stdout=out)
    first, last = serials.format_serial(1), serials.format_serial(3)
    assert f"{first} … {last}" in out.getvalue()
    assert "Emitidos 3 formularios para Comisaría PNP Cusco" in out.getvalue()
    assert output.read_bytes().startswith(b"%PDF")
    assert first in pdf_text(output.read_bytes(), tmp_path)
    batch = PaperFormBatch.objects.get()
    assert batch.issued_by is None and batch.issued_by_name.startswith("issue_forms (")
    issued = AuditEvent.objects.get(event="paper_forms_issued")
    assert issued.user is None and issued.user_name.startswith("issue_forms (")
    assert AuditEvent.objects.filter(event="paper_forms_printed").count() == 1

    out = StringIO()
    call_command(
        "issue_forms", unit=LIMA_STATION, count=2, output=str(tmp_path / "lima.pdf"), user="national.admin", stdout=out
    )
    assert serials.format_serial(4) in out.getvalue() and serials.format_serial(5) in out.getvalue()
    assert PaperFormBatch.objects.get(unit__code=LIMA_STATION).issued_by == personas["national_admin"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"unit": "NO-EXISTE", "count": 3}, "No existe la unidad"),
        ({"unit": CUSCO_STATION, "count": 0}, "de 1 a"),
        ({"unit": CUSCO_STATION, "count": 3, "user": "station.officer"}, "no es un administrador nacional"),
    ],
)
def test_the_command_refuses_bad_input(personas: dict, tmp_path: Path, options: dict, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("issue_forms", output=str(tmp_path / "x.pdf"), **options)
    assert not PaperFormBatch.objects.exists()


def test_a_batch_its_serials_and_their_history_share_one_request_id(personas: dict, units: dict) -> None:
    batch = issue(personas, units, CUSCO_STATION, 3)
    event = AuditEvent.objects.get(event="paper_forms_issued")
    assert event.request_id
    assert batch.history.get().request_id == event.request_id
    assert {serial.history.get().request_id for serial in batch.serials.all()} == {event.request_id}
