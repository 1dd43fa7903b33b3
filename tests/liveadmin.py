"""A tiny browserless admin user for tests against running servers (urllib only)."""

import http.cookiejar
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class _FormFields(HTMLParser):
    """The values a browser would submit, for each POST form of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
            self.fields = []
            self.forms.append(self.fields)
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append(
                (name, a.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields.append((name, ""))
        elif tag == "select" and name:
            self._select = name
            self.fields.append((name, ""))
        elif tag == "option" and self._select and "selected" in a:
            self.fields[-1] = (self._select, a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:
                name, value = self.fields[-1]
                self.fields[-1] = (name, value.removeprefix("\n"))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def form_fields(html: str) -> dict[str, str]:
    """The fields of the page's main POST form (the one with most fields)."""
    parser = _FormFields()
    parser.feed(html)
    return dict(max(parser.forms, key=len, default=[]))


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

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
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
