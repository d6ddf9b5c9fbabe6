"""The strong identifiers (people.identifiers, people.form_fields): the ways officers, witnesses and
paper forms write documents, phones, plates and accounts, each reduced to one canonical value;
what is refused, with the Spanish message the officer reads; idempotence; generated values. No
database, no request."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from stdnum.pe import cui, ruc

from people.catalogues import DocumentType, SocialNetwork
from people.form_fields import AccountField, DocumentField, PhoneField, PlateField
from people.identifiers import (
    RUC,
    normalise_account,
    normalise_document,
    normalise_phone,
    normalise_plate,
    validate_document,
    validate_phone,
    validate_plate,
)
from people.matching import document_key, plate_key

SEED = 20261206  # the generated values are the same at every run


@pytest.fixture(autouse=True)
def _spanish() -> Iterator[None]:
    with translation.override("es"):
        yield


def refused(function: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """The Spanish message of the ValidationError that `function` raises."""
    with pytest.raises(ValidationError) as caught:
        function(*args, **kwargs)
    (message,) = caught.value.messages
    return message


# ---------------------------------------------------------------- documents

# A real-looking DNI with its check digit: 10117410-2 is python-stdnum's own example.
DNI_CHECK_LETTER = cui.calc_check_digits("41234567")[1]


@pytest.mark.parametrize(
    ("document_type", "typed", "canonical"),
    [
        (DocumentType.DNI, "10117410", "10117410"),
        (DocumentType.DNI, " 10117410 ", "10117410"),
        (DocumentType.DNI, "10.117.410", "10117410"),
        (DocumentType.DNI, "10 117 410", "10117410"),
        (DocumentType.DNI, "10117410-2", "10117410"),  # the check digit on the card, checked and dropped
        (DocumentType.DNI, "10117410 - 2", "10117410"),
        (DocumentType.DNI, f"41234567-{DNI_CHECK_LETTER.lower()}", "41234567"),  # or its letter
        (DocumentType.DNI, "DNI 10117410", "10117410"),
        (DocumentType.DNI, "DNI N° 10117410", "10117410"),
        (DocumentType.DNI, "dni nº 10.117.410", "10117410"),
        (DocumentType.DNI, "Nro. 10117410", "10117410"),
        (DocumentType.DNI, "01234567", "01234567"),  # the leading zero is part of it
        (DocumentType.DNI, "１０１１７４１０", "10117410"),  # full-width digits (a copied PDF)
        (RUC, "20512333797", "20512333797"),
        (RUC, "20 512 333 797", "20512333797"),
        (RUC, "20-51233379-7", "20512333797"),
        (RUC, "RUC N° 20512333797", "20512333797"),
        (RUC, cui.to_ruc("10117410"), "10101174102"),  # a person's RUC: 10 + DNI + check digit
        (DocumentType.FOREIGN_ID, "001234567", "001234567"),
        (DocumentType.FOREIGN_ID, "CE N° 001234567", "001234567"),
        (DocumentType.FOREIGN_ID, "000 123 456", "000123456"),
        (DocumentType.PASSPORT, "ab 123-4567", "AB1234567"),
        (DocumentType.PASSPORT, "117 654 321", "117654321"),  # a Peruvian passport
        (DocumentType.PASSPORT, "C01X00T47", "C01X00T47"),  # a German one
        (DocumentType.PASSPORT, "ñ12345", "N12345"),
        (DocumentType.OTHER, "V-12.345.678", "V12345678"),  # a Venezuelan cédula
        (DocumentType.OTHER, "1.023.456.789", "1023456789"),  # a Colombian cédula
        (DocumentType.BIRTH_CERTIFICATE, "Acta 2003-0456", "ACTA20030456"),
        ("", "41.234.567", "41234567"),  # a document of unknown type
    ],
)
def test_document_variants(document_type: str, typed: str, canonical: str) -> None:
    assert normalise_document(document_type, typed) == canonical
    assert normalise_document(document_type, canonical) == canonical
    validate_document(document_type, typed)


@pytest.mark.parametrize(
    ("document_type", "typed", "message"),
    [
        (DocumentType.DNI, "", "Escriba el número del documento."),
        (DocumentType.DNI, " - . ", "Escriba el número del documento."),
        (DocumentType.DNI, "NO TIENE", "Un número de documento tiene dígitos. Si la persona no tiene documento"),
        (DocumentType.DNI, "S/N", "Un número de documento tiene dígitos."),
        (DocumentType.DNI, "1234567", "El DNI tiene 8 dígitos; este tiene 7. Si empieza con 0, escriba también el 0."),
        (DocumentType.DNI, "123456", "El DNI tiene 8 dígitos, seguidos si se quiere del dígito de verificación"),
        (DocumentType.DNI, "1011741023", "El DNI tiene 8 dígitos"),
        (DocumentType.DNI, "1011741X", "El DNI tiene 8 dígitos"),
        (DocumentType.DNI, "10117410-3", "El dígito de verificación 3 no corresponde al DNI 10117410"),
        (DocumentType.DNI, "00000000", "00000000 es un relleno, no un DNI. Si no se conoce el DNI, deje el número"),
        (DocumentType.DNI, "99.999.999", "99999999 es un relleno, no un DNI."),
        (RUC, "2051233379", "El RUC tiene 11 dígitos."),
        (RUC, "20512333798", "El último dígito de este RUC no corresponde a los demás: revise el número."),
        (RUC, "30512333797", "El RUC empieza con 10 o 15 (persona natural), 17 o 20 (empresa u otra entidad)."),
        (DocumentType.FOREIGN_ID, "12345", "Este número de documento tiene 5 letras y dígitos; debe tener de 6 a 12."),
        (DocumentType.PASSPORT, "A123", "Este número de documento tiene 4 letras y dígitos; debe tener de 5 a 20."),
        (DocumentType.PASSPORT, "PASAPORTE", "Un número de documento tiene dígitos."),
        (DocumentType.OTHER, "1" * 31, "Este número de documento tiene 31 letras y dígitos; debe tener de 1 a 30."),
        ("libreta_militar", "12345678", "Tipo de documento desconocido."),
    ],
)
def test_document_refused_in_spanish(document_type: str, typed: str, message: str) -> None:
    assert refused(normalise_document, document_type, typed).startswith(message)
    assert refused(validate_document, document_type, typed).startswith(message)


def _spelled(rng: random.Random, digits: str) -> str:
    """One of the ways a number is written: dots, spaces or hyphens between groups, or none."""
    separator = rng.choice(["", ".", " ", "-", ". "])
    groups = [digits[:2], digits[2:5], digits[5:]] if rng.random() < 0.5 else [digits]
    return rng.choice(["", " ", "N° ", "Nro. "]) + separator.join(groups) + rng.choice(["", " "])


def test_generated_dnis_keep_their_eight_digits() -> None:
    rng = random.Random(SEED)
    for _ in range(500):
        digits = f"{rng.randrange(10**8):08d}"
        if len(set(digits)) == 1:
            continue
        typed = _spelled(rng, digits)
        if rng.random() < 0.3:
            typed += "-" + rng.choice(cui.calc_check_digits(digits))
        assert normalise_document(DocumentType.DNI, typed) == digits, typed
        assert normalise_document(DocumentType.DNI, digits) == digits
        wrong = next(c for c in "0123456789" if c not in cui.calc_check_digits(digits))
        with pytest.raises(ValidationError):
            normalise_document(DocumentType.DNI, f"{digits}-{wrong}")


def test_generated_rucs_are_checked() -> None:
    rng = random.Random(SEED)
    for _ in range(300):
        body = rng.choice(["10", "15", "17", "20"]) + f"{rng.randrange(10**8):08d}"
        number = body + ruc.calc_check_digit(body)
        assert normalise_document(RUC, _spelled(rng, number)) == number
        assert normalise_document(RUC, number) == number
        wrong = body + str((int(number[-1]) + 1) % 10)
        assert refused(normalise_document, RUC, wrong).startswith("El último dígito de este RUC")


def test_generated_passports_and_foreign_ids_are_idempotent() -> None:
    rng = random.Random(SEED)
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    for _ in range(300):
        document_type = rng.choice([DocumentType.PASSPORT, DocumentType.FOREIGN_ID, DocumentType.OTHER])
        number = str(rng.randrange(10)) + "".join(rng.choice(alphabet) for _ in range(rng.randrange(5, 12)))
        typed = rng.choice(["", " "]) + "-".join([number[:3].lower(), number[3:]])
        once = normalise_document(document_type, typed)
        assert once == number and normalise_document(document_type, once) == once


def test_the_canonical_number_has_the_matching_key_of_the_typed_one() -> None:
    # people.matching indexes any number by document_key; a canonical number is its own key.
    for document_type, typed in [(DocumentType.PASSPORT, "ab 123-4567"), (DocumentType.DNI, "41.234.567")]:
        canonical = normalise_document(document_type, typed)
        assert document_key(canonical) == canonical == document_key(typed)


# ---------------------------------------------------------------- phones

LIMA = "+5112345678"
CUSCO = "+5184223344"
MOBILE = "+51987654321"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("987654321", MOBILE),
        ("987 654 321", MOBILE),
        ("987-654-321", MOBILE),
        ("987.654.321", MOBILE),
        (" 987 654 321 ", MOBILE),
        ("+51 987654321", MOBILE),
        ("+51 987 654 321", MOBILE),
        ("+51-987-654-321", MOBILE),
        ("(+51) 987 654 321", MOBILE),
        ("0051 987 654 321", MOBILE),
        ("0051987654321", MOBILE),
        ("51987654321", MOBILE),  # as WhatsApp exports write it
        ("(01) 234-5678", LIMA),
        ("01 2345678", LIMA),
        ("01-234-5678", LIMA),
        ("+51 1 234 5678", LIMA),
        ("0051 1 2345678", LIMA),
        ("(084) 22-3344", CUSCO),
        ("084 223344", CUSCO),
        ("+51 84 223344", CUSCO),
        ("+58 412 1234567", "+584121234567"),  # Venezuela
        ("+57 321 123 4567", "+573211234567"),  # Colombia
        ("+591 71234567", "+59171234567"),  # Bolivia
        ("９８７ ６５４ ３２１", MOBILE),  # full-width digits
        ("987\u00a0654\u00a0321", MOBILE),  # non-breaking spaces (a copied web page)
        ("+51 (0) 1 234 5678", LIMA),  # the trunk 0 kept after the country code
    ],
)
def test_phone_variants(typed: str, canonical: str) -> None:
    assert normalise_phone(typed) == canonical
    assert normalise_phone(canonical) == canonical
    assert normalise_phone(canonical, region="VE") == canonical  # E.164 does not depend on the region
    validate_phone(typed)


def test_a_foreign_default_region() -> None:
    assert normalise_phone("0412-1234567", region="VE") == "+584121234567"
    assert normalise_phone("321 1234567", region="CO") == "+573211234567"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Escriba el número de teléfono."),
        ("   ", "Escriba el número de teléfono."),
        ("12345", "No es un número peruano válido: un celular tiene 9 dígitos y empieza con 9"),
        ("98765432", "No es un número peruano válido"),
        ("9876543210", "No es un número peruano válido"),
        ("2345678", "No es un número peruano válido"),  # Lima without its area code
        ("anexo 12", "Un número de teléfono tiene solo dígitos, con espacios, guiones o paréntesis"),
        ("987654321 anexo 12", "Un número de teléfono tiene solo dígitos"),
        ("987 654 321 / 912 345 678", "Un número de teléfono tiene solo dígitos"),
        ("llamar al 987654321", "Un número de teléfono tiene solo dígitos"),
        ("+", "Esto no es un número de teléfono."),
        ("+58 412 12", "No es un número de teléfono válido del código de país +58."),
    ],
)
def test_phone_refused_in_spanish(typed: str, message: str) -> None:
    assert refused(normalise_phone, typed).startswith(message)


def test_generated_peruvian_mobiles() -> None:
    rng = random.Random(SEED)
    for _ in range(500):
        digits = "9" + f"{rng.randrange(10**8):08d}"
        separator = rng.choice(["", " ", "-", "."])
        typed = rng.choice(["", "+51 ", "0051 ", "(+51) ", "51"]) + separator.join(
            [digits[:3], digits[3:6], digits[6:]]
        )
        once = normalise_phone(typed)
        assert once == "+51" + digits, typed
        assert normalise_phone(once) == once


# ---------------------------------------------------------------- vehicle plates


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("ABC-123", "ABC123"),
        ("abc-123", "ABC123"),
        ("ABC 123", "ABC123"),
        (" abc.123 ", "ABC123"),
        ("ABC123", "ABC123"),
        ("A1B-234", "A1B234"),  # since 2010: letter, letter or digit, letter or digit
        ("a1b 234", "A1B234"),
        ("F5R-123", "F5R123"),
        ("V2A-345", "V2A345"),
        ("EGA-123", "EGA123"),  # an emergency vehicle's E series
        ("AB-1234", "AB1234"),  # before 2010
        ("PQ.1234", "PQ1234"),
        ("1234-AB", "1234AB"),  # motorcycles
        ("1234-5A", "12345A"),
        ("1234 ab", "1234AB"),
        ("ABC-1234", "ABC1234"),  # motorcycles since December 2025
        ("abc 1234", "ABC1234"),
        ("ABO-123", "ABO123"),  # a letter O where a letter may go: kept as typed
        ("AB0-123", "AB0123"),
    ],
)
def test_plate_variants(typed: str, canonical: str) -> None:
    assert normalise_plate(typed) == canonical
    assert normalise_plate(canonical) == canonical
    assert normalise_plate(typed, foreign=True) == canonical
    validate_plate(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Escriba la placa."),
        (" - ", "Escriba la placa."),
        ("ABC-1O3", "Revise la placa: se escribió la letra O o I donde va el dígito 0 o 1"),
        ("ABC-I23", "Revise la placa: se escribió la letra O o I"),
        (
            "ABCD-123",
            "No es una placa peruana: se escriben ABC-123 o A1B-234 (desde 2010), AB-1234 (antes de 2010), "
            "1234-AB o ABC-1234 (motos).",
        ),
        ("123-456", "No es una placa peruana"),
        ("1234567", "No es una placa peruana"),
        ("AB-12", "No es una placa peruana"),
        ("1ABC-234", "No es una placa peruana"),
        ("ABCD-1234", "No es una placa peruana"),
        ("1234-A5", "No es una placa peruana"),  # a motorcycle's plate ends in its zone's letter
        ("ABC-12O4", "Revise la placa: se escribió la letra O o I"),
    ],
)
def test_plate_refused_in_spanish(typed: str, message: str) -> None:
    assert refused(normalise_plate, typed).startswith(message)


def test_foreign_plates_are_checked_for_length_only() -> None:
    assert normalise_plate("2345-ABC", foreign=True) == "2345ABC"  # Bolivia
    assert normalise_plate("BB·CD·12", foreign=True) == "BBCD12"  # Chile
    assert normalise_plate("ab 123 cd", foreign=True) == "AB123CD"  # Venezuela
    assert refused(normalise_plate, "A", foreign=True) == "Una placa tiene de 2 a 10 letras y dígitos."
    assert refused(normalise_plate, "ABCDEF123456", foreign=True) == "Una placa tiene de 2 a 10 letras y dígitos."


def test_the_plate_key_folds_o_and_i_only() -> None:
    assert plate_key("ABO-123") == plate_key("AB0 123") == plate_key("abo.I23") == "AB0123"
    assert plate_key("A1B-234") == plate_key("AIB-234")
    assert plate_key("ABL-123") != plate_key("AB1-123")  # L is not I
    assert normalise_plate("ABO-123") != normalise_plate("AB0-123")  # the plate keeps what was typed


def _generated_plates(rng: random.Random) -> Iterator[tuple[str, int]]:
    """Plates of the four Peruvian formats, each with where its hyphen goes."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    alnum = letters + "0123456789"
    digits = "0123456789"

    def pick(chars: str, count: int) -> str:
        return "".join(rng.choice(chars) for _ in range(count))

    for _ in range(200):
        yield pick(letters, 1) + pick(alnum, 2) + pick(digits, 3), 3
        yield pick(letters, 2) + pick(digits, 4), 2
        yield pick(digits, 4) + pick(alnum, 1) + pick(letters, 1), 4
        yield pick(letters, 3) + pick(digits, 4), 3


