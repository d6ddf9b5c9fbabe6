"""Persons in a case file (issue 11 item 2): adding persons in roles, what is learnt of them
(documents checked, phones in E.164, rows closed not deleted), images checked and stripped of
metadata and served only through the access-checked view, the privacy of the pages and the audit,
bounded queries."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AuditEvent
from investigations import person_services, services
from investigations.models import CasePerson, PersonImage, ProtectiveMeasure, VictimOutcome
from people.models import Identity, IdentityDocument, IdentityPhone, Source
from reta.guards import AppendOnlyError
from tests.conftest import signed_in_client
from tests.investigations.conftest import open_case

pytestmark = pytest.mark.django_db

# A DNI with its check digit (stdnum.pe.cui): 10117410-2 is valid, -5 is not.
GOOD_DNI = "10117410-2"
BAD_DNI = "10117410-5"


def _jpeg(*, exif: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x0131] = "PhoneSoftware 1.0"  # Software
        data[0x9003] = "2026:01:02 10:00:00"  # DateTimeOriginal (in the IFD0 here, as some phones do)
        image.save(out, format="JPEG", exif=data.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def _trafficker(case_file: Any, actor: Any, **overrides: Any) -> CasePerson:
    data = person_services.PersonData(
        role="alleged_trafficker",
        first_names="Rómulo",
        last_names="Quispe Huamán",
        sex="M",
        nationality="PE",
        document_type="dni",
        document_number=GOOD_DNI,
        phone="987 654 321",
        organisation_role="recruiter",
        recruitment_method="social_network",
    )
    for name, value in overrides.items():
        setattr(data, name, value)
    return person_services.case_person_add(actor=actor, case_file=case_file, data=data)


def _upload(
    case_file: Any, person: CasePerson, actor: Any, content: bytes | None = None, name: str = "foto.jpg"
) -> Any:
    upload = SimpleUploadedFile(name, content if content is not None else _jpeg(), content_type="image/jpeg")
    return person_services.case_person_add_image(
        actor=actor, case_file=case_file, case_person_id=person.pk, upload=upload, kind="photo"
    )


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> Any:
    """Each test's images in its own folder."""
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.RETA_PRIVATE_MEDIA_ROOT


@pytest.fixture
def investigator(personas: dict) -> Any:
    return personas["regional_investigator"]


# ---------------------------------------------------------------- adding persons


def test_a_new_trafficker_is_an_identity_with_rows_from_the_investigation(case_file: Any, investigator: Any) -> None:
    person = _trafficker(case_file, investigator)
    identity = person.identity
    assert (person.organisation_role, person.recruitment_method) == ("recruiter", "social_network")
    document = IdentityDocument.objects.get(identity=identity)
    assert (document.number, document.source, document.source_reference) == (
        "10117410",
        Source.INVESTIGATION,
        case_file.number,
    )
    assert IdentityPhone.objects.get(identity=identity).number == "+51987654321"
    assert AuditEvent.objects.filter(event="case_person_added", object_id=str(case_file.pk)).count() == 1


def test_a_dni_with_a_wrong_check_digit_is_refused_in_spanish_and_nothing_saved(
    case_file: Any, investigator: Any
) -> None:
    client = signed_in_client(investigator)
    identities = Identity.objects.count()
    response = client.post(
        reverse("investigations:case_person_add", args=[case_file.pk]),
        {
            "role": "alleged_trafficker",
            "first_names": "Rómulo",
            "last_names": "Quispe",
            "document_type": "dni",
            "document_number": BAD_DNI,
        },
    )
    assert response.status_code == 200
    assert "El dígito de verificación 5 no corresponde al DNI 10117410" in response.content.decode()
    assert Identity.objects.count() == identities
    assert not CasePerson.objects.filter(case_file=case_file).exists()
    # The service refuses it too (nothing partial: no identity either).
    with pytest.raises(services.CaseFileError):
        _trafficker(case_file, investigator, document_number=BAD_DNI)
    assert Identity.objects.count() == identities


