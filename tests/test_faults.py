"""Real servers broken on purpose: Redis and PostgreSQL stop while the site is in use.

One throwaway PostgreSQL, one Redis and two gunicorn app servers sharing them, started
once for the module by ``bench/servers.py`` (as `make loadtest` does), whatever
database the rest of the suite runs on. The tests run in order, on the same servers:

1. Redis stops during a stream of requests (pages, searches, explainer answers) to both
   app servers, and starts again: no request answers 5xx, and caching resumes.
2. PostgreSQL stops: pages already cached are still served, others answer the 503
   page in the reader's language with Retry-After, an admin save is refused with the
   editor's text given back; PostgreSQL starts again: everything answers, the edit
   saved before the outage is still there, and sending the refused save again works.
"""

import threading
import time
import urllib.parse

import pytest

from bench.servers import ADMIN_USER, ServerError, Stack, find_tool, http_get
from tests.helpers import page_language, region
from tests.liveadmin import FormParser, form_fields

# Pages, searches and explainer answers in both languages, as families ask for them.
STREAM = [
    "/en/",
    "/fr/",
    "/en/treatments/surgery/",
    "/fr/traitements/chirurgie/",
    "/en/search/?q=chemotherapy",
    "/fr/recherche/?q=moelle+osseuse",
    "/en/response-to-treatment/explainer/?new_spots=no&size_change=smaller"
    "&size_percent=40&scan_clear=yes&marrow_clear=yes",
    "/fr/reponse-au-traitement/explication/?new_spots=yes",
]
# Pages nobody asks for before the database outage, so not in the page cache then.
UNCACHED = {
    "en": "/en/treatments/chemotherapy/",
    "fr": "/fr/traitements/chimiotherapie/",
}
OUTAGE = {
    "en": ("Temporarily unavailable", "Your changes were not saved."),
    "fr": (
        "Temporairement indisponible",
        "Vos modifications n’ont pas été enregistrées.",
    ),
}


@pytest.fixture(scope="module")
def site():
    """PostgreSQL, Redis and two app servers (one worker each) sharing them."""
    if find_tool("redis-server") is None:
        raise ServerError("redis-server is not installed (make test installs it)")
    stack = Stack("faults")
    try:
        stack.start_postgres()
        stack.start_redis()
        stack.base_env["DJANGO_LOG_LEVEL"] = "WARNING"
        stack.prepare_site(superuser=True)
        ports = [stack.start_gunicorn(name, workers=1) for name in ("app-a", "app-b")]
        yield stack, ports
    finally:
        stack.stop()


def get(port: int, path: str, language: str = "") -> tuple[int, dict, str]:
    headers = {"Accept-Language": language} if language else {}
    status, found, body = http_get("127.0.0.1", port, path, headers, timeout=20)
    return status, found, body.decode("utf-8", "replace")


class Editor:
    """A browser in the admin of one app server: cookies, forms, no redirects."""

    def __init__(self, port: int, language: str) -> None:
        self.port, self.language = port, language
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None
    ) -> tuple[int, dict, str]:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "localhost", "Accept-Language": self.language}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _eq, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return (
                response.status,
                dict(response.getheaders()),
                response.read().decode("utf-8", "replace"),
            )
        finally:
            conn.close()

    def sign_in(self, password: str) -> None:
        status, _h, html = self.request("GET", "/admin/login/")
        assert status == 200
        fields = form_fields(html) | {"username": ADMIN_USER, "password": password}
        status, headers, _b = self.request(
            "POST", "/admin/login/?next=/admin/", list(fields.items())
        )
        assert status == 302 and "sessionid" in self.cookies, (status, headers)

    def change_form(self, path: str) -> list[tuple[str, str]]:
        status, _h, html = self.request("GET", path)
        assert status == 200, status
        parser = FormParser()
        parser.feed(html)
        return max(parser.forms, key=lambda form: len(form["fields"]))["fields"]


