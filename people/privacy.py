"""THE privacy rule of RETA, written once (SECURITY.md 15; Palermo Protocol art. 6; Law 29733).

Every page, PDF, export and document that shows a person calls these functions (templates through
the `masked` tag of `complaints_tags`); none decides on its own.

1. A *minor* is a victim under 18 at the time of the facts or, with no age recorded, one the form
   says is a minor (`is_minor`; `MINOR_Q` and `minor_sql` are the same rule for querysets and
   hand-written SQL). A victim whose age is unknown and who is not known to be an adult is
   *protected* like a minor (`is_protected`, `PROTECTED_Q`). For masking, the date of birth of the
   victim's identity (`people.Identity`, learnt later) counts too: under 18 on the date of the
   facts makes the victim a minor whatever the age or the flag say (`victim_minor`,
   `victim_protected`; a disagreement protects). Statistics keep the recorded age and flag only.
2. A protected victim's name, document and alias never appear to anyone but the investigators
   (`people.policies.can_view_minor_identity`: regional investigators and DIVINTRAP, for the
   complaints of their scope), and to them only after the logged reveal (4); free text is cleaned
   of them otherwise. Documents of the preliminary investigation cite a protected victim by
   initials always (`cited_name`), and so does the complainant's copy.
3. Everybody else (adult victims, complainants, alleged traffickers) shows as initials; document
   numbers, aliases, contacts and the address of a private home are withheld; free text is cleaned
   of their names, documents and contacts...
4. ...unless *shown*. What one viewer sees of one complaint is a `Sight`, computed in one place
   (`sight`):
   - the *filing station* (the users of the complaint's registering unit in a filing role,
     `people.policies.is_filing_station`) sees the complainant's name, document and contact on
     every page and PDF without asking: it must notify the complainant and write the requests;
   - after the explicit *reveal* (an action that writes an `identity_shown` audit event first,
     `people.services.identity_reveal`, for that one response or document): the filing station
     sees the adult victims; roles with a need to know (`people.policies.can_view_identity`)
     see the adults, the complainant, the alleged traffickers and a private home's address; the
     investigators also the protected victims;
   - the complainant's copy (`COMPLAINANT_COPY`) shows the complainant's own data only.
   The template tag and the PDFs compute the sight from the signed-in user, so a stray
   `revealed=True` reveals nothing to a role without the right.
5. Lists, exports and statistics show no name at all, not even initials (they never call the name
   functions: age bands, sexes and counts only).

The functions are pure (no database, no request): `minor` is the tri-state of `is_minor` (True a
minor, None age unknown, False an adult; complainants and alleged traffickers pass False), and a
person is anything with `first_names`, `last_names`, `full_name`, `initials`, `alias`,
`document_type` and `document_number` (a recorded person or an identity). The words they print
come from `Labels`: `SCREEN` (translated) for pages, `FORM` (Spanish) for the police documents.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.policies import can_view_identity, can_view_minor_identity, is_filing_station

ADULT_AGE = 18
MASK = "••••••"


# ---------------------------------------------------------------- who is a minor


def age_on(born: datetime.date | None, day: datetime.date | None) -> int | None:
    """Completed years on `day` of someone born on `born` (None when either is unknown)."""
    if born is None or day is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_minor(
    age: int | None,
    minor_flag: bool | None,
    *,
    born: datetime.date | None = None,
    facts_date: datetime.date | None = None,
) -> bool | None:
    """By the age at the time of the facts when known, else by the form's flag (None: unknown).
    With a date of birth and the date of the facts, under 18 on that date is a minor whatever the
    age or flag say (a disagreement protects); 18 or more counts as an adult only when neither the
    age nor the flag says minor."""
    by_record = age < ADULT_AGE if age is not None else minor_flag
    by_birth = age_on(born, facts_date)
    if by_birth is None or by_record is True:
        return by_record
    if by_birth < ADULT_AGE:
        return True
    return by_record if by_record is not None else False


def is_protected(
    age: int | None,
    minor_flag: bool | None,
    *,
    born: datetime.date | None = None,
    facts_date: datetime.date | None = None,
) -> bool:
    """A minor, or a victim whose age is unknown: treated as a minor until shown otherwise."""
    return is_minor(age, minor_flag, born=born, facts_date=facts_date) is not False


# The same rules over ComplaintVictim rows (fields `age` and `minor`).
MINOR_Q = Q(age__lt=ADULT_AGE) | Q(age__isnull=True, minor=True)
PROTECTED_Q = MINOR_Q | Q(age__isnull=True, minor__isnull=True)


def minor_sql(age: str, minor_flag: str) -> str:
    """`is_minor` as an SQL expression over two columns (NULL: unknown)."""
    return f"CASE WHEN {age} IS NOT NULL THEN {age} < {ADULT_AGE} ELSE {minor_flag} END"


def _birth_and_facts(victim: Any) -> tuple[datetime.date | None, datetime.date | None]:
    """The date of birth of a victim row's identity and the date of its complaint's facts, when
    the row has them (a victim of a form has neither)."""
    person = getattr(victim, "person", None)
    identity = getattr(person, "identity", None) if getattr(person, "identity_id", None) else None
    complaint = getattr(victim, "complaint", None) if getattr(victim, "complaint_id", None) else None
    return getattr(identity, "date_of_birth", None), getattr(complaint, "facts_date", None)


def victim_minor(victim: Any) -> bool | None:
    """`is_minor` of anything with `age` and `minor` (a victim row, a victim of a form), with the
    date of birth of a victim row's identity on the date of its complaint's facts."""
    born, facts_date = _birth_and_facts(victim)
    return is_minor(victim.age, victim.minor, born=born, facts_date=facts_date)


def victim_protected(victim: Any) -> bool:
    """`is_protected` of a victim row or a victim of a form (as `victim_minor`)."""
    return victim_minor(victim) is not False


# ---------------------------------------------------------------- the words


@dataclass(frozen=True)
class Labels:
    minor: Any
    age_unknown: Any
    no_name: Any
    withheld: Any
    document: Any
    mask: str = MASK


SCREEN = Labels(
    minor=_("Minor (protected)"),
    age_unknown=_("Identity protected (age unknown)"),
    no_name=_("(no name recorded)"),
    withheld=_("(withheld)"),
    document=_("Document"),
)
# The printed police forms and documents are Spanish whatever the interface language.
FORM = Labels(
    minor="Menor de edad (identidad protegida)",
    age_unknown="Identidad protegida (edad no consta)",
    no_name="(sin nombre)",
    withheld="(reservado)",
    document="Doc.",
)


# ---------------------------------------------------------------- names, documents, other values


def masked_name(person: Any, *, minor: bool | None, revealed: bool, labels: Labels = SCREEN) -> str:
    """A protected victim: what she or he is, never a name. Others: the full name when revealed,
    else the initials."""
    if minor is True:
        return str(labels.minor)
    if minor is None:
        return str(labels.age_unknown)
    if person is None:
        return ""
    if revealed:
        return person.full_name or str(labels.no_name)
    return person.initials or str(labels.no_name)


def cited_name(person: Any, *, minor: bool | None, revealed: bool, none: str = "N.N.") -> str:
    """How a document of the preliminary investigation cites a victim: by initials; an adult's full
    name only when revealed; a protected victim's never."""
    if minor is False and revealed and person.full_name:
        return person.full_name
    return person.initials or none


