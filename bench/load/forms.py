"""What a browser sends from a form: every field of an HTML page's forms with the value it shows
(hidden fields, CSRF token, formset management fields, checked boxes, selected options), read with
the standard library only (the Locust users run under gevent and import no Django)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class Form:
    def __init__(self, attrs: dict[str, str]) -> None:
        self.action = attrs.get("action") or ""
        self.method = (attrs.get("method") or "get").lower()
        self.id = attrs.get("id") or ""
        self.fields: list[tuple[str, str]] = []
        self.options: dict[str, list[str]] = {}  # radio and select choices, by name

    def values(self, **changes: Any) -> list[tuple[str, str]]:
        """The fields as sent, with `changes` replacing (a list: several values) or adding fields."""
        sent = [(name, value) for name, value in self.fields if name not in changes]
        for name, value in changes.items():
            if value is None:
                continue
            for item in value if isinstance(value, list | tuple) else [value]:
                sent.append((name, str(item)))
        return sent

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: dict[str, str] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attrs_list}
        if tag == "form":
            self._form = Form(attrs)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                form.options.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
                return
            form.fields.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            self._option = attrs
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def _close_option(self) -> None:
        if self._option is None or self._form is None or self._select is None:
            return
        value = self._option.get("value", "".join(self._text).strip())
        self._form.options.setdefault(self._select, []).append(value)
        if self._select_first is None:
            self._select_first = value
        if "selected" in self._option:
            self._form.fields.append((self._select, value))
            self._select_chosen = True
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            if not self._select_chosen and self._select_first is not None and self._form is not None:
                self._form.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms


def post_form(html: str, *, having: str = "csrfmiddlewaretoken", form_id: str = "", action: str = "") -> Form:
    """The page's POST form: the one with id `form_id`, else whose action contains `action`, else
    the first POST form that has a field `having` and is not the sign-out or language form."""
    forms = [form for form in forms_of(html) if form.method == "post"]
    for form in forms:
        if form_id and form.id == form_id:
            return form
        if action and action in form.action:
            return form
    if not form_id and not action:
        for form in forms:
            if form.value(having) is not None and not any(part in form.action for part in ("/salir/", "/idioma/")):
                return form
    raise LookupError(f"no POST form (id={form_id!r}, action={action!r}) on the page")


def csrf_token(html: str) -> str:
    for form in forms_of(html):
        token = form.value("csrfmiddlewaretoken")
        if token:
            return token
    raise LookupError("no CSRF token on the page")
