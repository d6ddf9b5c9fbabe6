"""The engine's texts in Spanish and English, through gettext without Django.

Source strings are English (CONVENTIONS.md); the Spanish translations, in the legal wording of the
Penal Code, are entries of the project's catalogue (locale/es/LC_MESSAGES/django.po), read here
compiled with the standard library's ``gettext``: the engine stays pure Python. The explanation
stored with a complaint is written in Spanish (``SPANISH``, the default); a page in English asks
for it again in English (``translator("en")``).
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Callable
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
SPANISH = "es"
ENGLISH = "en"

Translate = Callable[[str], str]


@functools.cache
def translator(language: str = SPANISH) -> Translate:
    """The ``gettext`` of ``language`` over the project's compiled catalogue (the source English
    when there is none: ``compilemessages`` writes it, and ``make`` runs it first)."""
    catalogue = gettext.translation("django", LOCALE_DIR, languages=[language], fallback=True)
    return catalogue.gettext


def N_(message: str) -> str:  # noqa: N802 - the usual name of gettext's no-op marker
    """Marks a source string for the catalogues; translated where it is used."""
    return message
