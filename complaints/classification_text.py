"""A stored classification in the interface language.

The labels of outcomes, alerts, warnings and degrees go through gettext: English source strings
whose Spanish translations are the legal wording kept in complaints.rules.codes. The explanation
is stored in Spanish with the frozen record (the legal text the officer confirmed); a page in
English asks the rule engine to write it again, in English, from the same stored facts and law
(`explanation`). The English text is shown only when the engine, run again in Spanish, gives back
exactly the stored sentences; otherwise (a record explained by an older wording of the engine)
the stored Spanish is shown as it is. Legal terms stay Spanish in both languages (codes.py).
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language, gettext

from complaints.rules import RulesError, classify
from complaints.rules.codes import (
    ALERT_MSGIDS,
    DEGREE_LABEL_MSGIDS,
    OUTCOME_MSGIDS,
    WARNING_MSGIDS,
)
from complaints.rules.i18n import SPANISH
from complaints.services import complaint_facts

# The first sentence of the explanation says whether the law was forced, and when the date of the
# facts is unknown, on which day the law in force was taken (explanation.py).
_FORCED = "Por indicación expresa"
_LAW_ON = re.compile(r"la ley en vigor al (\d{2})/(\d{2})/(\d{4})\.$")


def outcome_label(code: str | None) -> str:
    msgid = OUTCOME_MSGIDS.get(code or "")
    return gettext(msgid) if msgid else (code or "")


def alert_label(code: str | None) -> str:
    msgid = ALERT_MSGIDS.get(code or "")
    return gettext(msgid) if msgid else ""


def warning_message(code: str) -> str:
    msgid = WARNING_MSGIDS.get(code)
    return gettext(msgid) if msgid else code


def degree_label(degree: Any) -> str:
    msgid = DEGREE_LABEL_MSGIDS.get(degree)
    return gettext(msgid) if msgid else ""


def _language() -> str:
    return (get_language() or SPANISH).split("-")[0]


def _classified_on(complaint: Any, first: str) -> datetime.date:
    found = _LAW_ON.search(first)
    if found:
        day, month, year = (int(part) for part in found.groups())
        return datetime.date(year, month, day)
    moment = complaint.submitted_at or complaint.created_at
    return timezone.localdate(moment) if moment else timezone.localdate()


def explanation(complaint: Any) -> list[str]:
    """The sentences of the stored explanation, in the interface language (see the module)."""
    stored = list((complaint.classification or {}).get("explanation") or [])
    language = _language()
    if not stored or language == SPANISH or complaint.pk is None:
        return stored  # a classification not yet stored (a review before the freeze) is shown as given
    law = complaint.law_profile or (complaint.classification or {}).get("law")
    forced = stored[0].startswith(_FORCED)
    options = {"law": law if forced else None, "today": _classified_on(complaint, stored[0])}
    try:
        facts = complaint_facts(complaint)
        if list(classify(facts, **options).explanation) != stored:
            return stored
    except RulesError:
        return stored
    return list(classify(facts, language=language, **options).explanation)
