"""The warnings of the review page (issue 10.2): what the form sees in a complaint about to be
registered that is allowed but probably incomplete. The rule engine's own warnings come with its
classification; these are the form's. None of them stops the registration: the officer reads
them and goes back to correct, or confirms."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils.translation import gettext as _

# A narrative shorter than this is probably not the whole account (issue 10.2: "shorter than a few
# sentences"): fewer sentences, or fewer characters.
NARRATIVE_MIN_SENTENCES = 3
NARRATIVE_MIN_CHARACTERS = 200
# Facts older than this are worth a second look at the date (timeliness statistics count from it).
FACTS_OLD_DAYS = 365
ADULT_AGE = 18

_SENTENCE_END = re.compile(r"[.!?…]+(?:\s|$)")


def sentence_count(text: str) -> int:
    """Sentences of a narrative: runs of text ended by . ! ? … (a last one without a stop counts)."""
    text = text.strip()
    if not text:
        return 0
    parts = [part for part in _SENTENCE_END.split(text) if part.strip()]
    return len(parts)


def form_warnings(data: Any, *, today: datetime.date) -> list[str]:
    """The form's warnings for `data` (a services.ComplaintData), in the user's language."""
    warnings = []
    if not data.conducts:
        warnings.append(_("No conduct was ticked: the facts cannot be classified as trafficking."))
    if not data.means:
        warnings.append(_("No means was ticked: for an adult victim, trafficking requires a means."))
    if not data.purposes:
        warnings.append(_("No purpose of exploitation was ticked."))
    narrative = data.narrative.strip()
    if sentence_count(narrative) < NARRATIVE_MIN_SENTENCES or len(narrative) < NARRATIVE_MIN_CHARACTERS:
        warnings.append(
            _(
                "The narrative is short (fewer than %(sentences)d sentences or %(characters)d characters): "
                "check that it tells who, what, when, where and how."
            )
            % {"sentences": NARRATIVE_MIN_SENTENCES, "characters": NARRATIVE_MIN_CHARACTERS}
        )
    if data.facts_date is not None and (today - data.facts_date).days > FACTS_OLD_DAYS:
        warnings.append(_("The facts are more than a year old: check the date of the facts."))
    for number, victim in enumerate(data.victims, start=1):
        if victim.age is not None and victim.minor is not None and (victim.age < ADULT_AGE) != victim.minor:
            warnings.append(
                _("Victim %(number)d: the age and the answer to “Minor?” contradict each other.") % {"number": number}
            )
    return warnings