def masked_value(value: str, *, minor: bool | None, revealed: bool, mask: str) -> str:
    """A personal value (document number, alias, contact, address): itself only when revealed and
    not of a protected victim, else `mask`; nothing stays nothing."""
    if not value:
        return ""
    return value if revealed and minor is False else mask


def masked_document(person: Any, *, minor: bool | None, revealed: bool, kind: str = "", labels: Labels = SCREEN) -> str:
    """'DNI 41234567' when revealed, else 'DNI ••••••'; the kind alone when no number is recorded.
    `kind` is the caller's label of the document type (default: "Document")."""
    if person is None or not (person.document_type or person.document_number):
        return ""
    kind = kind or str(labels.document)
    if not person.document_number:
        return kind
    return f"{kind} {masked_value(person.document_number, minor=minor, revealed=revealed, mask=labels.mask)}"


def masked_alias(person: Any, *, minor: bool | None, revealed: bool, labels: Labels = SCREEN) -> str:
    if person is None:
        return ""
    return masked_value(person.alias, minor=minor, revealed=revealed, mask=str(labels.withheld))


def masked_contact(value: str, *, revealed: bool, labels: Labels = SCREEN) -> str:
    """A contact (the complainant's phone): shown only when revealed."""
    return masked_value(value, minor=False, revealed=revealed, mask=str(labels.withheld))


