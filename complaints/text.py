"""Text normalisation for search: case and accents do not matter ("Quispe" finds "QUISPE",
"Maria" finds "María")."""

from __future__ import annotations

import unicodedata


def normalise(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.casefold().split())
