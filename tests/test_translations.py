"""The Spanish catalog is complete and safe to use.

Spanish (Peru) is the default language of the interface, and the source strings are in English: a
string that is missing from `locale/es/LC_MESSAGES/django.po`, left empty or marked fuzzy shows up in
English to the officers. These tests fail as soon as `make messages` brings in a string that nobody
has translated yet; fill it in (without `#, fuzzy`) and run `make compilemessages`.

The catalog is read with the small parser below (no extra dependency). It understands what GNU
gettext writes: comments, flags, msgctxt, multi-line strings, plurals and obsolete (`#~`) entries.
"""

from __future__ import annotations

import contextlib
import gettext as gettext_module
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
ES_PO = LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
ES_MO = ES_PO.with_suffix(".mo")

# Translations that the browser tests and the documentation rely on word for word.
GLOSSARY = {
    "Use notice": "Aviso de uso",
    "User name": "Nombre de usuario",
    "Password": "Contraseña",
    "Sign in": "Ingresar",
    "Sign out": "Salir",
    "Language": "Idioma",
    "Change": "Cambiar",
    "Home": "Inicio",
    "Units": "Unidades",
    "Users": "Usuarios",
    "Audit": "Auditoría",
    "Audit trail": "Registro de auditoría",
    "My account": "Mi cuenta",
    "Welcome, %(name)s": "Bienvenido, %(name)s",
    "Your session expired. Please sign in again.": "Su sesión expiró. Ingrese nuevamente.",
    "This account is locked for %(minutes)s minutes after 5 failed attempts in a row. "
    "Try again later or ask a national administrator to release it.": (
        "Esta cuenta está bloqueada durante %(minutes)s minutos tras 5 intentos fallidos seguidos. "
        "Vuelva a intentarlo más tarde o pida a un administrador nacional que la desbloquee."
    ),
    "The user name or the password is not correct. Note that both fields may be case-sensitive.": (
        "El nombre de usuario o la contraseña no son correctos. "
        "Tenga en cuenta que ambos campos distinguen mayúsculas y minúsculas."
    ),
    "Station officer": "Oficial de comisaría",
    "Hotline operator": "Operador de la Línea 0800",
    "Regional investigator": "Investigador regional",
    "National investigator (DIVINTRAP)": "Investigador nacional (DIVINTRAP)",
    "National administrator": "Administrador nacional",
    "Monitor (human rights secretariat)": "Monitor (Secretaría de DDHH)",
    "Auditor": "Auditor",
    "Spanish": "Español",
    "English": "Inglés",
    "Verification code": "Código de verificación",
    "National": "Nacional",
}


# --------------------------------------------------------------------------------------------------
# A small PO parser
# --------------------------------------------------------------------------------------------------


