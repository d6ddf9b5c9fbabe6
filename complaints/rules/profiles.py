"""The law profiles: which text of the Penal Code applies, chosen by the date of the facts.

A law takes effect the day after its publication (Constitution, art. 109):

- Law 28950, published 16 Jan 2007  -> ``PE-2007`` from 17 Jan 2007 (art. 153, aggravated 153-A).
- Law 30251, published 21 Oct 2014  -> ``PE-2014`` from 22 Oct 2014 (art. 153 rewritten in numbered
  paragraphs: means add "o de cualquier beneficio", open list of purposes, 153.3 minors, 153.4 consent).
- Law 31146, published 30 Mar 2021  -> ``PE-2021`` from 31 Mar 2021 (art. 129-A, aggravated 129-B,
  title "Delitos contra la dignidad humana"; new first-degree aggravation: pregnant victim).

Facts dated before 17 Jan 2007 are classified with ``PE-2007`` and a warning (see ``engine``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .codes import AGGRAVATIONS, OTHER_ANALOGOUS_EXPLOITATION, PURPOSES
from .errors import UnknownLawError
from .i18n import N_


@dataclass(frozen=True, kw_only=True)
class LawProfile:
    """One text of the trafficking offence, with the clauses the explanation cites."""

    code: str
    law: str  # the law that gave the text, for the explanation
    in_force_from: date
    in_force_until: date | None  # last day in force; None while in force
    article: str  # the trafficking article
    aggravated_article: str  # the article of the aggravated forms
    source: str  # how the Penal Code text is cited: "del Código Penal, <source>"
    conduct_clause: str  # conducts and means
    purpose_clause: str  # purposes of exploitation
    minor_clause: str  # minors: no means needed
    consent_reference: str  # consent of an adult irrelevant once a means was used
    # The English source strings of the three Spanish texts above (complaints.rules.i18n).
    source_msgid: str
    minor_clause_msgid: str
    consent_reference_msgid: str
    purposes: frozenset[str]  # the purposes this text names
    aggravations: frozenset[str]  # the aggravating circumstances this text names

    def cite(self, clause: str) -> str:
        """'art. 153.3 del Código Penal, modificado por la Ley 30251'."""
        return f"art. {clause} del Código Penal, {self.source}"

    def covers(self, day: date) -> bool:
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)


_ALL_PURPOSES = frozenset(purpose.code for purpose in PURPOSES)
_ALL_AGGRAVATIONS = frozenset(aggravation.code for aggravation in AGGRAVATIONS)

LAW_28950_IN_FORCE = date(2007, 1, 17)

PE_2007 = LawProfile(
    code="PE-2007",
    law="Ley 28950",
    in_force_from=LAW_28950_IN_FORCE,
    in_force_until=date(2014, 10, 21),
    article="153",
    aggravated_article="153-A",
    source="Ley 28950",
    conduct_clause="153",
    purpose_clause="153",
    # Art. 153, second paragraph: a child or adolescent is a victim of trafficking even when
    # none of the means of the first paragraph was used.
    minor_clause="153, segundo párrafo,",
    # The text of Law 28950 has no consent clause: Palermo Protocol, art. 3(b) applies.
    consent_reference="Protocolo de Palermo, art. 3(b)",
    source_msgid=N_("Law 28950"),
    minor_clause_msgid=N_("153, second paragraph,"),
    consent_reference_msgid=N_("Palermo Protocol, art. 3(b)"),
    # "Cualquier otra forma análoga de explotación" came with Law 30251.
    purposes=_ALL_PURPOSES - {OTHER_ANALOGOUS_EXPLOITATION},
    # Pregnancy became an aggravation with Law 31146 (art. 129-B).
    aggravations=_ALL_AGGRAVATIONS - {"pregnant_victim"},
)

PE_2014 = LawProfile(
    code="PE-2014",
    law="Ley 30251",
    in_force_from=date(2014, 10, 22),
    in_force_until=date(2021, 3, 30),
    article="153",
    aggravated_article="153-A",
    source="modificado por la Ley 30251",
    conduct_clause="153.1",
    purpose_clause="153.2",
    minor_clause="153.3",
    consent_reference="art. 153.4 del Código Penal, modificado por la Ley 30251",
    source_msgid=N_("as amended by Law 30251"),
    minor_clause_msgid="153.3",
    consent_reference_msgid=N_("art. 153.4 of the Penal Code, as amended by Law 30251"),
    purposes=_ALL_PURPOSES,
    aggravations=_ALL_AGGRAVATIONS - {"pregnant_victim"},
)

PE_2021 = LawProfile(
    code="PE-2021",
    law="Ley 31146",
    in_force_from=date(2021, 3, 31),
    in_force_until=None,
    article="129-A",
    aggravated_article="129-B",
    source="incorporado por la Ley 31146",
    conduct_clause="129-A.1",
    purpose_clause="129-A.2",
    minor_clause="129-A.3",
    consent_reference="art. 129-A.4 del Código Penal, incorporado por la Ley 31146",
    source_msgid=N_("as inserted by Law 31146"),
    minor_clause_msgid="129-A.3",
    consent_reference_msgid=N_("art. 129-A.4 of the Penal Code, as inserted by Law 31146"),
    purposes=_ALL_PURPOSES,
    aggravations=_ALL_AGGRAVATIONS,
)

PROFILES: tuple[LawProfile, ...] = (PE_2007, PE_2014, PE_2021)
PROFILES_BY_CODE: dict[str, LawProfile] = {profile.code: profile for profile in PROFILES}


def profile_for_date(day: date) -> LawProfile:
    """The profile in force on ``day``; PE-2007 for facts before Law 28950 took effect."""
    for profile in PROFILES:
        if profile.covers(day):
            return profile
    return PE_2007  # before 17 Jan 2007: the engine adds the warning facts_before_law_28950


def get_profile(code: str) -> LawProfile:
    """The profile named ``code`` (``PE-2007``, ``PE-2014``, ``PE-2021``)."""
    try:
        return PROFILES_BY_CODE[code]
    except KeyError:
        known = ", ".join(PROFILES_BY_CODE)
        raise UnknownLawError(f"Perfil de ley desconocido: «{code}». Valores válidos: {known}.") from None
