#!/usr/bin/env python3
"""Write fixtures/ubigeo/name_corrections.csv: the accents the UBIGEO source lost (a developer tool).

    python tools/build_name_corrections.py [--source DIR] > fixtures/ubigeo/name_corrections.csv

A word of a place's name (fixtures/ubigeo/*.json) gets its accent when
- "orthography": it is in CURATED, Spanish words and names that always carry it (RAE), or else
- "capital": the source's own capitals (column `capital`, which kept its accents) spell that word
  with an accent.
See fixtures/ubigeo/NAME_CORRECTIONS.md. The output is reviewed by hand before it is committed.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CURATED = """Convención Asunción Simón Asís Gálvez Valcárcel Piérola Martín María José Jesús Andrés Nicolás
Cristóbal Jerónimo Ramón Fermín Río Perú Unión Cáceres Bolívar Lucía Rodríguez Sánchez López Márquez Chávez
Túpac Guzmán Román Ático Héroes Dámaso Elías Carrión Barrón César Albarracín Beraún Soplín Colán"""


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).upper()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, default=Path("/work/shared/data/ubigeo"))
    args = parser.parse_args()
    vocabulary: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for level in ("departamento", "provincia", "distrito"):
        with (args.source / f"ubigeo_{level}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for word in re.findall(r"[^\W\d_]+", row["capital"]):
                    vocabulary[fold(word)][word] += 1
    curated = {fold(word): word for word in CURATED.split()}
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "name_in_source", "corrected_name", "source"])
    for kind in ("departments", "provinces", "districts"):
        rows = json.loads((ROOT / "fixtures" / "ubigeo" / f"{kind}.json").read_text(encoding="utf-8"))
        for row in rows:
            name = row["display_name"]
            words, sources = [], set()
            for word in re.split(r"(\W+)", name):
                key = fold(word)
                plain = word.isalpha() and key.capitalize() == word.capitalize()
                replacement = None
                if plain and key in curated and curated[key] != word:
                    replacement = curated[key]
                    sources.add("orthography")
                elif plain:
                    accented = [v for v in vocabulary.get(key, {}) if fold(v) != v.upper()]
                    if accented:
                        replacement = max(accented, key=lambda v: vocabulary[key][v]).capitalize()
                        sources.add("capital")
                if replacement is None:
                    words.append(word)
                else:
                    words.append(replacement if word[0].isupper() else replacement.lower())
            fixed = "".join(words)
            if fixed != name:
                writer.writerow([row["code"], name, fixed, "+".join(sorted(sources))])


if __name__ == "__main__":
    main()
