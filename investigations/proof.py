"""The proof matrix of a case file: which legal elements of trafficking in persons the case must
prove, read from what the rule engine found in its complaints (issue 11, item 5).

Written to be read by a lawyer. The elements come from the classification of the complaints the
case file grew from (`Complaint.law_profile`, `conducts`, `means`, `purposes`,
`classification["aggravating"]`), with the Spanish labels and articles of `complaints.rules.codes`
and the clauses of the law profile (`complaints.rules.profiles`):

1. **Conducts** (art. 153 / 129-A.1): each conduct the complaints record (captación, transporte,
   traslado, acogida, recepción, retención). If none is recorded, the element "una conducta"
   is expected all the same: there is no trafficking without one.
2. **Means** (art. 153 / 129-A.1): each means recorded. When every victim of the complaints is a
   minor (under 18 at the time of the facts, or recorded as a minor when the age is unknown), the
   means are *not required* (art. 153, second paragraph / 153.3 / 129-A.3): they are listed as
   "no se requiere" and need no support. A victim of unknown age counts as an adult here: the
   means stay required until the age is established (the cautious reading for the prosecution).
   If no means is recorded and they are required, the element "un medio" is expected.
3. **Purpose** (art. 153 / 129-A.2): each purpose of exploitation recorded; "una finalidad de
   explotación" is expected when none is.
4. **Aggravations** (art. 153-A / 129-B): each aggravating circumstance the engine found, with
   its degree.

The legal terms (the conducts, means, purposes and aggravating circumstances) keep their Spanish
names in every language (complaints.rules.codes); the group titles, the statuses, the expected
elements and the degrees are translated (English msgids, gettext_lazy: the Spanish above is their
translation in locale/es). What is stored or sent keeps the codes (`ProofLink.element_code`, the
package's `element`, `group`, `status`); the package's `label` is written in Spanish whatever the
language of the user who generated it (investigations.package).

Each element has a stable code, `<group>:<code>` (`conduct:recruitment`, `means:deception`,
`purpose:prostitution`, `aggravation:victim_14_to_17_or_incapable`, and `conduct:any`,
`means:any`, `purpose:any` for the expected ones); a `ProofLink` of the case file points an
exhibit, a statement of the journal or a diligencia at an element by that code.

The first part is pure (`ComplaintLegal` in, `ProofElement` out, no database); `case_elements`
reads the complaints of one case file (one query) and `matrix` joins the links (one query).
Imports `complaints.rules` (pure), and the models of `complaints` and `investigations` at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, pgettext_lazy

from complaints.rules.codes import AGGRAVATIONS_BY_CODE, DEGREE_LABEL_MSGIDS, ELEMENTS, GROUP_CODES
from complaints.rules.errors import UnknownLawError
from complaints.rules.profiles import get_profile

CONDUCT = "conduct"
MEANS = "means"
PURPOSE = "purpose"
AGGRAVATION = "aggravation"

GROUP_ORDER = (CONDUCT, MEANS, PURPOSE, AGGRAVATION)
GROUP_TITLES = {
    CONDUCT: pgettext_lazy("proof matrix", "Conduct"),
    MEANS: pgettext_lazy("proof matrix", "Means"),
    PURPOSE: pgettext_lazy("proof matrix", "Purpose of exploitation"),
    AGGRAVATION: pgettext_lazy("proof matrix", "Aggravating circumstance"),
}
# The groups of complaints.rules.codes that hold each kind of element.
_ENGINE_GROUP = {CONDUCT: "conducts", MEANS: "means", PURPOSE: "purposes"}
_ANY_LABEL = {
    CONDUCT: gettext_lazy(
        "at least one typical conduct (recruiting, transporting, transferring, harbouring, receiving or holding)"
    ),
    MEANS: gettext_lazy("at least one means (violence, threat, deception, abuse of vulnerability, payment...)"),
    PURPOSE: gettext_lazy("at least one purpose of exploitation"),
}
ANY = "any"

# How an element stands.
FOUND = "found"  # the complaints record it
EXPECTED = "expected"  # the law needs it and the complaints record none
NOT_REQUIRED = "not_required"  # means for a minor victim

STATUS_LABELS = {
    FOUND: gettext_lazy("recorded in the complaint"),
    EXPECTED: gettext_lazy("required by law, not recorded"),
    NOT_REQUIRED: gettext_lazy("not required (minor victim)"),
}


@dataclass(frozen=True)
class ComplaintLegal:
    """What the proof matrix needs of one complaint."""

    number: str
    law_profile: str
    conducts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    aggravations: frozenset[str] = frozenset()
    # True when every victim is a minor (is_minor() True for each; at least one victim).
    all_victims_minors: bool = False


@dataclass(frozen=True)
class ProofElement:
    """One element of the matrix."""

    code: str  # "<group>:<code>"
    group: str  # CONDUCT, MEANS, PURPOSE, AGGRAVATION
    label: Any  # str: a legal term (Spanish in every language) or a lazy translation
    article: str  # "art. 129-A.1 del Código Penal, incorporado por la Ley 31146"
    status: str  # FOUND, EXPECTED, NOT_REQUIRED
    complaints: tuple[str, ...] = ()  # the numbers of the complaints that record it

    @property
    def group_title(self) -> Any:
        return GROUP_TITLES[self.group]

    @property
    def status_label(self) -> Any:
        return STATUS_LABELS[self.status]

    @property
    def needs_support(self) -> bool:
        return self.status != NOT_REQUIRED


def _profiles(sources: Sequence[ComplaintLegal]) -> list[Any]:
    found = []
    for code in sorted({source.law_profile for source in sources if source.law_profile}):
        try:
            found.append(get_profile(code))
        except UnknownLawError:
            continue
    if not found:
        found.append(get_profile("PE-2021"))  # another agency's case: the law in force
    return found


def _cite(profiles: list[Any], clause_of: str) -> str:
    return "; ".join(profile.cite(getattr(profile, clause_of)) for profile in profiles)


def proof_elements(sources: Sequence[ComplaintLegal]) -> list[ProofElement]:
    """The elements the case must prove, in the order conducts, means, purposes, aggravations;
    within a group by the order of complaints.rules.codes."""
    profiles = _profiles(sources)
    means_required = not sources or not all(source.all_victims_minors for source in sources)
    clauses = {CONDUCT: "conduct_clause", MEANS: "conduct_clause", PURPOSE: "purpose_clause"}
    elements: list[ProofElement] = []
    for group in (CONDUCT, MEANS, PURPOSE):
        recorded: dict[str, list[str]] = {}
        for source in sources:
            for code in getattr(source, _ENGINE_GROUP[group]):
                recorded.setdefault(code, []).append(source.number)
        article = _cite(profiles, clauses[group])
        if group == MEANS and not means_required:
            article = _cite(profiles, "minor_clause")
        status = FOUND if group != MEANS or means_required else NOT_REQUIRED
        order = [element.code for element in ELEMENTS.values() if element.code in GROUP_CODES[_ENGINE_GROUP[group]]]
        for code in sorted(recorded, key=lambda c: order.index(c) if c in order else len(order)):
            label = ELEMENTS[code].label if code in ELEMENTS else code
            elements.append(ProofElement(f"{group}:{code}", group, label, article, status, tuple(recorded[code])))
        if not recorded:
            elements.append(
                ProofElement(
                    f"{group}:{ANY}", group, _ANY_LABEL[group], article, EXPECTED if status == FOUND else status
                )
            )
    aggravations: dict[str, list[str]] = {}
    for source in sources:
        for code in source.aggravations:
            aggravations.setdefault(code, []).append(source.number)
    aggravated = "; ".join(f"art. {p.aggravated_article} del Código Penal, {p.source}" for p in profiles)
    for code in sorted(
        aggravations, key=lambda c: (AGGRAVATIONS_BY_CODE[c].degree if c in AGGRAVATIONS_BY_CODE else 9, c)
    ):
        circumstance = AGGRAVATIONS_BY_CODE.get(code)
        label = (
            format_lazy("{} ({})", circumstance.label, gettext_lazy(DEGREE_LABEL_MSGIDS[circumstance.degree]))
            if circumstance
            else code
        )
        elements.append(
            ProofElement(f"{AGGRAVATION}:{code}", AGGRAVATION, label, aggravated, FOUND, tuple(aggravations[code]))
        )
    return elements


@dataclass
class MatrixRow:
    """An element and the links that support it (withdrawn links left out)."""

    element: ProofElement
    links: list[Any] = field(default_factory=list)

    @property
    def supported(self) -> bool:
        return bool(self.links) or not self.element.needs_support


def unsupported(rows: Iterable[MatrixRow]) -> list[ProofElement]:
    """The elements that need support and have none: what the case file still lacks."""
    return [row.element for row in rows if not row.supported]


# ---------------------------------------------------------------- reading one case file


def legal_of(complaint: Any) -> ComplaintLegal:
    """A complaint (with `victims` prefetched) as the matrix reads it. A victim is a minor by the
    one rule of people.privacy (`victim_minor`: the recorded age or flag, and the identity's date of
    birth on the date of the facts)."""
    from people import privacy

    classification = complaint.classification or {}
    victims = list(complaint.victims.all())
    return ComplaintLegal(
        number=complaint.number or "",
        law_profile=complaint.law_profile or "",
        conducts=frozenset(complaint.conducts or ()),
        means=frozenset(complaint.means or ()),
        purposes=frozenset(complaint.purposes or ()),
        aggravations=frozenset(item["code"] for item in classification.get("aggravating", ()) if "code" in item),
        all_victims_minors=bool(victims) and all(privacy.victim_minor(victim) is True for victim in victims),
    )


def complaints_legal(case_file_ids: Iterable[int]) -> dict[int, list[ComplaintLegal]]:
    """The complaints of several case files as the matrix reads them: two queries."""
    from django.db.models import Prefetch

    from complaints.models import ComplaintVictim
    from investigations.models import CaseComplaint

    links = (
        CaseComplaint.objects.filter(case_file_id__in=list(case_file_ids))
        .select_related("complaint")
        .prefetch_related(
            Prefetch(
                "complaint__victims",
                queryset=ComplaintVictim.objects.select_related("person__identity").order_by("position"),
            )
        )
        .order_by("linked_at", "pk")
    )
    found: dict[int, list[ComplaintLegal]] = {}
    for link in links:
        found.setdefault(link.case_file_id, []).append(legal_of(link.complaint))
    return found


def case_elements(case_file: Any) -> list[ProofElement]:
    """The elements of one case file."""
    return proof_elements(complaints_legal([case_file.pk]).get(case_file.pk, []))


def matrix(case_file: Any, *, links: Sequence[Any] | None = None) -> list[MatrixRow]:
    """The matrix of one case file: each element with the links in force that support it. A link
    to an element no longer expected (a complaint amended since) is shown under its own code."""
    from investigations.selectors import proof_links_of

    elements = case_elements(case_file)
    if links is None:
        links = proof_links_of(case_file)
    rows = {element.code: MatrixRow(element) for element in elements}
    for link in links:
        if link.withdrawn_at is not None:
            continue
        row = rows.get(link.element_code)
        if row is None:
            group, _, code = link.element_code.partition(":")
            row = rows[link.element_code] = MatrixRow(
                ProofElement(link.element_code, group if group in GROUP_TITLES else CONDUCT, code, "", FOUND)
            )
        row.links.append(link)
    return list(rows.values())


def element_choices(case_file: Any) -> list[tuple[str, str]]:
    """(code, "Conducta — captación") for the form that links a support to an element."""
    return [
        (element.code, f"{element.group_title} — {element.label}")
        for element in case_elements(case_file)
        if element.needs_support
    ]