def test_a_document_added_later_is_checked_too(case_file: Any, investigator: Any) -> None:
    person = _trafficker(case_file, investigator, document_number="", document_type="")
    client = signed_in_client(investigator)
    url = reverse("investigations:case_person_fact_add", args=[case_file.pk, person.pk, "documento"])
    response = client.post(url, {"document_type": "dni", "number": BAD_DNI})
    assert response.status_code == 200 and "dígito de verificación" in response.content.decode()
    assert not IdentityDocument.objects.filter(identity=person.identity).exists()
    response = client.post(url, {"document_type": "ce", "number": "001234567", "issuing_country": "VE"})
    assert response.status_code == 302
    assert IdentityDocument.objects.get(identity=person.identity).number == "001234567"


def test_a_whistleblower_needs_a_code_name_and_is_shown_by_it(case_file: Any, investigator: Any) -> None:
    with pytest.raises(services.CaseFileError) as refused:
        _trafficker(case_file, investigator, role="whistleblower", organisation_role="")
    assert "nombre clave" in refused.value.message
    person = _trafficker(case_file, investigator, role="whistleblower", code_name="HALCÓN", organisation_role="")
    client = signed_in_client(investigator)
    page = client.get(reverse("investigations:case_person_list", args=[case_file.pk])).content.decode()
    assert "HALCÓN" in page and "Rómulo" not in page and "R.Q.H." not in page
    revealed = client.post(reverse("investigations:case_person_list", args=[case_file.pk])).content.decode()
    assert "HALCÓN" in revealed and "Rómulo" not in revealed  # lists keep the code name
    detail = client.post(reverse("investigations:case_person_detail", args=[case_file.pk, person.pk])).content.decode()
    assert "HALCÓN — Rómulo Quispe Huamán" in detail


def test_a_person_of_the_complaints_is_pointed_at_not_copied(case_file: Any, investigator: Any) -> None:
    rows = person_services.complaint_identities(case_file)
    assert rows, "the Madre de Dios complaint has an identified person"
    row = rows[0]
    identities = Identity.objects.count()
    person = person_services.case_person_add(
        actor=investigator,
        case_file=case_file,
        data=person_services.PersonData(role="witness", identity_id=row["identity_id"]),
    )
    assert person.identity_id == row["identity_id"] and person.source_complaint_id == row["complaint_id"]
    assert Identity.objects.count() == identities
    with pytest.raises(services.CaseFileError):
        person_services.case_person_add(
            actor=investigator,
            case_file=case_file,
            data=person_services.PersonData(role="witness", identity_id=row["identity_id"]),
        )
    stranger = Identity.objects.create(first_names="Ajeno", last_names="Otro")
    with pytest.raises(services.CaseFileError):
        person_services.case_person_add(
            actor=investigator,
            case_file=case_file,
            data=person_services.PersonData(role="witness", identity_id=stranger.pk),
        )


def test_closing_a_phone_sets_its_end_and_keeps_the_row(case_file: Any, investigator: Any) -> None:
    person = _trafficker(case_file, investigator)
    phone = IdentityPhone.objects.get(identity=person.identity)
    client = signed_in_client(investigator)
    day = timezone.localdate()
    url = reverse("investigations:case_person_fact_close", args=[case_file.pk, person.pk, "telefono", phone.pk])
    assert client.post(url, {"valid_to": day.isoformat()}).status_code == 302
    phone.refresh_from_db()
    assert phone.valid_to == day
    assert client.post(url, {"valid_to": day.isoformat()}).status_code == 302
    assert IdentityPhone.objects.filter(identity=person.identity).count() == 1


def test_another_persons_row_cannot_be_closed(case_file: Any, investigator: Any) -> None:
    first = _trafficker(case_file, investigator)
    second = _trafficker(case_file, investigator, first_names="Otro", document_number="", document_type="")
    phone = IdentityPhone.objects.get(identity=first.identity)
    with pytest.raises(services.CaseFileError):
        person_services.case_person_close_fact(
            actor=investigator,
            case_file=case_file,
            case_person_id=second.pk,
            kind="phone",
            fact_id=phone.pk,
            valid_to=timezone.localdate(),
        )
    phone.refresh_from_db()
    assert phone.valid_to is None