def _changed(fields: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    return [(n, changes.get(n, v)) for n, v in fields] + [("_save", "Save")]


class Stream(threading.Thread):
    """Requests in a loop to both app servers until told to stop: (time, path, status)."""

    def __init__(self, ports: list[int], offset: int) -> None:
        super().__init__(daemon=True)
        self.ports, self.offset = ports, offset
        self.results: list[tuple[float, str, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        i = self.offset
        while not self.done.is_set():
            path = STREAM[i % len(STREAM)]
            port = self.ports[i % len(self.ports)]
            try:
                status = get(port, path)[0]
            except OSError as error:  # a refused or dropped connection counts too
                status = 599
                self.results.append((time.monotonic(), f"{path} {error}", status))
                continue
            self.results.append((time.monotonic(), path, status))
            i += 1


def _redis_keys(stack: Stack) -> int:
    from bench.servers import run, tool

    out = run(
        [tool("redis-cli"), "-h", "127.0.0.1", "-p", str(stack.redis_port), "dbsize"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return int(out.stdout.strip())


def test_redis_stops_and_starts_during_requests_and_no_page_fails(site):
    stack, ports = site
    for path in STREAM:
        for port in ports:
            assert get(port, path)[0] == 200, path
    streams = [Stream(ports, offset) for offset in range(3)]
    for stream in streams:
        stream.start()
    time.sleep(1)
    port = stack.stop_redis()
    down = time.monotonic()
    time.sleep(3)
    up = time.monotonic()
    stack.start_redis(port)
    time.sleep(1.5)
    for stream in streams:
        stream.done.set()
    for stream in streams:
        stream.join(timeout=30)
    results = [r for stream in streams for r in stream.results]
    during = [r for r in results if down <= r[0] <= up]
    failed = [(path, status) for _t, path, status in results if status >= 500]
    assert len(during) >= 5, f"only {len(during)} requests while Redis was down"
    assert not failed, f"{len(failed)} of {len(results)} answered 5xx: {failed[:5]}"

    # Redis came back empty; the app servers cache in it again, with no restart.
    for path in STREAM[:4]:
        for port in ports:
            assert get(port, path)[0] == 200
    assert _redis_keys(stack) > 0, "nothing was cached after Redis came back"


def test_postgresql_stops_then_starts_and_no_edit_is_lost(site):
    stack, (a, b) = site
    pk = stack.manage(
        "shell",
        "-c",
        "from neuroinfo.models import Treatment; "
        "print(Treatment.objects.get(key='surgery').pk)",
    ).split()[-1]
    change = f"/admin/neuroinfo/treatment/{pk}/change/"
    editor = Editor(a, "fr")
    editor.sign_in(stack.admin_password)
    # An edit saved before the outage.
    before = "Chirurgie (enregistré avant la panne)"
    fields = editor.change_form(change)
    status, headers, _b = editor.request(
        "POST", change, _changed(fields, title_fr=before)
    )
    assert status == 302, status
    fields = editor.change_form(change)  # the form the editor has open
    for language in ("en", "fr"):
        assert get(b, f"/{language}/")[0] == 200  # now in the page cache

    stack.stop_postgres()
    try:
        # Cached pages are still served by both servers; a page not in the cache is
        # built from the outline b holds (it built the home pages after the edit).
        for port in (a, b):
            for language in ("en", "fr"):
                status, _h, html = get(port, f"/{language}/")
                assert status == 200 and 'class="main__title"' in html
        for language, path in UNCACHED.items():
            status, _h, html = get(b, path, "en")
            assert status == 200 and 'class="main__title"' in html, (path, status)
            assert page_language(html) == language
        # Another change, as if saved just before the outage: no outline is current,
        # so a page not in the cache is the 503 page, in each language.
        stack.manage(
            "shell",
            "-c",
            "from django.core.cache import cache; "
            "from neuroinfo import generation_feed; "
            "cache.set('neuroinfo:generation', 'moved.0', None); "
            "generation_feed.announce('moved.0')",
        )
        for port in (a, b):
            for language, path in UNCACHED.items():
                status, headers, html = get(port, path, "en")
                _assert_outage(stack, status, headers, html, language)
        status, headers, html = get(a, "/sitemap.xml", "fr-CA,fr;q=0.9")
        _assert_outage(stack, status, headers, html, "fr")
        assert get(a, "/healthz")[0] == 503

        # The admin save is refused with a message, and the typed text comes back.
        during = "Surgery (typed during the outage)"
        status, headers, html = editor.request(
            "POST", change, _changed(fields, title_en=during)
        )
        _assert_outage(stack, status, headers, html, "fr")
        assert OUTAGE["fr"][1] in html
        parser = FormParser()
        parser.feed(region(html, "outage-resend"))
        (resend,) = parser.forms
        assert resend["action"] == change
        assert ("title_en", during) in resend["fields"]
        assert any(name == "csrfmiddlewaretoken" for name, _v in resend["fields"])
    finally:
        stack.resume_postgres()

    # Everything answers again, on both servers, with no restart.
    for port in (a, b):
        assert get(port, "/healthz")[0] == 200
        for path in UNCACHED.values():
            assert get(port, path)[0] == 200
    # Nothing of the refused save was written; the earlier edit is still there.
    assert during not in get(b, "/en/treatments/surgery/")[2]
    assert before in get(b, "/fr/traitements/chirurgie/")[2]
    # "Try saving again" sends the same fields, and now the save goes through.
    status, _h, _b = editor.request("POST", resend["action"], resend["fields"])
    assert status == 302, status
    assert during in get(b, "/en/treatments/surgery/")[2]
    assert before in get(a, "/fr/traitements/chirurgie/")[2]


def _assert_outage(stack: Stack, status: int, headers: dict, html: str, language: str):
    assert status == 503, (status, html[:300])
    assert headers.get("Retry-After", "").isdigit()
    assert page_language(html) == language
    assert OUTAGE[language][0] in html
    secret = stack.base_env["DJANGO_SECRET_KEY"]
    for leak in ("Traceback", "OperationalError", "psycopg", "postgres", secret):
        assert leak not in html
