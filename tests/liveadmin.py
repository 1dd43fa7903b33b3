"""A tiny browserless admin user for tests against running servers (urllib only)."""

import http.cookiejar
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class FormParser(HTMLParser):
    """Every form's fields as a browser would submit them (inputs, textareas, selects)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.form: dict | None = None
        self.textarea: dict | None = None
        self.select: dict | None = None
        self.option: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = {
                "id": a.get("id", ""),
                "action": a.get("action", ""),
                "fields": [],
            }
            self.forms.append(self.form)
        if self.form is None or "disabled" in a:
            return
        fields = self.form["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "on")))
            elif kind == "submit":
                if a["name"] == "_save":
                    fields.append((a["name"], a.get("value", "")))
            elif kind not in ("button", "file", "image", "reset"):
                fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "text": []}
        elif tag == "select" and a.get("name"):
            self.select = {
                "name": a["name"],
                "multiple": "multiple" in a,
                "options": [],
            }
        elif tag == "option" and self.select is not None:
            self.option = {
                "value": a.get("value"),
                "selected": "selected" in a,
                "text": [],
            }
            self.select["options"].append(self.option)

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea["text"].append(data)
        elif self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.textarea["text"])
            # Browsers drop the one newline that follows <textarea> (Django writes it).
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.form["fields"].append((self.textarea["name"], text))
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None and self.form is not None:
            options = self.select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self.select["multiple"]:
                chosen = options[:1]
            for o in chosen:
                value = (
                    o["value"] if o["value"] is not None else "".join(o["text"]).strip()
                )
                self.form["fields"].append((self.select["name"], value))
            self.select = None
        elif tag == "form":
            self.form = None


def form_with(html: str, field: str) -> list[tuple[str, str]]:
    """The fields, as a browser would send them, of the page's form that has this field."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if any(name == field for name, _value in form["fields"]):
            return form["fields"]
    raise LookupError(f"no form with a {field!r} field in the page")


def form_fields(html: str) -> dict[str, str | list[str]]:
    """The fields of the page's main form (the one with most fields), as a dict; a
    name sent more than once (a multiple select) holds the list of its values."""
    parser = FormParser()
    parser.feed(html)
    main = max(
        parser.forms, key=lambda form: len(form["fields"]), default={"fields": []}
    )
    fields: dict[str, str | list[str]] = {}
    for name, value in main["fields"]:
        if name in fields:
            before = fields[name]
            fields[name] = (
                [*before, value] if isinstance(before, list) else [before, value]
            )
        else:
            fields[name] = value
    return fields


class AdminSession:
    """Signs in to a running site's admin and saves change forms, like an editor."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar)
        )

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.status, response.read().decode()

    def post(self, path: str, fields: dict[str, str | list[str]]) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.url

    def login(self, username: str, password: str) -> None:
        _status, html = self.get("/admin/login/")
        fields = form_fields(html) | {"username": username, "password": password}
        _status, url = self.post("/admin/login/?next=/admin/", fields)
        if url.rstrip("/").endswith("/admin/login"):
            raise AssertionError("admin sign-in failed")

    def change(self, path: str, **changes: str) -> str:
        """Save an admin change form with some fields changed; return where it led."""
        _status, html = self.get(path)
        fields = form_fields(html) | {"_save": "Save"} | changes
        _status, url = self.post(path, fields)
        return url