@dataclass
class Entry:
    line: int  # line of the msgid, for error messages
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # index -> text; index 0 for a singular entry
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def is_plural(self) -> bool:
        return self.msgid_plural is not None

    def describe(self) -> str:
        where = self.references[0] if self.references else f"django.po:{self.line}"
        context = f" [context {self.msgctxt!r}]" if self.msgctxt is not None else ""
        return f"{self.msgid!r}{context} (line {self.line}, from {where})"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def _unquote(token: str, line_no: int) -> str:
    """The value of a C-style quoted string, as gettext writes them."""
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"django.po:{line_no}: expected a quoted string, got {token!r}")
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        char = body[i]
        if char == "\\" and i + 1 < len(body):
            out.append(_ESCAPES.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(text: str) -> list[Entry]:
    """Every active entry of a PO file (the header included, obsolete `#~` entries left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    pending_flags: set[str] = set()
    pending_refs: list[str] = []
    # Where the next continuation line ("...") goes: (attribute, plural index).
    target: tuple[str, int | None] | None = None

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            target = None
            continue
        if line.startswith("#~"):  # obsolete entry: not used by gettext
            finish()
            target = None
            continue
        if line.startswith("#"):
            # A comment after a complete entry starts the next one, even without a blank line.
            if current is not None and current.msgstr:
                finish()
                target = None
            if line.startswith("#,"):
                pending_flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            elif line.startswith("#:"):
                pending_refs.extend(line[2:].split())
            continue  # translator comments, extracted comments, previous msgids (#|)
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"django.po:{line_no}: continuation line outside an entry")
            value = _unquote(line, line_no)
            attribute, index = target
            if attribute == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, attribute, getattr(current, attribute) + value)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise ValueError(f"django.po:{line_no}: cannot read {raw!r}")
        keyword, index, token = match.group(1), match.group(2), match.group(3)
        value = _unquote(token, line_no)
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            finish()
            current = Entry(line=line_no, flags=pending_flags, references=pending_refs)
            pending_flags, pending_refs = set(), []
        if current is None:
            raise ValueError(f"django.po:{line_no}: {keyword} before msgid")
        if keyword == "msgctxt":
            current.msgctxt, target = value, ("msgctxt", None)
        elif keyword == "msgid":
            current.msgid, current.line, target = value, line_no, ("msgid", None)
        elif keyword == "msgid_plural":
            current.msgid_plural, target = value, ("msgid_plural", None)
        else:
            position = int(index) if index is not None else 0
            current.msgstr[position] = value
            target = ("msgstr", position)
    finish()
    return entries


def parse_header(entry: Entry) -> dict[str, str]:
    fields = {}
    for line in entry.msgstr.get(0, "").splitlines():
        name, _, value = line.partition(":")
        if name.strip():
            fields[name.strip()] = value.strip()
    return fields


# Python %-format placeholders (named or positional; %% is a literal percent sign) and str.format
# placeholders ({name}, {0}, {}; {{ and }} are literal braces).
_PERCENT = re.compile(
    r"%(?:%|(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa]))"
)
_BRACE = re.compile(r"\{\{|\}\}|\{(?P<field>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}")


def placeholders(text: str, entry: Entry) -> Counter:
    found: Counter = Counter()
    for match in _PERCENT.finditer(text):
        if match.group(0) != "%%":
            found[match.group(0)] += 1
    # Brace placeholders are checked where gettext flagged the string as brace-format, and wherever
    # the source text has something that looks like one (a literal "{" in prose is rare here).
    if "python-brace-format" in entry.flags or "{" in entry.msgid:
        for match in _BRACE.finditer(text):
            if match.group(0) not in ("{{", "}}"):
                found[match.group(0)] += 1
    return found


def _read_catalog() -> list[Entry]:
    if not ES_PO.exists():
        pytest.fail(f"{ES_PO} is missing: run `make messages` and translate it.")
    return parse_po(ES_PO.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def catalog() -> list[Entry]:
    return _read_catalog()


@pytest.fixture(scope="module")
def messages(catalog: list[Entry]) -> list[Entry]:
    return [entry for entry in catalog if not entry.is_header]


@pytest.fixture(scope="module")
def nplurals(catalog: list[Entry]) -> int:
    header = next((entry for entry in catalog if entry.is_header), None)
    assert header is not None, "django.po has no header entry"
    match = re.search(r"nplurals\s*=\s*(\d+)", parse_header(header).get("Plural-Forms", ""))
    assert match, "the header of django.po has no Plural-Forms"
    return int(match.group(1))


def _report(problems: list[str], what: str) -> str:
    return f"{len(problems)} {what} in {ES_PO.relative_to(LOCALE_DIR.parent)}:\n  " + "\n  ".join(problems)


# --------------------------------------------------------------------------------------------------
# The parser itself
# --------------------------------------------------------------------------------------------------


def test_parser_reads_multiline_plural_context_and_obsolete_entries() -> None:
    sample = r"""# header comment
#, fuzzy
msgid ""
msgstr ""
"Language: es\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

#: a.py:1
#, python-format
msgid ""
"Hello %(name)s,\n"
"\n"
"a \"quoted\" word"
msgstr ""
"Hola, %(name)s:\n"
"\n"
"una palabra \"citada\""

#: b.py:2
msgctxt "month"
msgid "May"
msgstr "Mayo"
#: c.py:3
#, fuzzy, python-format
msgid "%(n)s record"
msgid_plural "%(n)s records"
msgstr[0] "%(n)s registro"
msgstr[1] ""
"%(n)s registros"

#~ msgid "Old"
#~ msgstr "Viejo"
"""
    header, greeting, month, plural = parse_po(sample)
    assert header.is_header and "fuzzy" in header.flags
    assert parse_header(header) == {"Language": "es", "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    assert greeting.msgid == 'Hello %(name)s,\n\na "quoted" word'
    assert greeting.msgstr == {0: 'Hola, %(name)s:\n\nuna palabra "citada"'}
    assert greeting.references == ["a.py:1"] and greeting.flags == {"python-format"}
    assert (month.msgctxt, month.msgid, month.msgstr) == ("month", "May", {0: "Mayo"})
    assert plural.msgid_plural == "%(n)s records" and plural.flags == {"fuzzy", "python-format"}
    assert plural.msgstr == {0: "%(n)s registro", 1: "%(n)s registros"}
    assert placeholders("%(n)s of %d, 100%% {x} {{y}}", plural) == Counter({"%(n)s": 1, "%d": 1})
    brace = Entry(line=1, msgid="{username}", flags={"python-brace-format"})
    assert placeholders("Cuenta {username} ({{literal}})", brace) == Counter({"{username}": 1})


# --------------------------------------------------------------------------------------------------
# The Spanish catalog
# --------------------------------------------------------------------------------------------------


def test_header_is_complete(catalog: list[Entry], nplurals: int) -> None:
    header = next(entry for entry in catalog if entry.is_header)
    fields = parse_header(header)
    assert "fuzzy" not in header.flags, "remove `#, fuzzy` from the header of django.po"
    assert fields.get("Language") == "es"
    assert "charset=UTF-8" in fields.get("Content-Type", "")
    assert nplurals >= 2


def test_catalog_has_messages(messages: list[Entry]) -> None:
    assert len(messages) > 100, "django.po looks truncated: run `make messages`"
    keys = [(entry.msgctxt, entry.msgid) for entry in messages]
    duplicates = [key for key, count in Counter(keys).items() if count > 1]
    assert not duplicates, f"duplicate entries in django.po: {duplicates}"


def test_every_message_is_translated(messages: list[Entry], nplurals: int) -> None:
    problems = []
    for entry in messages:
        if entry.is_plural:
            expected = set(range(nplurals))
            if set(entry.msgstr) != expected:
                problems.append(
                    f"{entry.describe()}: has msgstr{sorted(entry.msgstr)}, needs msgstr[0..{nplurals - 1}]"
                )
            empty = sorted(index for index, text in entry.msgstr.items() if not text.strip())
            if empty:
                problems.append(f"{entry.describe()}: msgstr{empty} empty")
        elif set(entry.msgstr) != {0} or not entry.msgstr[0].strip():
            problems.append(entry.describe())
    assert not problems, _report(problems, "untranslated strings")


def test_no_message_is_fuzzy(messages: list[Entry]) -> None:
    problems = [entry.describe() for entry in messages if "fuzzy" in entry.flags]
    assert not problems, _report(problems, "fuzzy strings (check them, then remove `#, fuzzy`)")


def test_placeholders_are_kept(messages: list[Entry]) -> None:
    problems = []
    for entry in messages:
        for index, text in sorted(entry.msgstr.items()):
            if not text:
                continue  # reported by test_every_message_is_translated
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            wanted, got = placeholders(source, entry), placeholders(text, entry)
            # Every placeholder of the source must be kept, and no other may appear: an unknown
            # name raises KeyError when the string is formatted.
            allowed = wanted | placeholders(entry.msgid_plural or "", entry) | placeholders(entry.msgid, entry)
            missing = sorted((wanted - got).elements())
            unknown = sorted(set(got) - set(allowed))
            if missing or unknown:
                label = f"msgstr[{index}]" if entry.is_plural else "msgstr"
                details = []
                if missing:
                    details.append(f"missing {missing}")
                if unknown:
                    details.append(f"unknown {unknown}")
                problems.append(f"{entry.describe()} {label}: {', '.join(details)}")
    assert not problems, _report(problems, "placeholder mismatches")


def test_line_breaks_match(messages: list[Entry]) -> None:
    """msgfmt -c rejects a translation whose leading or trailing newline differs from the source."""
    problems = []
    for entry in messages:
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if text and (
                source.startswith("\n") != text.startswith("\n") or source.endswith("\n") != text.endswith("\n")
            ):
                problems.append(entry.describe())
    assert not problems, _report(problems, "strings whose leading/trailing line breaks differ")


def test_glossary_in_catalog(messages: list[Entry]) -> None:
    by_msgid = {entry.msgid: entry.msgstr.get(0) for entry in messages if entry.msgctxt is None}
    problems = [
        f"{source!r}: {by_msgid[source]!r} instead of {wanted!r}"
        for source, wanted in GLOSSARY.items()
        if source in by_msgid and by_msgid[source] != wanted
    ]
    assert not problems, _report(problems, "glossary terms translated differently")


# --------------------------------------------------------------------------------------------------
# The compiled catalog, as Django uses it
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def compiled_catalog(settings: Any) -> Iterator[Path]:
    """Compile locale/es when its .mo is missing or older than the .po, then reload translations."""
    if not ES_MO.exists() or ES_MO.stat().st_mtime < ES_PO.stat().st_mtime:
        from django.core.management import CommandError, call_command

        # compilemessages also walks the current directory for locale/ folders: run it from an
        # empty one so that only LOCALE_PATHS (this project's locale/) is compiled.
        try:
            with tempfile.TemporaryDirectory() as empty, contextlib.chdir(empty):
                call_command("compilemessages", locale=["es"], verbosity=0)
        except CommandError as error:
            pytest.fail(f"could not compile {ES_PO} ({error}): run `make compilemessages`")
        if not ES_MO.exists():
            pytest.fail(f"{ES_MO} is missing: run `make compilemessages`")
        # Forget any catalog read before the compilation (gettext caches the .mo files it opened).
        getattr(gettext_module, "_translations", {}).clear()
    # Reassigning LOCALE_PATHS makes Django drop its cached translations (setting_changed).
    settings.LOCALE_PATHS = [LOCALE_DIR]
    yield ES_MO


def test_gettext_uses_the_spanish_catalog(compiled_catalog: Path, messages: list[Entry]) -> None:
    from django.utils import translation

    sources = {entry.msgid for entry in messages if entry.msgctxt is None}
    with translation.override("es"):
        assert translation.gettext("Sign in") == "Ingresar"
        for source, wanted in GLOSSARY.items():
            if source in sources:  # a reworded source string is the business of its own tests
                assert translation.gettext(source) == wanted, source
        assert translation.gettext("Welcome, %(name)s") % {"name": "Ana"} == "Bienvenido, Ana"
        for count in (0, 1, 2, 5, 1_000_000) if "%(counter)s record" in sources else ():
            text = translation.ngettext("%(counter)s record", "%(counter)s records", count) % {"counter": count}
            assert text == (f"{count} registro" if count == 1 else f"{count} registros")
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
