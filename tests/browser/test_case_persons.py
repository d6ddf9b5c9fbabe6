"""Persons in a case file as the investigator works them: the regional investigator adds an
alleged trafficker with a DNI and a phone, uploads a photograph, sees the person masked, shows the
identity (logged) and sees the photograph on the person's page, served by the access-checked view.
The Lima station officer gets 404 on the photograph's URL."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from audit.models import AuditEvent
from investigations.models import CasePerson, PersonImage
from reta.private_media import private_storage
from tests.browser.conftest import shot, sign_in
from tests.investigations.conftest import open_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Any) -> Any:
    settings.RETA_PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return settings.RETA_PRIVATE_MEDIA_ROOT


def test_the_investigator_adds_a_trafficker_with_a_dni_a_phone_and_a_photo(
    browser: Any, page: Any, personas: dict, complaints: dict, password: str, tmp_path: Any
) -> None:
    case_file = open_case(personas, complaints["frozen"])
    photo = tmp_path / "rostro.jpg"
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    Image.new("RGB", (120, 160), (180, 140, 110)).save(photo, format="JPEG", exif=exif.tobytes())

    sign_in(page, "regional.investigator", password)
    page.locator(".user-box").wait_for()
    page.goto(f"{page.base_url}/carpetas/{case_file.pk}/")
    with page.expect_navigation():
        page.locator("#nav-persons").click()
    with page.expect_navigation():
        page.locator("#add-person-link").click()
    page.get_by_label("Rol en el caso").select_option("alleged_trafficker")
    page.get_by_label("Nombres").fill("Rómulo")
    page.get_by_label("Apellidos").fill("Quispe Huamán")
    page.get_by_label("Tipo de documento").select_option("dni")
    page.get_by_label("Número de documento").fill("10117410-5")  # a wrong check digit first
    page.get_by_label("Teléfono").fill("987 654 321")
    page.get_by_label("Rol en la organización").select_option("recruiter")
    page.get_by_label("Medio de captación").select_option("social_network")
    with page.expect_navigation():
        page.locator("#person-submit").click()
    assert "dígito de verificación" in page.locator(".field-error").first.inner_text()
    assert not CasePerson.objects.exists()
    page.get_by_label("Número de documento").fill("10117410-2")
    with page.expect_navigation():
        page.locator("#person-submit").click()
    person = CasePerson.objects.get()
    assert page.locator("#person-name").inner_text() == "R.Q.H."
    assert page.locator("#organisation-role").inner_text() == "Captador"
    assert "10117410" not in page.content()

    with page.expect_navigation():
        page.locator("#add-image").click()
    page.get_by_label("Archivo de imagen").set_input_files(str(photo))
    page.get_by_label("Leyenda").fill("Ficha de RENIEC")
    with page.expect_navigation():
        page.locator("#image-submit").click()
    image = PersonImage.objects.get()
    assert page.locator("#images .person-image-row").count() == 1
    assert page.locator("#images img").count() == 0  # not before the reveal

    with page.expect_navigation():
        page.locator("#show-identity").click()
    assert page.locator("#person-name").inner_text() == "Rómulo Quispe Huamán"
    assert "10117410" in page.locator("#documents").inner_text()
    assert "+51987654321" in page.locator("#phones").inner_text()
    picture = page.locator("#images img")
    picture.wait_for()
    picture.scroll_into_view_if_needed()  # loading="lazy": the browser fetches it once near the screen
    page.wait_for_function("() => document.querySelector('#images img').naturalWidth > 0")
    assert picture.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [120, 160]
    shot(page, "case-person-revealed-with-photo")
    assert AuditEvent.objects.filter(event="identity_shown", object_id=str(case_file.pk)).count() == 1
    assert AuditEvent.objects.filter(event="case_person_image_viewed").count() >= 1
    with private_storage().open(image.file.name, "rb") as handle:
        stored = handle.read()
    assert b"CameraMaker" not in stored
    assert Image.open(io.BytesIO(stored)).getexif() == {}

    # The Lima station officer: 404 on the photograph's URL.
    outsider = browser.new_context(locale="es-PE").new_page()
    outsider.base_url = page.base_url
    sign_in(outsider, "outsider", password)
    outsider.locator(".user-box").wait_for()
    url = f"{page.base_url}/carpetas/{case_file.pk}/personas/{person.pk}/imagenes/{image.pk}/"
    assert outsider.goto(url).status == 404
    outsider.context.close()