def test_victim_results_and_measures_are_rows_that_stay(case_file: Any, investigator: Any) -> None:
    victim = _trafficker(case_file, investigator, role="victim", organisation_role="", first_names="Lucía")
    day = timezone.localdate() - datetime.timedelta(days=3)
    outcome = person_services.case_person_add_outcome(
        actor=investigator,
        case_file=case_file,
        case_person_id=victim.pk,
        result="referred_shelter",
        on_date=day,
        institution="CAR Santa Rosa (MIMP)",
    )
    measure = person_services.case_person_add_measure(
        actor=investigator,
        case_file=case_file,
        case_person_id=victim.pk,
        kind="identity_reserve",
        ordered_on=day,
        ordered_by="Fiscalía Provincial de Tambopata",
    )
    assert VictimOutcome.objects.get().institution == "CAR Santa Rosa (MIMP)"
    with pytest.raises(AppendOnlyError):
        outcome.delete()
    with pytest.raises(AppendOnlyError):
        ProtectiveMeasure.objects.filter(pk=measure.pk).update(ordered_by="x")
    trafficker = _trafficker(case_file, investigator, document_number="", document_type="")
    with pytest.raises(services.CaseFileError):
        person_services.case_person_add_outcome(
            actor=investigator, case_file=case_file, case_person_id=trafficker.pk, result="rescued", on_date=day
        )


# ---------------------------------------------------------------- images