def test_generated_plates() -> None:
    rng = random.Random(SEED)
    for plate, cut in _generated_plates(rng):
        case = rng.choice([str.lower, str.upper, str.title])
        typed = case(plate[:cut]) + rng.choice(["", "-", " ", ".", " - "]) + case(plate[cut:])
        once = normalise_plate(typed)
        assert once == plate, typed
        assert normalise_plate(once) == once
        assert plate_key(typed) == plate_key(plate.replace("0", "O")) == plate_key(plate.replace("1", "I"))


# ---------------------------------------------------------------- social-network accounts


@pytest.mark.parametrize(
    ("network", "typed", "canonical"),
    [
        (SocialNetwork.FACEBOOK, "maria.quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "Maria.Quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "@maria.quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "https://www.facebook.com/Maria.Quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "https://www.facebook.com/maria.quispe/?ref=bookmarks", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "facebook.com/maria.quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "http://m.facebook.com/maria.quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "https://web.facebook.com/maria.quispe?_rdc=1&_rdr", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "https://es-la.facebook.com/maria.quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "https://fb.com/maria.quispe", "maria.quispe"),
        (SocialNetwork.FACEBOOK, "https://www.facebook.com/profile.php?id=100012345678901", "100012345678901"),
        (SocialNetwork.FACEBOOK, "https://www.facebook.com/people/Maria-Q/100012345678901/", "100012345678901"),
        (SocialNetwork.INSTAGRAM, "@Maria_Q", "maria_q"),
        (SocialNetwork.INSTAGRAM, "maria_q", "maria_q"),
        (SocialNetwork.INSTAGRAM, "https://www.instagram.com/maria_q/", "maria_q"),
        (SocialNetwork.INSTAGRAM, "https://instagram.com/Maria_Q?igsh=MXh2bzZ5", "maria_q"),
        (SocialNetwork.INSTAGRAM, "instagram.com/maria_q", "maria_q"),
        (SocialNetwork.INSTAGRAM, "https://www.instagram.com/stories/maria_q/3141592653/", "maria_q"),
        (SocialNetwork.TIKTOK, "@lu.cia", "lu.cia"),
        (SocialNetwork.TIKTOK, "https://www.tiktok.com/@Lu.Cia?lang=es", "lu.cia"),
        (SocialNetwork.TIKTOK, "https://www.tiktok.com/@lu.cia/video/7212345678901234567", "lu.cia"),
        (SocialNetwork.TIKTOK, "tiktok.com/@lu.cia", "lu.cia"),
        (SocialNetwork.X, "@JuanP", "juanp"),
        (SocialNetwork.X, "https://x.com/JuanP", "juanp"),
        (SocialNetwork.X, "https://twitter.com/JuanP", "juanp"),
        (SocialNetwork.X, "https://mobile.twitter.com/JuanP/status/1234", "juanp"),  # a post: its author
        ("twitter", "@JuanP", "juanp"),
        (SocialNetwork.TELEGRAM, "@juan_perez", "juan_perez"),
        (SocialNetwork.TELEGRAM, "https://t.me/Juan_Perez", "juan_perez"),
        (SocialNetwork.WHATSAPP, "987 654 321", MOBILE),
        (SocialNetwork.WHATSAPP, "+51 987 654 321", MOBILE),
        (SocialNetwork.WHATSAPP, "https://wa.me/51987654321", MOBILE),
        (SocialNetwork.WHATSAPP, "wa.me/51987654321?text=hola", MOBILE),
        (SocialNetwork.WHATSAPP, "https://api.whatsapp.com/send?phone=51987654321&text=trabajo", MOBILE),
        (SocialNetwork.WHATSAPP, "https://api.whatsapp.com/send/?phone=%2B584121234567", "+584121234567"),
        (SocialNetwork.OTHER, " Kwai: La Rubia ", "Kwai: La Rubia"),
    ],
)
def test_account_variants(network: str, typed: str, canonical: str) -> None:
    assert normalise_account(network, typed) == canonical
    assert normalise_account(network, canonical) == canonical


@pytest.mark.parametrize(
    ("network", "typed", "message"),
    [
        (SocialNetwork.FACEBOOK, "", "Escriba la cuenta: su nombre de usuario o el enlace a su perfil."),
        ("myspace", "maria", "Red social desconocida."),
        (SocialNetwork.FACEBOOK, "maría quispe", "maría quispe no es un nombre de usuario de Facebook."),
        (SocialNetwork.INSTAGRAM, "@maria-q", "maria-q no es un nombre de usuario de Instagram."),
        (SocialNetwork.X, "@un_nombre_demasiado_largo", "un_nombre_demasiado_largo no es un nombre de usuario de X"),
        (SocialNetwork.INSTAGRAM, "https://www.facebook.com/maria.q", "No es un enlace de Instagram."),
        (SocialNetwork.FACEBOOK, "https://www.facebook.com/groups/empleos.lima", "Este enlace lleva a una publicación"),
        (SocialNetwork.FACEBOOK, "facebook.com", "Este enlace lleva a una publicación, un grupo o una página"),
        (SocialNetwork.INSTAGRAM, "https://www.instagram.com/p/C0aBcDeF/", "Este enlace lleva a una publicación"),
        (SocialNetwork.TIKTOK, "https://www.tiktok.com/tag/trabajo", "Este enlace lleva a una publicación"),
        (SocialNetwork.TIKTOK, "https://vm.tiktok.com/ZMabc123/", "Es un enlace corto: ábralo, vaya al perfil"),
        (SocialNetwork.X, "https://x.com/search?q=trabajo", "Este enlace lleva a una publicación"),
        (SocialNetwork.X, "http://[::1", "No es un enlace de X (Twitter)."),
        (SocialNetwork.FACEBOOK, "https://www.facebook.com/profile.php?id=abc", "Este enlace lleva a una publicación"),
        (SocialNetwork.INSTAGRAM, "https://www.instagram.com/", "Este enlace lleva a una publicación"),
        (SocialNetwork.WHATSAPP, "https://wa.me/", "Este enlace de WhatsApp no tiene número de teléfono."),
        (SocialNetwork.WHATSAPP, "https://chat.whatsapp.com/AbCdEf", "No es un enlace de WhatsApp."),
        (SocialNetwork.WHATSAPP, "98765", "No es un número peruano válido"),
    ],
)
def test_account_refused_in_spanish(network: str, typed: str, message: str) -> None:
    assert refused(normalise_account, network, typed).startswith(message)


def test_generated_handles_are_idempotent_and_case_insensitive() -> None:
    rng = random.Random(SEED)
    chars = "abcdefghijklmnopqrstuvwxyz0123456789_"
    links = {
        SocialNetwork.INSTAGRAM: "https://www.instagram.com/{}/",
        SocialNetwork.TIKTOK: "https://www.tiktok.com/@{}",
        SocialNetwork.X: "https://x.com/{}",
        SocialNetwork.TELEGRAM: "https://t.me/{}",
    }
    for _ in range(200):
        network = rng.choice(list(links))
        handle = "".join(rng.choice(chars) for _ in range(rng.randrange(5, 15)))
        for typed in (handle, "@" + handle.upper(), links[network].format(handle.capitalize())):
            once = normalise_account(network, typed)
            assert once == handle, typed
            assert normalise_account(network, once) == once


# ---------------------------------------------------------------- form fields


class IdentifiersForm(forms.Form):
    document_type = forms.ChoiceField(
        label="Tipo", choices=[("", "—"), *DocumentType.choices, (RUC, "RUC")], required=False
    )
    document_number = DocumentField(label="Número", required=False)
    phone = PhoneField(label="Teléfono", required=False)
    foreign_plate = forms.BooleanField(label="Placa extranjera", required=False)
    plate = PlateField(label="Placa", required=False, foreign_field="foreign_plate")
    network = forms.ChoiceField(label="Red", choices=SocialNetwork.choices, required=False)
    account = AccountField(label="Cuenta", required=False)


def test_the_fields_clean_to_the_canonical_values() -> None:
    form = IdentifiersForm(
        {
            "document_type": "dni",
            "document_number": "10.117.410-2",
            "phone": "(01) 234-5678",
            "plate": "a1b 234",
            "network": "instagram",
            "account": "https://www.instagram.com/Maria_Q/",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data | {} == {
        "document_type": "dni",
        "document_number": "10117410",
        "phone": LIMA,
        "foreign_plate": False,
        "plate": "A1B234",
        "network": "instagram",
        "account": "maria_q",
    }


def test_a_form_shown_again_shows_the_canonical_values_and_the_spanish_errors() -> None:
    form = IdentifiersForm(
        {"document_type": "dni", "document_number": "10117410-3", "phone": "987 654 321", "plate": "ABC-1O3"}
    )
    assert not form.is_valid()
    assert form.errors["document_number"] == ["El dígito de verificación 3 no corresponde al DNI 10117410: revise "
                                              "ambos en el documento o escriba solo los 8 dígitos."]  # fmt: skip
    assert form.errors["plate"][0].startswith("Revise la placa")
    html = form.as_p()
    assert 'value="+51987654321"' in html  # the phone as it will be kept
    assert 'value="10117410-3"' in html and 'value="ABC-1O3"' in html  # what is wrong, as typed
    assert form["phone"].value() == MOBILE


def test_the_document_number_follows_the_chosen_type() -> None:
    passport = IdentifiersForm({"document_type": "passport", "document_number": "ab 123-4567"})
    assert passport.is_valid() and passport.cleaned_data["document_number"] == "AB1234567"
    ruc_form = IdentifiersForm({"document_type": RUC, "document_number": "20512333798"})
    assert ruc_form.errors["document_number"][0].startswith("El último dígito de este RUC")
    unknown = IdentifiersForm({"document_type": "libreta", "document_number": "12345678"})
    assert "document_number" not in unknown.errors and "document_type" in unknown.errors  # one error, where it is


def test_a_foreign_plate_is_checked_leniently_when_marked() -> None:
    assert (
        IdentifiersForm({"document_type": "", "plate": "2345-ABC"})
        .errors["plate"][0]
        .startswith("No es una placa peruana")
    )
    marked = IdentifiersForm({"document_type": "", "plate": "2345-ABC", "foreign_plate": "on"})
    assert marked.is_valid() and marked.cleaned_data["plate"] == "2345ABC"


def test_fixed_type_and_network() -> None:
    class Fixed(forms.Form):
        dni = DocumentField(label="DNI", document_type=DocumentType.DNI)
        whatsapp = AccountField(label="WhatsApp", network=SocialNetwork.WHATSAPP)

    form = Fixed({"dni": "DNI 41.234.567", "whatsapp": "wa.me/51987654321"})
    assert form.is_valid() and form.cleaned_data == {"dni": "41234567", "whatsapp": MOBILE}
    assert Fixed({"dni": "", "whatsapp": ""}).errors == {
        "dni": ["Este campo es obligatorio."],
        "whatsapp": ["Este campo es obligatorio."],
    }


def test_a_disabled_field_shows_its_initial_value_whatever_is_submitted() -> None:
    class Disabled(forms.Form):
        phone = PhoneField(label="Teléfono", disabled=True)

    form = Disabled({"phone": "912 345 678"}, initial={"phone": MOBILE})
    assert form.is_valid() and form.cleaned_data["phone"] == MOBILE
    assert form["phone"].value() == MOBILE
