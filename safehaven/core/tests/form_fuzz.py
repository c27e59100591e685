"""The form fuzzer's reading of pages: the post forms a page shows, with each field's kind,
options and limits, as a browser would post them. The values that fill them are in
``form_fuzz_values.py``, the world and the crawl in ``form_fuzz_world.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CHOICES = frozenset({"select", "radio", "checkbox"})
CSRF_FIELD = "csrfmiddlewaretoken"


@dataclass
class Field:
    name: str
    kind: str  # an input type, or "select", "textarea", "button"
    options: list[str] = field(default_factory=list)  # select, radio, checkbox, button values
    chosen: list[str] = field(default_factory=list)  # options selected or checked in the page
    value: str = ""
    required: bool = False
    multiple: bool = False
    maxlength: int | None = None
    minimum: str | None = None
    maximum: str | None = None


@dataclass
class Form:
    action: str  # a path (the query string dropped)
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)
    # Buttons that post the form elsewhere (``formaction``): each makes a form of its own.
    formactions: list[tuple[str, Field]] = field(default_factory=list)
    own_buttons: int = 0  # submit buttons that post to ``action``

    @property
    def has_file(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())

    def add(self, new: Field) -> None:
        known = self.fields.get(new.name)
        if known is None:
            self.fields[new.name] = new
            return
        # Several inputs of one name: a radio group, checkboxes, or several buttons.
        known.options.extend(option for option in new.options if option not in known.options)
        known.chosen.extend(new.chosen)
        known.required = known.required or new.required
        if new.kind == "checkbox" and known.kind == "checkbox":
            known.multiple = True


@dataclass
class FoundForm:
    route: str  # the URL name the form posts to
    role: str  # who posts it
    page: str  # the page that shows it ("" for a form declared by hand)
    form: Form
    why: str = ""  # for a form declared by hand: why no page of the fuzz world shows it


def as_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


class _FormParser(HTMLParser):
    """Every ``<form method="post">`` of a page, with the controls inside it (or naming it
    through a ``form`` attribute)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.by_id: dict[str, Form] = {}
        self.current: Form | None = None
        self.select: Field | None = None
        self.option: dict[str, str | None] | None = None
        self.textarea: Field | None = None

    def _target(self, attrs: dict[str, str | None]) -> Form | None:
        owner = attrs.get("form")
        return self.by_id.get(owner) if owner else self.current

    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attr_list)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = urlsplit(urljoin(self.page, attrs.get("action") or self.page)).path
            form = Form(action=action, enctype=attrs.get("enctype") or "")
            self.current = form if method == "post" else None
            if method == "post":
                self.forms.append(form)
                if attrs.get("id"):
                    self.by_id[attrs["id"] or ""] = form
            return
        target = self._target(attrs)
        name = attrs.get("name")
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if target is not None and tag in {"button", "input"} and kind in {"submit", "image"}:
            if attrs.get("formaction"):
                action = urlsplit(urljoin(self.page, attrs["formaction"] or "")).path
                value = attrs.get("value") or ""
                target.formactions.append(
                    (action, Field(name or "", "button", [value], value=value))
                )
                return
            target.own_buttons += 1
        if tag == "option" and self.select is not None:
            self.option = attrs
            if attrs.get("value") is not None:
                self._add_option(attrs["value"] or "")
            return
        if target is None or not name:
            return
        common = {
            "required": "required" in attrs,
            "maxlength": as_int(attrs.get("maxlength")),
            "minimum": attrs.get("min"),
            "maximum": attrs.get("max"),
        }
        if tag == "input":
            if kind in {"reset", "button"}:
                return
            value = attrs.get("value") or ("on" if kind in {"checkbox", "radio"} else "")
            if kind in {"submit", "image"}:
                kind = "button"
            options = [value] if kind in {"checkbox", "radio", "button"} else []
            chosen = [value] if "checked" in attrs else []
            target.add(Field(name, kind, options, chosen, value, **common))  # type: ignore[arg-type]
        elif tag == "button" and kind == "submit":
            value = attrs.get("value") or ""
            target.add(Field(name, "button", options=[value], value=value))
        elif tag == "select":
            self.select = Field(name, "select", multiple="multiple" in attrs, **common)  # type: ignore[arg-type]
            target.add(self.select)
        elif tag == "textarea":
            self.textarea = Field(name, "textarea", **common)  # type: ignore[arg-type]
            target.add(self.textarea)

    def _add_option(self, value: str) -> None:
        if self.select is None or self.option is None:
            return
        self.select.options.append(value)
        if "selected" in self.option:
            self.select.chosen.append(value)
        self.option = None

    def handle_data(self, data: str) -> None:
        if self.option is not None and self.select is not None:
            self._add_option(data.strip())
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self.option is not None and self.select is not None:
            self._add_option("")  # <option></option>: an empty value
        elif tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def as_shown(form: Form) -> list[tuple[bytes, bytes]]:
    """What a browser sends for the form as the page filled it (no button pressed)."""
    pairs = []
    for item in form.fields.values():
        if item.kind in {"select", "radio", "checkbox"}:
            chosen = item.chosen or (item.options[:1] if item.kind == "select" else [])
            pairs += [(item.name, value) for value in chosen]
        elif item.kind not in {"button", "file"}:
            pairs.append((item.name, item.value))
    return [(name.encode(), value.encode()) for name, value in pairs]


def post_forms(html: str, page: str) -> list[Form]:
    parser = _FormParser(page)
    parser.feed(html)
    parser.close()
    forms = []
    for form in parser.forms:
        # A form whose every button posts elsewhere is never posted to its own action.
        if form.own_buttons or not form.formactions:
            forms.append(form)
        for action, button in form.formactions:
            fields = {name: item for name, item in form.fields.items() if item.kind != "button"}
            if button.name:
                fields[button.name] = button
            forms.append(Form(action, form.enctype, fields))
    return forms