def test_exif_is_removed_and_the_image_kept_outside_the_web_root(
    case_file: Any, investigator: Any, settings: Any
) -> None:
    original = _jpeg(exif=True)
    assert Image.open(io.BytesIO(original)).getexif(), "the test image carries EXIF"
    person = _trafficker(case_file, investigator)
    image = _upload(case_file, person, investigator, original)
    path = settings.RETA_PRIVATE_MEDIA_ROOT / image.file.name
    stored = path.read_bytes()
    assert b"CameraMaker" not in stored and b"PhoneSoftware" not in stored
    reopened = Image.open(io.BytesIO(stored))
    assert not reopened.getexif() and "exif" not in reopened.info
    assert (image.width, image.height, image.content_type) == (40, 30, "image/jpeg")
    assert not str(path).startswith(str(settings.MEDIA_ROOT)) and not str(path).startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError):
        image.file.url  # noqa: B018 — private media has no URL


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.jpg", b"Esto es un texto, no una imagen.\n" * 20, "no es una imagen JPEG o PNG"),
        ("foto.jpg", _png(), "su contenido es una imagen PNG"),
        ("foto.gif", _jpeg(), "JPEG (.jpg, .jpeg) o PNG (.png)"),
        ("foto.jpg", _jpeg()[:200], "no es una imagen JPEG o PNG"),
    ],
)
def test_what_is_not_a_good_image_is_refused_and_nothing_kept(
    case_file: Any, investigator: Any, settings: Any, name: str, content: bytes, message: str
) -> None:
    person = _trafficker(case_file, investigator)
    client = signed_in_client(investigator)
    response = client.post(
        reverse("investigations:case_person_image_add", args=[case_file.pk, person.pk]),
        {"kind": "photo", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PersonImage.objects.exists()
    assert not list(settings.RETA_PRIVATE_MEDIA_ROOT.glob(f"case_persons/{person.pk}/*"))


def test_a_decompression_bomb_and_a_file_too_large_are_refused(
    case_file: Any, investigator: Any, settings: Any, monkeypatch: Any
) -> None:
    from investigations import images

    person = _trafficker(case_file, investigator)
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(services.CaseFileError) as refused:
        _upload(case_file, person, investigator, _jpeg(size=(20, 20)))
    assert "demasiado grande" in refused.value.message
    monkeypatch.setattr(images, "MAX_PIXELS", 50_000_000)
    settings.RETA_IMAGE_MAX_BYTES = 100
    with pytest.raises(services.CaseFileError) as refused:
        _upload(case_file, person, investigator, _jpeg())
    assert "demasiado grande" in refused.value.message
    assert not PersonImage.objects.exists()


def test_the_image_is_served_only_through_the_checked_view_and_audited(
    case_file: Any, investigator: Any, personas: dict, complaints: dict
) -> None:
    person = _trafficker(case_file, investigator)
    image = _upload(case_file, person, investigator)
    url = reverse("investigations:case_person_image", args=[case_file.pk, person.pk, image.pk])
    response = signed_in_client(investigator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert AuditEvent.objects.filter(event="case_person_image_viewed", object_id=str(case_file.pk)).count() == 1

    # Another case file's URL with this image: 404, even for an investigator who sees both.
    other = open_case(personas, complaints["frozen"])
    other_person = _trafficker(other, investigator)
    for wrong in (
        reverse("investigations:case_person_image", args=[other.pk, person.pk, image.pk]),
        reverse("investigations:case_person_image", args=[other.pk, other_person.pk, image.pk]),
        reverse("investigations:case_person_image", args=[case_file.pk, other_person.pk, image.pk]),
    ):
        assert signed_in_client(investigator).get(wrong).status_code == 404
    # Out of scope: station officers (the filing station too), Lima, the monitor: 404.
    for name in ("station_officer", "outsider", "monitor", "auditor", "hotline_operator"):
        assert signed_in_client(personas[name]).get(url).status_code == 404, name
    assert AuditEvent.objects.filter(event="case_person_image_viewed").count() == 1
    # The one access primitive sees the images through their case file (scope_parent).
    assert list(PersonImage.objects.visible_to(investigator)) == [image]
    assert not PersonImage.objects.visible_to(personas["station_officer"]).exists()
    assert not VictimOutcome.objects.visible_to(personas["outsider"]).exists()


def test_station_officers_get_404_on_every_person_page(case_file: Any, investigator: Any, personas: dict) -> None:
    person = _trafficker(case_file, investigator)
    client = signed_in_client(personas["station_officer"])
    for url in (
        reverse("investigations:case_person_list", args=[case_file.pk]),
        reverse("investigations:case_person_detail", args=[case_file.pk, person.pk]),
        reverse("investigations:case_person_add", args=[case_file.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404


# ---------------------------------------------------------------- privacy and audit


def test_the_pages_mask_until_the_logged_reveal(case_file: Any, investigator: Any) -> None:
    person = _trafficker(case_file, investigator)
    _upload(case_file, person, investigator)
    client = signed_in_client(investigator)
    url = reverse("investigations:case_person_detail", args=[case_file.pk, person.pk])
    page = client.get(url).content.decode()
    assert "R.Q.H." in page and "Rómulo" not in page and "10117410" not in page and "+51987654321" not in page
    assert "<img" not in page
    assert not AuditEvent.objects.filter(event="identity_shown").exists()
    assert AuditEvent.objects.filter(event="case_person_viewed").count() == 1

    revealed = client.post(url).content.decode()
    assert "Rómulo Quispe Huamán" in revealed and "10117410" in revealed and "+51987654321" in revealed
    assert "<img" in revealed
    shown = AuditEvent.objects.get(event="identity_shown")
    assert shown.object_id == str(case_file.pk) and shown.details["suspects"] == 1
    assert "Rómulo" not in str(shown.details)


def test_a_minor_victim_is_never_named_in_a_list(case_file: Any, investigator: Any) -> None:
    born = timezone.localdate() - datetime.timedelta(days=15 * 366)
    victim = _trafficker(
        case_file,
        investigator,
        role="victim",
        organisation_role="",
        first_names="Lucía",
        last_names="Mamani",
        date_of_birth=born,
        document_number="",
        document_type="",
    )
    adult = _trafficker(
        case_file,
        investigator,
        role="victim",
        organisation_role="",
        first_names="Carmen",
        last_names="Rojas",
        date_of_birth=born.replace(year=born.year - 10),
        document_number="",
        document_type="",
    )
    client = signed_in_client(investigator)
    url = reverse("investigations:case_person_list", args=[case_file.pk])
    page = client.get(url).content.decode()
    assert "Lucía" not in page and "L.M." not in page and "Carmen" not in page and "C.R." not in page
    revealed = client.post(url).content.decode()
    assert "Carmen Rojas" in revealed  # an adult victim after the reveal
    assert "Lucía" not in revealed and "L.M." not in revealed  # a minor never in a list
    shown = AuditEvent.objects.get(event="identity_shown")
    assert shown.details["victims"] == 2 and shown.details["minors"] == 1
    # On her own page, after the reveal, the investigator sees her identity (logged).
    detail = client.post(reverse("investigations:case_person_detail", args=[case_file.pk, victim.pk])).content.decode()
    assert "Lucía Mamani" in detail
    assert AuditEvent.objects.filter(event="identity_shown").count() == 2
    assert adult.pk != victim.pk


def test_the_persons_list_and_person_page_run_a_bounded_number_of_queries(
    case_file: Any, investigator: Any, django_assert_max_num_queries: Any
) -> None:
    client = signed_in_client(investigator)
    person = _trafficker(case_file, investigator)
    list_url = reverse("investigations:case_person_list", args=[case_file.pk])
    detail_url = reverse("investigations:case_person_detail", args=[case_file.pk, person.pk])
    client.get(list_url), client.post(detail_url)  # warm the session

    def measure() -> tuple[int, int]:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for method, url in (("get", list_url), ("post", detail_url)):
            with CaptureQueriesContext(connection) as queries:
                assert getattr(client, method)(url).status_code == 200
            counts.append(len(queries))
        return counts[0], counts[1]

    before = measure()
    for index in range(4):
        _trafficker(case_file, investigator, first_names=f"Socio{index}", document_number="", document_type="")
        person_services.case_person_add_alias(
            actor=investigator, case_file=case_file, case_person_id=person.pk, name=f"Alias {index}"
        )
        person_services.case_person_add_phone(
            actor=investigator, case_file=case_file, case_person_id=person.pk, number=f"98765432{index}"
        )
        person_services.case_person_add_address(
            actor=investigator, case_file=case_file, case_person_id=person.pk, district=None, address=f"Jr. {index}"
        )
        person_services.case_person_add_document(
            actor=investigator,
            case_file=case_file,
            case_person_id=person.pk,
            document_type="passport",
            number=f"PA12345{index}",
        )
        _upload(case_file, person, investigator)
    after = measure()
    assert after == before
    with django_assert_max_num_queries(before[0]):
        client.get(list_url)
    with django_assert_max_num_queries(before[1]):
        client.post(detail_url)


# ---------------------------------------------------------------- the forms


def test_the_address_form_updates_its_lists_without_saving_then_saves_the_district(
    case_file: Any, investigator: Any
) -> None:
    from administration.models import District
    from people.models import IdentityAddress

    person = _trafficker(case_file, investigator)
    client = signed_in_client(investigator)
    url = reverse("investigations:case_person_fact_add", args=[case_file.pk, person.pk, "domicilio"])
    page = client.post(url, {"department": "17", "action": "refresh"})
    assert page.status_code == 200 and 'value="1701"' in page.content.decode()
    page = client.post(url, {"department": "17", "province": "1701", "action": "refresh"})
    assert 'value="170101"' in page.content.decode()
    assert not IdentityAddress.objects.exists()
    response = client.post(
        url,
        {"department": "17", "province": "1701", "district": "170101", "address": "Jr. Loreto 120", "action": "save"},
    )
    assert response.status_code == 302
    address = IdentityAddress.objects.get(identity=person.identity)
    assert address.district == District.objects.get(code="170101")
    assert (address.source, address.source_reference) == (Source.INVESTIGATION, case_file.number)


def test_the_part_in_the_case_and_a_description_are_saved(case_file: Any, investigator: Any) -> None:
    from people.models import IdentityDescription

    person = _trafficker(case_file, investigator)
    client = signed_in_client(investigator)
    edit = reverse("investigations:case_person_edit", args=[case_file.pk, person.pk])
    response = client.post(edit, {"organisation_role": "financier", "recruitment_method": "agency"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.organisation_role, person.recruitment_method) == ("financier", "agency")
    assert person.history.count() == 2  # every version kept
    url = reverse("investigations:case_person_fact_add", args=[case_file.pk, person.pk, "descripcion"])
    assert client.post(url, {}).status_code == 200  # nothing described: refused
    assert not IdentityDescription.objects.exists()
    assert client.post(url, {"height_cm": "168", "build": "slim", "marks": "Tatuaje de un águila"}).status_code == 302
    description = IdentityDescription.objects.get(identity=person.identity)
    assert (description.height_cm, description.source) == (168, Source.INVESTIGATION)


def test_results_are_offered_for_victims_only(case_file: Any, investigator: Any) -> None:
    person = _trafficker(case_file, investigator)
    client = signed_in_client(investigator)
    url = reverse("investigations:case_person_fact_add", args=[case_file.pk, person.pk, "resultado"])
    assert client.get(url).status_code == 404
    unknown = reverse("investigations:case_person_fact_add", args=[case_file.pk, person.pk, "nada"])
    assert client.get(unknown).status_code == 404


def test_a_unit_the_case_file_is_shared_with_reads_the_persons_but_does_not_write(
    case_file: Any, investigator: Any, personas: dict, units: dict
) -> None:
    from tests.factories.administration import UserFactory

    person = _trafficker(case_file, investigator)
    image = _upload(case_file, person, investigator)
    lima = UserFactory(username="investigador.lima", unit=units["DIRTEPOL-LIMA-TRATA"], role="regional_investigator")
    client = signed_in_client(lima)
    detail = reverse("investigations:case_person_detail", args=[case_file.pk, person.pk])
    image_url = reverse("investigations:case_person_image", args=[case_file.pk, person.pk, image.pk])
    assert client.get(detail).status_code == 404 and client.get(image_url).status_code == 404
    services.case_file_share(actor=investigator, case_file=case_file, unit=units["DIRTEPOL-LIMA-TRATA"], reason="Lima.")
    assert client.get(detail).status_code == 200 and client.get(image_url).status_code == 200
    add = reverse("investigations:case_person_fact_add", args=[case_file.pk, person.pk, "telefono"])
    assert client.post(add, {"number": "987000111"}).status_code == 403
    with pytest.raises(services.NotAllowedError):
        person_services.case_person_add_phone(
            actor=lima, case_file=case_file, case_person_id=person.pk, number="987000111"
        )
    assert IdentityPhone.objects.filter(identity=person.identity).count() == 1


def test_every_form_of_a_victim_renders_with_labels_and_records_through_the_pages(
    case_file: Any, investigator: Any
) -> None:
    victim = _trafficker(case_file, investigator, role="victim", organisation_role="", document_number="")
    client = signed_in_client(investigator)
    for kind in ("documento", "alias", "telefono", "domicilio", "descripcion", "resultado", "medida"):
        page = client.get(reverse("investigations:case_person_fact_add", args=[case_file.pk, victim.pk, kind]))
        assert page.status_code == 200, kind
        html = page.content.decode()
        assert html.count("<label") >= 2 and 'name="csrfmiddlewaretoken"' in html, kind
    for name in ("case_person_edit", "case_person_image_add"):
        assert client.get(reverse(f"investigations:{name}", args=[case_file.pk, victim.pk])).status_code == 200
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    outcome = reverse("investigations:case_person_fact_add", args=[case_file.pk, victim.pk, "resultado"])
    assert client.post(outcome, {"result": "rescued", "on_date": day, "institution": "DIVINTRAP"}).status_code == 302
    measure = reverse("investigations:case_person_fact_add", args=[case_file.pk, victim.pk, "medida"])
    response = client.post(measure, {"kind": "police_protection", "on_date": day})
    assert response.status_code == 200 and not ProtectiveMeasure.objects.exists()  # no date, no authority
    response = client.post(measure, {"kind": "police_protection", "ordered_on": day, "ordered_by": "Fiscalía"})
    assert response.status_code == 302
    page = client.get(reverse("investigations:case_person_detail", args=[case_file.pk, victim.pk])).content.decode()
    assert page.count('class="victim-outcome"') == 1 and page.count('class="protective-measure"') == 1
    assert "Rescate" in page and "Protección policial" in page