def masked_place(address: str, *, private_home: bool, revealed: bool, labels: Labels = SCREEN) -> str:
    """The address of the facts: withheld when it is a private home, unless revealed."""
    if not private_home:
        return address
    return masked_value(address, minor=False, revealed=revealed, mask=str(labels.withheld))


# ---------------------------------------------------------------- free text


_NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von"})


def masked_text(
    text: str,
    *,
    people: Iterable[Any],
    protected: Iterable[Any] = (),
    revealed: bool,
    contacts: Iterable[str] = (),
    labels: Labels = SCREEN,
) -> str:
    """Free text (a narrative, a description) with the names of the people replaced by their
    initial ("Lucía" -> "L."), their document numbers by the mask and the contacts withheld. When
    revealed, only the `protected` victims' names and documents are replaced. Best effort: a name
    written differently in the text cannot be recognised."""
    hidden = list(protected) if revealed else [*people, *protected]
    replacements: dict[str, str] = {}
    for person in hidden:
        if person is None:
            continue
        for word in f"{person.first_names} {person.last_names}".split():
            if len(word) >= 2 and word.casefold() not in _NAME_PARTICLES:
                replacements[word] = word[0].upper() + "."
        if len(person.document_number) >= 4:
            replacements[person.document_number] = labels.mask
    if not revealed:
        for value in contacts:
            if value and len(value) >= 4:
                replacements[value] = str(labels.withheld)
    for original in sorted(replacements, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(original)}(?!\w)", replacements[original], text, flags=re.IGNORECASE)
    return text


# ---------------------------------------------------------------- with the viewer

# Who a person is in a complaint, for `as_seen`.
VICTIM = "victim"
COMPLAINANT = "complainant"
OTHER = "other"  # an alleged trafficker


@dataclass(frozen=True)
class Sight:
    """What one viewer sees of one complaint's people in one response or document (rule 4)."""

    complainant: bool = False  # the complainant's name, document and contact
    adults: bool = False  # adult victims' names, documents and aliases
    others: bool = False  # alleged traffickers' names, documents, aliases; a private home's address
    minors: bool = False  # protected victims (minors, age unknown)

    @property
    def anything(self) -> bool:
        return self.complainant or self.adults or self.others or self.minors


MASKED = Sight()
# The copy handed to the complainant: her or his own data, everybody else masked (minors always).
COMPLAINANT_COPY = Sight(complainant=True)


def sight(viewer: Any, complaint: Any, *, revealed: bool = False) -> Sight:
    """What `viewer` sees of `complaint`'s people; `revealed` only in the response to the logged
    reveal (the caller has written `identity_shown`)."""
    filing = is_filing_station(viewer, complaint)
    need = can_view_identity(viewer)
    reveal = bool(revealed) and (need or filing)
    return Sight(
        complainant=filing or (reveal and need),
        adults=reveal,
        others=reveal and need,
        minors=reveal and can_view_minor_identity(viewer),
    )


