"""Strong identifiers of people and things, checked and written one way: identity documents,
phone numbers, vehicle plates and social-network accounts (issues 11-12: case files store them,
cross-case matching compares them).

Pure functions (no database): each `normalise_*` returns the one canonical spelling of a valid
value and raises Django's `ValidationError` with a message for the officer (English source,
Spanish catalogue) otherwise; `normalise(normalise(x)) == normalise(x)`. A record keeps the value
as it was typed; the canonical value is what a form shows after cleaning (`people.form_fields`)
and what matching compares. The lenient keys of `people.matching` (`document_key`, `phone_key`,
`plate_key`) are for values that may not validate (legacy records, paper forms); the cleaning of
documents and plates here starts from `document_key`, so both agree on case and punctuation.

- Documents (type from `people.catalogues.DocumentType`, plus `RUC`): a DNI is its 8 digits (the
  check digit printed after the hyphen on the card, when given, is checked with python-stdnum's
  `stdnum.pe.cui` and dropped, so '10117410-2' and '10117410' are the same DNI); a RUC is 11
  digits checked with `stdnum.pe.ruc`; a foreigner's card (CE, Migraciones) 6 to 12 letters or
  digits (current cards: 9 digits); a passport 5 to 20; a birth certificate or another document
  (a foreign national ID card) 1 to 30. Every number has a digit: "NO TIENE" or "S/N" is no number,
  and a DNI of one repeated digit (00000000, 99999999) is a placeholder, refused.
- Phones: libphonenumber (`phonenumbers`) in E.164, Peru the default region: '987 654 321',
  '(01) 234-5678', '+51 987654321', '0051 987 654 321' and '51987654321' are accepted.
- Plates: uppercase letters and digits, no spaces, hyphens or dots; O and 0, I and 1 kept as
  typed (`people.matching.plate_key` folds them for matching). Peruvian formats (Wikipedia,
  "Vehicle registration plates of Peru"; D.S. 017-2008-MTC, Reglamento de Placa Única Nacional de
  Rodaje, in force since 2010; MTC's rules for category L and its new motorcycle plates, announced
  in November 2025): cars since 2010 a letter, two letters or digits and three digits (ABC-123,
  A1B-234, the E series of emergency vehicles included), 1995-2009 ABC-123 and AB-1234;
  motorcycles and mototaxis 1234-AB (four digits, a letter or a digit, the letter of the registry
  zone: 1234-5A) and, issued since 17 December 2025 and replacing those until 2031, three letters
  and four digits (ABC-1234). `foreign=True` accepts any plate of 2 to 10 letters and digits.
- Accounts: `normalise_account(network, handle_or_url)` gives the handle without '@' or link,
  lowercase where the network ignores case (all of those listed), the numeric id of a Facebook
  profile without a user name, and for WhatsApp the phone in E.164.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.pe import cui, ruc

from people.catalogues import DocumentType, SocialNetwork
from people.matching import document_key, plate_key

__all__ = [
    "DOCUMENT_KINDS",
    "RUC",
    "normalise_account",
    "normalise_document",
    "normalise_phone",
    "normalise_plate",
    "plate_key",
    "validate_document",
    "validate_phone",
    "validate_plate",
]

# The taxpayer number of SUNAT. Not an identity document of the complaint form (DocumentType):
# a case file records it for an operator, a company or a person with a business.
RUC = "ruc"
DOCUMENT_KINDS: frozenset[str] = frozenset({*DocumentType.values, RUC, ""})
MAX_DOCUMENT_LENGTH = 30  # people.IdentityDocument.number / key


def _error(message: str, code: str, /, **params: object) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# ---------------------------------------------------------------- documents


# An officer may type the name of the document or "N°" before a number of digits.
_NUMBER_PREFIX = re.compile(r"^(?:DNI|RUC|CE)?(?:NRO|NO|N)?(?=\d+[0-9A-K]?$)")
# (minimum, maximum) letters and digits of the documents without a check of their own.
_LENGTHS = {
    DocumentType.FOREIGN_ID: (6, 12),
    DocumentType.PASSPORT: (5, 20),
    DocumentType.BIRTH_CERTIFICATE: (1, MAX_DOCUMENT_LENGTH),
    DocumentType.OTHER: (1, MAX_DOCUMENT_LENGTH),
    "": (1, MAX_DOCUMENT_LENGTH),
}


def normalise_document(document_type: str, number: str) -> str:
    """The canonical number of a document of `document_type` (a `DocumentType` value, `RUC`, or ''
    for a document of unknown type), or ValidationError."""
    if document_type not in DOCUMENT_KINDS:
        raise _error(_("Unknown document type."), "document_type")
    compact = document_key(number)
    if not compact:
        raise _error(_("Type the document number."), "document_empty")
    if not any(char.isdigit() for char in compact):
        raise _error(
            _("A document number has digits. If the person has no document, leave the number blank."),
            "document_no_digits",
        )
    if document_type == DocumentType.DNI:
        return _dni(_NUMBER_PREFIX.sub("", compact))
    if document_type == RUC:
        return _ruc(_NUMBER_PREFIX.sub("", compact))
    if document_type == DocumentType.FOREIGN_ID:
        compact = _NUMBER_PREFIX.sub("", compact)
    minimum, maximum = _LENGTHS[document_type]
    if not minimum <= len(compact) <= maximum:
        raise _error(
            _("This document number has %(length)d letters and digits; it should have %(minimum)d to %(maximum)d."),
            "document_length",
            length=len(compact),
            minimum=minimum,
            maximum=maximum,
        )
    return compact


def validate_document(document_type: str, number: str) -> None:
    """ValidationError unless `number` is a valid document of `document_type`."""
    normalise_document(document_type, number)


def _dni(compact: str) -> str:
    if len(compact) == 7 and compact.isdigit():
        raise _error(_("A DNI has 8 digits; this one has 7. If it begins with 0, type the 0 as well."), "dni_length")
    if len(compact) not in (8, 9) or not compact[:8].isdigit():
        raise _error(
            _("A DNI has 8 digits, optionally followed by the check digit printed after the hyphen (12345678-9)."),
            "dni_format",
        )
    if len(set(compact[:8])) == 1:
        raise _error(
            _("%(number)s is a placeholder, not a DNI. If the DNI is unknown, leave the number blank."),
            "dni_placeholder",
            number=compact[:8],
        )
    try:
        cui.validate(compact)
    except stdnum_errors.ValidationError:
        raise _error(
            _(
                "The check digit %(check)s does not belong to DNI %(number)s: check both on the card, or type "
                "the 8 digits only."
            ),
            "dni_check_digit",
            check=compact[8:],
            number=compact[:8],
        ) from None
    return compact[:8]


def _ruc(compact: str) -> str:
    if len(compact) != 11 or not compact.isdigit():
        raise _error(_("A RUC has 11 digits."), "ruc_format")
    try:
        return ruc.validate(compact)
    except stdnum_errors.InvalidComponent:
        raise _error(
            _("A RUC begins with 10 or 15 (a person), 17 or 20 (a company or other entity)."), "ruc_prefix"
        ) from None
    except stdnum_errors.ValidationError:
        raise _error(
            _("This RUC's last digit does not match the others: check the number."), "ruc_check_digit"
        ) from None


# ---------------------------------------------------------------- phones


# Digits, spaces and the signs people write around them. Letters are refused ("anexo 12": an
# extension does not reach a person), and so is a slash ("987 654 321 / 912 345 678": two numbers).
_PHONE_CHARACTERS = re.compile(r"[\d\s()+\-.]*")


def normalise_phone(text: str, region: str = "PE") -> str:
    """The number in E.164 ('+51987654321'), read with `region` (ISO 3166) as the default country
    of a number without an international prefix, or ValidationError."""
    value = (text or "").strip()
    if not value:
        raise _error(_("Type the phone number."), "phone_empty")
    if not _PHONE_CHARACTERS.fullmatch(value):
        raise _error(
            _("A phone number has digits only, with spaces, hyphens or parentheses if you like, and a + in front."),
            "phone_characters",
        )
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise _error(_("This is not a phone number."), "phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        if number.country_code == 51:
            raise _error(
                _(
                    "This is not a valid Peruvian number: a mobile has 9 digits and begins with 9; a landline "
                    "needs its area code (01 for Lima and Callao, 084 for Cusco...)."
                ),
                "phone_invalid_pe",
            )
        raise _error(
            _("This is not a valid phone number of country code +%(code)d."),
            "phone_invalid",
            code=number.country_code,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(text: str, region: str = "PE") -> None:
    normalise_phone(text, region)


# ---------------------------------------------------------------- vehicle plates


# Peruvian plates, once compacted (see the module docstring for the sources).
_PERUVIAN_PLATES = (
    re.compile(r"[A-Z][A-Z0-9]{2}\d{3}"),  # ABC-123, A1B-234 (since 2010 and 1995-2009)
    re.compile(r"[A-Z]{2}\d{4}"),  # AB-1234 (cars before 2010)
    re.compile(r"\d{4}[A-Z0-9][A-Z]"),  # 1234-AB, 1234-5A (motorcycles, 2010-2025)
    re.compile(r"[A-Z]{3}\d{4}"),  # ABC-1234 (motorcycles since December 2025)
)


def normalise_plate(text: str, *, foreign: bool = False) -> str:
    """The plate in capitals without spaces, hyphens or dots ('abc-123' -> 'ABC123'), checked
    against the Peruvian formats (or, `foreign`, only its length), or ValidationError."""
    compact = document_key(text)
    if not compact:
        raise _error(_("Type the plate."), "plate_empty")
    if foreign:
        if not 2 <= len(compact) <= 10:
            raise _error(_("A plate has 2 to 10 letters and digits."), "plate_length")
        return compact
    if _is_peruvian_plate(compact):
        return compact
    if any(_is_peruvian_plate(_letters_as_digits_at_the_end(compact, count)) for count in (3, 4)):
        raise _error(
            _("Check the plate: a letter O or I is typed where the digit 0 or 1 goes (ABC-1O3 is ABC-103)."),
            "plate_letter_for_digit",
        )
    raise _error(
        _(
            "This is not a Peruvian plate: they are written ABC-123 or A1B-234 (since 2010), AB-1234 (before "
            "2010), 1234-AB or ABC-1234 (motorcycles). For a foreign plate, mark it as foreign."
        ),
        "plate_format",
    )


def validate_plate(text: str, *, foreign: bool = False) -> None:
    normalise_plate(text, foreign=foreign)


def _is_peruvian_plate(compact: str) -> bool:
    return any(char.isalpha() for char in compact) and any(pattern.fullmatch(compact) for pattern in _PERUVIAN_PLATES)


def _letters_as_digits_at_the_end(compact: str, count: int) -> str:
    # A car plate ends in three digits, an older one or a new motorcycle's in four.
    return compact[:-count] + plate_key(compact[-count:])


# ---------------------------------------------------------------- social-network accounts


_HOSTS = {
    SocialNetwork.FACEBOOK: {"facebook.com", "fb.com", "fb.me"},
    SocialNetwork.INSTAGRAM: {"instagram.com", "instagr.am"},
    SocialNetwork.TIKTOK: {"tiktok.com"},
    SocialNetwork.X: {"x.com", "twitter.com"},
    SocialNetwork.TELEGRAM: {"t.me", "telegram.me"},
    SocialNetwork.WHATSAPP: {"wa.me", "whatsapp.com", "api.whatsapp.com"},
}
# Subdomains of a network's site that still show the same profiles.
_SUBDOMAINS = ("www.", "m.", "web.", "mbasic.", "mobile.", "es-la.", "es.")
# The user names each network allows (all ignore case; Facebook's dots are kept as written).
_HANDLES = {
    SocialNetwork.FACEBOOK: re.compile(r"[a-z0-9.]{5,50}"),
    SocialNetwork.INSTAGRAM: re.compile(r"[a-z0-9._]{1,30}"),
    SocialNetwork.TIKTOK: re.compile(r"[a-z0-9._]{2,24}"),
    SocialNetwork.X: re.compile(r"[a-z0-9_]{1,15}"),
    SocialNetwork.TELEGRAM: re.compile(r"[a-z0-9_]{5,32}"),
}
# First parts of a link that lead to something other than a profile.
_NOT_PROFILES = {
    SocialNetwork.FACEBOOK: {"groups", "events", "photo", "photo.php", "watch", "story.php", "share", "sharer",
                             "permalink.php", "posts", "reel", "marketplace", "hashtag", "login", "profile.php"},
    SocialNetwork.INSTAGRAM: {"p", "reel", "reels", "tv", "explore", "accounts", "direct"},
    SocialNetwork.TIKTOK: {"video", "tag", "discover", "music", "t"},
    SocialNetwork.X: {"i", "home", "search", "intent", "hashtag", "share", "explore", "settings"},
    SocialNetwork.TELEGRAM: {"joinchat", "addstickers", "share", "s", "c"},
}  # fmt: skip
_NETWORK_ALIASES = {"twitter": SocialNetwork.X}


def normalise_account(network: str, handle_or_url: str) -> str:
    """The canonical account of `network` (a `SocialNetwork` value; 'twitter' is X) written as a
    handle ('@Maria.Q'), a profile link ('https://www.instagram.com/maria.q/?hl=es') or, for
    WhatsApp, a phone or a wa.me link; or ValidationError."""
    network = _NETWORK_ALIASES.get(network, network)
    if network not in SocialNetwork.values:
        raise _error(_("Unknown social network."), "account_network")
    value = (handle_or_url or "").strip()
    if not value:
        raise _error(_("Type the account: its user name or the link to its profile."), "account_empty")
    if network == SocialNetwork.OTHER:
        return value
    link = _as_link(value)
    if network == SocialNetwork.WHATSAPP:
        return _whatsapp(link) if link else normalise_phone(value)
    handle = _handle_from_link(network, link) if link else value.removeprefix("@")
    handle = handle.lower()
    if not _HANDLES[network].fullmatch(handle):
        raise _error(
            _("%(handle)s is not a user name of %(network)s."),
            "account_handle",
            handle=handle,
            network=SocialNetwork(network).label,
        )
    return handle


# A link typed without "https://" nor a path ("facebook.com", "www.tiktok.com").
_BARE_SITE = re.compile(r"(?:[a-z0-9-]+\.)*(?:facebook|fb|instagram|instagr|tiktok|x|twitter|t|telegram|wa|whatsapp)"
                        r"\.(?:com|me|am)", re.IGNORECASE)  # fmt: skip
# TikTok's short links (vm.tiktok.com/ZM...) name a video or a profile that only TikTok knows.
_SHORT_LINK_HOSTS = {"vm.tiktok.com", "vt.tiktok.com"}


def _as_link(value: str) -> tuple[str, list[str], dict[str, list[str]]] | None:
    """(host without subdomain, path parts, query) when `value` is a link, else None."""
    if "/" not in value and "://" not in value and not _BARE_SITE.fullmatch(value):
        return None
    try:
        parts = urlsplit(value if "://" in value else f"https://{value}")
        host = (parts.hostname or "").lower()
    except ValueError:  # a broken link ("http://[::1"): on no network's site
        host, parts = "", urlsplit("")
    for prefix in _SUBDOMAINS:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host.removeprefix(prefix)
            break
    return host, [part for part in parts.path.split("/") if part], parse_qs(parts.query)


def _not_a_profile() -> ValidationError:
    return _error(
        _("This link leads to a post, a group or a page, not to a profile: open the profile and copy its link."),
        "account_not_profile",
    )


def _handle_from_link(network: str, link: tuple[str, list[str], dict[str, list[str]]]) -> str:
    host, path, query = link
    if host in _SHORT_LINK_HOSTS:
        raise _error(
            _("This is a short link: open it, go to the profile and copy the profile's link."), "account_short_link"
        )
    if host not in _HOSTS[network]:
        raise _error(
            _("This is not a link to %(network)s."), "account_other_site", network=SocialNetwork(network).label
        )
    if network == SocialNetwork.TIKTOK and host == "tiktok.com" and path[:1] and not path[0].startswith("@"):
        raise _not_a_profile()
    if not path:
        raise _not_a_profile()
    first = path[0].lower()
    if network == SocialNetwork.FACEBOOK:
        if first == "profile.php" and query.get("id", [""])[0].isdigit():
            return query["id"][0]
        if first in {"people", "pages"} and len(path) >= 3 and path[2].isdigit():
            return path[2]
    if network == SocialNetwork.INSTAGRAM and first == "stories" and len(path) >= 2:
        return path[1]
    if first in _NOT_PROFILES[network]:
        raise _not_a_profile()
    return path[0].removeprefix("@")


def _whatsapp(link: tuple[str, list[str], dict[str, list[str]]]) -> str:
    host, path, query = link
    if host not in _HOSTS[SocialNetwork.WHATSAPP]:
        raise _error(
            _("This is not a link to %(network)s."), "account_other_site", network=SocialNetwork.WHATSAPP.label
        )
    number = path[0] if host == "wa.me" and path else query.get("phone", [""])[0]
    if not number.lstrip("+").isdigit():
        raise _error(_("This WhatsApp link has no phone number."), "account_no_phone")
    # wa.me and the send links write the number with its country code, without "+".
    return normalise_phone(f"+{number.lstrip('+')}")