def as_seen(view: Sight, *, role: str, minor: bool | None) -> tuple[bool | None, bool]:
    """The (`minor`, `revealed`) to pass to the masking functions above for a person of `role`
    (VICTIM with its `minor` tri-state, COMPLAINANT, OTHER) seen through `view`. A protected victim
    shown to an investigator is passed as revealed and not protected."""
    if role == VICTIM:
        if minor is not False:
            return (False, True) if view.minors else (minor, False)
        return False, view.adults
    if role == COMPLAINANT:
        return False, view.complainant
    return False, view.others


def may_reveal(viewer: Any, revealed: bool, complaint: Any = None) -> bool:
    """A reveal counts only for a role that may ask for it (`people.policies.can_reveal`)."""
    return bool(revealed) and (can_view_identity(viewer) or is_filing_station(viewer, complaint))


def person_and_minor(subject: Any) -> tuple[Any, bool | None]:
    """A victim row (with `person`, `age`, `minor`) gives its person and `is_minor`; any other row
    with a `person` (an alleged trafficker), or a person itself (a complainant), is an adult."""
    if all(hasattr(subject, name) for name in ("person", "age", "minor")):
        return subject.person, victim_minor(subject)
    return getattr(subject, "person", subject), False


def role_of(subject: Any, complaint: Any) -> str:
    """VICTIM for a victim row, COMPLAINANT for the complaint's complainant, else OTHER."""
    if all(hasattr(subject, name) for name in ("person", "age", "minor")):
        return VICTIM
    person = getattr(subject, "person", subject)
    complainant_id = getattr(complaint, "complainant_id", None)
    if complainant_id is not None and getattr(person, "pk", None) == complainant_id:
        return COMPLAINANT
    return OTHER


def display_name(subject: Any, *, view: Sight, complaint: Any = None, labels: Labels = SCREEN) -> str:
    """The name of a victim, a complainant or an alleged trafficker as seen through `view`."""
    person, minor = person_and_minor(subject)
    minor, revealed = as_seen(view, role=role_of(subject, complaint), minor=minor)
    return masked_name(person, minor=minor, revealed=revealed, labels=labels)


def seen_text(
    text: str,
    *,
    view: Sight,
    complainant: Any = None,
    victims: Iterable[Any] = (),
    suspects: Iterable[Any] = (),
    contacts: Iterable[str] = (),
    labels: Labels = SCREEN,
) -> str:
    """Free text of a complaint cleaned of the people `view` does not show: `victims` are rows with
    `person`, `age` and `minor`; `suspects` rows with `person` (or persons)."""
    hidden = []
    if complainant is not None and not view.complainant:
        hidden.append(complainant)
    for victim in victims:
        if not as_seen(view, role=VICTIM, minor=victim_minor(victim))[1]:
            hidden.append(victim.person)
    if not view.others:
        hidden += [getattr(suspect, "person", suspect) for suspect in suspects]
    shown_contacts = () if view.complainant else contacts
    return masked_text(text, people=hidden, revealed=False, contacts=shown_contacts, labels=labels)


__all__ = [
    "ADULT_AGE",
    "COMPLAINANT",
    "COMPLAINANT_COPY",
    "MASKED",
    "OTHER",
    "VICTIM",
    "Sight",
    "as_seen",
    "role_of",
    "seen_text",
    "sight",
    "FORM",
    "MASK",
    "MINOR_Q",
    "PROTECTED_Q",
    "SCREEN",
    "Labels",
    "age_on",
    "cited_name",
    "display_name",
    "is_minor",
    "is_protected",
    "masked_alias",
    "masked_contact",
    "masked_document",
    "masked_name",
    "masked_place",
    "masked_text",
    "masked_value",
    "may_reveal",
    "minor_sql",
    "person_and_minor",
    "victim_minor",
    "victim_protected",
]
