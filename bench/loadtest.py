"""`make loadtest`: 60 s at 64 connections over every public page, with an editor at work.

The production topology on loopback: nginx (deploy/nginx.conf, HTTPS, micro-cache) in
front of gunicorn (2 workers) with Redis as the shared cache and PostgreSQL when it is
installed (SQLite otherwise), run with the production settings of README "Production"
(DJANGO_BEHIND_TLS_PROXY=1, HTTPS redirect and secure cookies on).

wrk rotates through every public page in both languages, a few searches in each
(with and without accents, a plural, one that finds nothing: SEARCHES) and a few
explainer answers in each (EXPLAINERS: complete, partial, sizes to compute from, the
reader's own decimal separator). While wrk runs, an editor signs in to the admin,
changes a treatment's English title through its change form, checks the next response
from gunicorn shows it at once (and nginx within its micro-cache lifetime) and that a
search for the new title finds the page (the search index is rebuilt after the change),
then restores the title the same way.

Then the fault phase: once the editor is done (LOADTEST_FAULT_AT, 40 s, at the earliest)
Redis, the shared cache, stops and starts again LOADTEST_FAULT_SECONDS (5 s) later. While it is down, two more wrk runs
over the same mix measure what readers get: one through nginx, one straight to
gunicorn (no micro-cache in front: every page built from the database); once Redis is
back, the app must cache in it again with no restart.

Exit status: 0 only with zero socket errors, zero non-2xx/3xx responses (so zero 5xx)
in every wrk run, the editor's change visible and caching resumed after the fault.
Options: LOADTEST_SECONDS (60), LOADTEST_CONNECTIONS (64), LOADTEST_EDIT_AT (20 s after
the start), LOADTEST_FAULT_AT (40), LOADTEST_FAULT_SECONDS (5), BENCH_DB (auto /
postgres / sqlite).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The project first, so `tests` is this project's (textstat installs a package of that name).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from servers import (
    ADMIN_USER,
    HOST,
    LOOPBACK,
    ServerError,
    Stack,
    http_get,
    https_get,
    log,
    popen,
    require_tools,
    run,
    run_script,
    tls_context,
    tool,
)

from tests.liveadmin import form_with

SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "64"))
THREADS = 2
EDIT_AT = float(os.environ.get("LOADTEST_EDIT_AT", "20"))
FAULT_AT = float(os.environ.get("LOADTEST_FAULT_AT", "40"))
FAULT_SECONDS = int(os.environ.get("LOADTEST_FAULT_SECONDS", "5"))
SHARED_MAX_AGE = 5  # the app's s-maxage, which nginx honours (read from the page)
# Queries families might type, per language: accents or none, plurals, a miss.
SEARCHES = {
    "en": ["chemotherapy", "surgeries", "MIBG scan", "side effects", "xylophone"],
    "fr": [
        "chimiothérapie",
        "chimiotherapie",
        "traitements",
        "moelle osseuse",
        "xylophone",
    ],
}

# Explainer answers, per language: everything answered, one finding only, sizes the page
# computes the change from, numbers written the reader's way (« 12,5 » in French).
EXPLAINERS = {
    "en": [
        "new_spots=no&size_change=smaller&size_percent=40&scan_clear=yes"
        "&marrow_clear=yes&marrow_new_cells=no",
        "new_spots=yes",
        "size_change=smaller&size_before=50&size_after=20&primary_mm=8&nodes_mm=5",
    ],
    "fr": [
        "new_spots=no&size_change=smaller&size_percent=40&scan_clear=yes"
        "&marrow_clear=yes&marrow_new_cells=no",
        "size_change=larger&size_percent=12%2C5&score_change=higher",
        "size_change=smaller&size_before=50&size_after=20&primary_mm=8%2C5",
    ],
}

# Every thread walks the page list from its own offset; counts come back per thread.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  i = offset * 7
  fivexx = 0
  bad = 0
  codes = {}
  cache = {}
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end

function response(status, headers, body)
  if status >= 500 then fivexx = fivexx + 1 end
  if status < 200 or status >= 400 then bad = bad + 1 end
  codes[status] = (codes[status] or 0) + 1
  local c = headers["X-Cache-Status"] or "none"
  cache[c] = (cache[c] or 0) + 1
end

local function merge(into, from)
  for k, v in pairs(from) do into[tostring(k)] = (into[tostring(k)] or 0) + v end
end

local function encode(t)
  local parts = {}
  for k, v in pairs(t) do table.insert(parts, string.format('"%%s":%%d', k, v)) end
  return "{" .. table.concat(parts, ",") .. "}"
end

function done(summary, latency, requests)
  local total5, totalbad, codes_all, cache_all = 0, 0, {}, {}
  for _, t in ipairs(threads) do
    total5 = total5 + t:get("fivexx")
    totalbad = totalbad + t:get("bad")
    merge(codes_all, t:get("codes"))
    merge(cache_all, t:get("cache"))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%%d,"duration_us":%%d,"bytes":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"status":%%d,"timeout":%%d,"p50_us":%%d,"p90_us":%%d,"p99_us":%%d,' ..
    '"max_us":%%d,"fivexx":%%d,"bad":%%d,"codes":%%s,"cache":%%s}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write,
    e.status, e.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, total5, totalbad, encode(codes_all),
    encode(cache_all)))
end
"""


# --- the editor: a tiny browser for the admin --------------------------------------------
class Browser:
    """HTTPS to nginx with a cookie jar, CSRF headers like a browser's, no redirects."""

    def __init__(self, port: int, cert: Path) -> None:
        self.port = port
        self.context = tls_context(cert)
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        form: list[tuple[str, str]] | None = None,
        referer: str | None = None,
    ) -> tuple[int, dict, str]:
        conn = http.client.HTTPSConnection(
            LOOPBACK, self.port, timeout=60, context=self.context
        )
        headers = {"Host": f"{HOST}:{self.port}", "User-Agent": "neuroinfo-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.getheaders()), text
        finally:
            conn.close()


class Editor(threading.Thread):
    """Signs in, changes a treatment's English title, checks it shows, restores it."""

    def __init__(self, stack: Stack, app: int, nginx: int, item: dict) -> None:
        super().__init__(name="editor", daemon=True)
        self.stack, self.app, self.nginx, self.item = stack, app, nginx, item
        self.browser = Browser(nginx, stack.cert)
        self.lines: list[str] = []
        self.ok = False

    def note(self, message: str) -> None:
        stamp = time.monotonic() - self.started
        self.lines.append(f"  [{stamp + EDIT_AT:5.1f} s] {message}")

    def run(self) -> None:
        self.started = time.monotonic()
        try:
            self.ok = self.edit()
        except Exception as error:  # the report says what went wrong, whatever it was
            self.note(f"FAILED: {type(error).__name__}: {error}")
            self.ok = False

    def sign_in(self) -> None:
        status, _h, html = self.browser.request("GET", "/admin/login/?next=/admin/")
        if status != 200:
            raise ServerError(f"admin login page answered {status}")
        fields = dict(form_with(html, "csrfmiddlewaretoken"))
        form = [
            ("csrfmiddlewaretoken", fields["csrfmiddlewaretoken"]),
            ("username", ADMIN_USER),
            ("password", self.stack.admin_password),
            ("next", "/admin/"),
        ]
        status, headers, _body = self.browser.request(
            "POST", "/admin/login/?next=/admin/", form
        )
        if status != 302 or "sessionid" not in self.browser.cookies:
            raise ServerError(f"sign-in answered {status}, not 302 with a session")
        self.note(
            f"signed in to the admin as {ADMIN_USER} (302 to {headers.get('Location')})"
        )

    def set_title(self, title: str) -> None:
        path = f"/admin/neuroinfo/treatment/{self.item['pk']}/change/"
        status, _h, html = self.browser.request("GET", path)
        if status != 200:
            raise ServerError(f"change form answered {status}")
        fields = form_with(html, "title_en")
        form = [
            (name, title if name == "title_en" else value) for name, value in fields
        ]
        started = time.monotonic()
        status, _h, html = self.browser.request("POST", path, form)
        took = (time.monotonic() - started) * 1000
        if status != 302:
            errors = re.findall(
                r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S
            )
            raise ServerError(f"saving the change form answered {status}: {errors[:3]}")
        self.note(
            f"saved title_en = {title!r} through the change form: 302 in {took:.0f} ms"
        )

    def page_direct(self) -> str:
        # As nginx would send it: the app redirects plain HTTP to HTTPS otherwise.
        status, _h, body = http_get(
            LOOPBACK, self.app, self.item["url"], headers={"X-Forwarded-Proto": "https"}
        )
        if status != 200:
            raise ServerError(f"{self.item['url']} from gunicorn answered {status}")
        return body.decode()

    def search_direct(self, query: str) -> str:
        path = f"{self.item['search']}?{urllib.parse.urlencode({'q': query})}"
        status, _h, body = http_get(
            LOOPBACK, self.app, path, headers={"X-Forwarded-Proto": "https"}
        )
        if status != 200:
            raise ServerError(f"{path} from gunicorn answered {status}")
        return body.decode()

    def page_nginx(self) -> str:
        status, _h, body = https_get(self.nginx, self.item["url"], self.stack.cert)
        if status != 200:
            raise ServerError(f"{self.item['url']} through nginx answered {status}")
        return body.decode()

    def wait_nginx(self, present: str | None, absent: str | None) -> float | None:
        """Seconds until nginx serves the page with/without a text; None past the bound
        (the micro-cache lifetime, plus 3 s for the refresh from a busy app)."""
        started = time.monotonic()
        bound = SHARED_MAX_AGE + 3
        while time.monotonic() - started <= bound:
            body = self.page_nginx()
            if (present is None or present in body) and (
                absent is None or absent not in body
            ):
                return time.monotonic() - started
            time.sleep(0.2)
        return None

    def check(self, label: str, present: str | None, absent: str | None) -> bool:
        body = self.page_direct()
        direct = (present is None or present in body) and (
            absent is None or absent not in body
        )
        self.note(f"next response from gunicorn {label}: {'yes' if direct else 'NO'}")
        waited = self.wait_nginx(present, absent)
        if waited is None:
            self.note(f"through nginx {label}: NO, not within {SHARED_MAX_AGE + 3} s")
        else:
            self.note(
                f"through nginx {label}: yes, after {waited:.1f} s (micro-cache "
                f"lifetime {SHARED_MAX_AGE} s, then one refresh from the app)"
            )
        return direct and waited is not None

    def found(self, label: str, marker: str, expected: bool) -> bool:
        """Whether a search from gunicorn finds the item by its title's marker, as it
        should just after the change (the index is rebuilt, never stale)."""
        body = self.search_direct(marker)
        hit = f'href="{self.item["url"]}"' in body and "search-results" in body
        self.note(
            f"search from gunicorn for {marker!r} {label}: {'yes' if hit == expected else 'NO'}"
        )
        return hit == expected

    def edit(self) -> bool:
        self.sign_in()
        original = self.item["title"]
        marker = f"loadtest-{secrets.token_hex(3)}"
        self.set_title(f"{original} {marker}")
        changed = self.check("shows the new title", marker, None)
        changed = self.found("finds the page", marker, True) and changed
        self.set_title(original)
        restored = self.check("shows the title restored", original, marker)
        restored = self.found("no longer finds it", marker, False) and restored
        return changed and restored


class Fault(threading.Thread):
    """Stops Redis at FAULT_AT, measures what readers get while it is down (wrk through
    nginx, and straight to gunicorn), starts it again and checks caching resumes."""

    def __init__(
        self, stack: Stack, app: int, nginx: int, script: Path, t0: float
    ) -> None:
        super().__init__(name="fault", daemon=True)
        self.stack, self.app, self.nginx, self.script = stack, app, nginx, script
        self.t0 = t0  # when wrk started
        self.lines: list[str] = []
        self.runs: dict[str, dict] = {}
        self.resumed = False
        self.error = ""

    def note(self, message: str) -> None:
        stamp = time.monotonic() - self.t0
        self.lines.append(f"  [{stamp:5.1f} s] {message}")

    def probe(self, target: str) -> subprocess.Popen:
        """wrk for the outage's length over the same mix, through nginx or to the app."""
        if target == "nginx":
            url, connections = f"https://{LOOPBACK}:{self.nginx}/", 16
            headers = ["-H", f"Host: {HOST}"]
        else:  # as nginx would send it (the app redirects plain HTTP otherwise)
            url, connections = f"http://{LOOPBACK}:{self.app}/", 4
            headers = ["-H", f"Host: {HOST}", "-H", "X-Forwarded-Proto: https"]
        return popen(
            [
                tool("wrk"),
                "-t1",
                f"-c{connections}",
                f"-d{FAULT_SECONDS}s",
                "--timeout",
                "10s",
                "--latency",
                *headers,
                "-s",
                str(self.script),
                url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def cached_keys(self) -> int:
        out = run(
            [
                tool("redis-cli"),
                "-h",
                LOOPBACK,
                "-p",
                str(self.stack.redis_port),
                "dbsize",
            ],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return int(out.stdout.strip() or 0) if out.returncode == 0 else -1

    def run(self) -> None:
        try:
            self.fault()
        except Exception as error:  # the report says what went wrong, whatever it was
            self.error = f"{type(error).__name__}: {error}"
            self.note(f"FAILED: {self.error}")

    def fault(self) -> None:
        port = self.stack.stop_redis()
        self.note(f"Redis stopped (redis-cli shutdown); {FAULT_SECONDS} s outage")
        probes = {target: self.probe(target) for target in ("nginx", "app")}
        for target, proc in probes.items():
            stdout, stderr = proc.communicate(timeout=FAULT_SECONDS + 60)
            if proc.returncode != 0:
                raise ServerError(f"wrk ({target}) failed:\n{stdout}\n{stderr}")
            self.runs[target] = wrk_json(stdout)
        self.stack.start_redis(port)
        self.note(f"Redis started again on port {port} (empty: it saves nothing)")
        for _attempt in range(50):  # the next page builds store themselves again
            http_get(
                LOOPBACK,
                self.app,
                "/en/",
                headers={"X-Forwarded-Proto": "https"},
            )
            keys = self.cached_keys()
            if keys > 0:
                self.resumed = True
                self.note(f"caching resumed: {keys} keys in Redis, no app restart")
                return
            time.sleep(0.1)
        self.note("caching did NOT resume: Redis still empty after 50 requests")


def editable_fields(stack: Stack, pk: int) -> dict[str, str]:
    """Every field of the treatment an editor can change (what a form round trip could
    damage), as text; bookkeeping the app keeps itself (timestamps, hashes) is left out.
    """
    out = stack.manage(
        "shell",
        "-c",
        "import json\n"
        "from neuroinfo.models import Treatment\n"
        f"t = Treatment.objects.get(pk={int(pk)})\n"
        # An empty text is the same whether stored as '' or NULL (the admin form stores
        # NULL in nullable translated fields where load_content wrote '').
        "def text(v): return '' if v in (None, '') else repr(v)\n"
        "print('FIELDS', json.dumps({f.attname: text(getattr(t, f.attname)) for f in "
        "Treatment._meta.concrete_fields if f.editable and not "
        "getattr(f, 'auto_now', False)}))",
    )
    found = re.search(r"^FIELDS (.*)$", out, re.MULTILINE)
    if not found:
        raise ServerError(f"could not read the treatment back:\n{out}")
    return json.loads(found.group(1))


def wrk_json(stdout: str) -> dict:
    found = re.search(r"^WRKJSON (\{.*\})$", stdout, re.MULTILINE)
    if not found:
        raise ServerError(f"wrk printed no report:\n{stdout}")
    return json.loads(found.group(1))


def main() -> int:
    require_tools("wrk", "nginx", "redis-server", "openssl")
    failures: list[str] = []
    with Stack("loadtest") as stack:
        stack.start_redis()
        database = stack.start_database()
        stack.prepare_site(superuser=True)
        https = stack.nginx_ports["https"]
        production = {
            "DJANGO_SECURE_SSL_REDIRECT": "1",
            "DJANGO_SECURE_COOKIES": "1",
            "DJANGO_BEHIND_TLS_PROXY": "1",
            "DJANGO_TRUSTED_PROXIES": "127.0.0.1",  # the nginx in front
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}:{https}",
        }
        app = stack.start_gunicorn("gunicorn", workers=2, **production)
        stack.start_nginx([app])

        listing = stack.manage(
            "shell",
            "-c",
            "import json\n"
            "from django.urls import reverse\n"
            "from django.utils.translation import override\n"
            "from neuroinfo import guide, links\n"
            "from neuroinfo.models import Treatment\n"
            "paths = [links.item_url(i, l) for i in guide.sequence() for l in ('en', 'fr')]\n"
            "search = {}\n"
            "for l in ('en', 'fr'):\n"
            "    with override(l): search[l] = reverse('neuroinfo:search')\n"
            "t = Treatment.objects.filter(parent__isnull=True, key='surgery').first() or "
            "Treatment.objects.filter(parent__isnull=True).first()\n"
            "from neuroinfo.explainer.address import explainer_url\n"
            "from neuroinfo.pagekeys import RESPONSE\n"
            "from neuroinfo.models import GuidePage\n"
            "r = GuidePage.objects.get(key=RESPONSE)\n"
            "explainer = {l: explainer_url(r, l) for l in ('en', 'fr')}\n"
            "print('JSON', json.dumps({'paths': paths, 'search': search, "
            "'explainer': explainer, 'item': {'pk': t.pk, "
            "'title': t.title_en, 'url': links.item_url(t, 'en'), 'search': search['en']}}))",
        )
        found = re.search(r"^JSON (.*)$", listing, re.MULTILINE)
        if not found:
            raise ServerError(f"could not list the pages:\n{listing}")
        data = json.loads(found.group(1))
        paths, item = data["paths"], data["item"]
        searches = [
            f"{data['search'][language]}?{urllib.parse.urlencode({'q': query})}"
            for language, queries in SEARCHES.items()
            for query in queries
        ]
        explainers = [
            f"{data['explainer'][language]}?{query}"
            for language, queries in EXPLAINERS.items()
            for query in queries
        ]
        pages = len(paths)
        paths += searches + explainers
        global SHARED_MAX_AGE
        for path in paths:
            status, headers, _b = https_get(https, path, stack.cert)
            max_age = re.search(r"s-maxage=(\d+)", headers.get("Cache-Control", ""))
            if max_age:
                SHARED_MAX_AGE = int(max_age.group(1))
            if status != 200:
                raise ServerError(
                    f"{path} answered {status} through nginx before the test"
                )
        log(
            f"database: {database}; cache: Redis; nginx (deploy/nginx.conf, HTTPS) -> "
            f"gunicorn -w 2; production settings (TLS proxy, HTTPS redirect, secure cookies)"
        )
        per_language = ", ".join(f"{len(q)} in {code}" for code, q in SEARCHES.items())
        log(
            f"{pages} public pages ({pages // 2} in each of en, fr) and "
            f"{len(searches)} searches ({per_language}) and {len(explainers)} explainer "
            f"answers ({len(explainers) // 2} in each), all 200"
        )
        log(
            f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s through nginx; the editor "
            f"changes {item['url']} at {EDIT_AT:.0f} s; Redis stops for {FAULT_SECONDS} s "
            f"once the editor is done ({FAULT_AT:.0f} s at the earliest)"
        )

        before = editable_fields(stack, item["pk"])
        script = stack.tmp / "pages.lua"
        script.write_text(
            WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths)}
        )
        wrk = popen(
            [
                tool("wrk"),
                f"-t{THREADS}",
                f"-c{CONNECTIONS}",
                f"-d{SECONDS}s",
                "--timeout",
                "10s",
                "--latency",
                "-H",
                f"Host: {HOST}",
                "-s",
                str(script),
                f"https://{LOOPBACK}:{https}/",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        editor = Editor(stack, app, https, item)
        started = time.monotonic()
        fault = Fault(stack, app, https, script, started)
        try:
            time.sleep(EDIT_AT)
            if wrk.poll() is not None:
                raise ServerError(f"wrk stopped early: {wrk.communicate()}")
            editor.start()
            # The fault comes once the editor is done (at FAULT_AT at the earliest), so
            # the editor's checks never read a page nginx served stale for the outage;
            # it must still end, with a few seconds for the check after, before wrk.
            latest = SECONDS - FAULT_SECONDS - 3
            editor.join(timeout=max(latest - (time.monotonic() - started), 0.1))
            time.sleep(max(0.0, FAULT_AT - (time.monotonic() - started)))
            if editor.is_alive():
                failures.append(f"the editor was still at work at {latest} s: no fault")
            else:
                fault.start()
                fault.join(timeout=SECONDS + 60)
            editor.join(timeout=SECONDS + 60)
            stdout, stderr = wrk.communicate(timeout=SECONDS + 60)
        finally:
            if wrk.poll() is None:
                wrk.kill()
                wrk.wait(timeout=10)
        if editor.is_alive():
            failures.append("the editor did not finish in time")
        if fault.is_alive():
            failures.append("the fault phase did not finish in time")
        if wrk.returncode != 0:
            raise ServerError(f"wrk failed:\n{stdout}\n{stderr}")
        run = wrk_json(stdout)
        if editor.ok:
            after = editable_fields(stack, item["pk"])
            changed = sorted(name for name in before if before[name] != after.get(name))
            editor.lines.append(
                f"  afterwards all {len(before)} editable fields of the treatment are as before"
                if not changed
                else "  afterwards these fields DIFFER from before: "
                + "; ".join(
                    f"{n}: {before[n][:60]} -> {after.get(n, '')[:60]}" for n in changed
                )
            )
            editor.ok = not changed

    duration = run["duration_us"] / 1e6
    socket_errors = {
        k: run[k] for k in ("connect", "read", "write", "timeout") if run[k]
    }
    log("")
    log("editor (admin change while the load runs):")
    for line in editor.lines:
        log(line)
    log("")
    log(
        f"requests: {run['requests']} in {duration:.1f} s ({run['requests'] / duration:.0f}/s), "
        f"{run['bytes'] / 1e6:.0f} MB"
    )
    log(
        f"latency: p50 {run['p50_us'] / 1000:.2f} ms, p90 {run['p90_us'] / 1000:.2f} ms, "
        f"p99 {run['p99_us'] / 1000:.2f} ms, max {run['max_us'] / 1000:.2f} ms"
    )
    log(
        f"statuses: {dict(sorted(run['codes'].items()))}; nginx cache: "
        f"{dict(sorted(run['cache'].items()))}"
    )
    log(
        f"socket errors: {socket_errors or 'none'}; non-2xx/3xx responses: {run['bad']} "
        f"(wrk: {run['status']}); 5xx responses: {run['fivexx']}"
    )
    log("")
    log(f"fault phase (Redis down for {FAULT_SECONDS} s, once the editor is done):")
    for line in fault.lines:
        log(line)
    labels = {
        "nginx": "through nginx (wrk -t1 -c16)",
        "app": "straight to gunicorn (wrk -t1 -c4)",
    }
    for target, outage in fault.runs.items():
        errors = {
            k: outage[k] for k in ("connect", "read", "write", "timeout") if outage[k]
        }
        log(
            f"  during the outage, {labels[target]}: {outage['requests']} requests "
            f"({outage['requests'] / (outage['duration_us'] / 1e6):.0f}/s), "
            f"p50 {outage['p50_us'] / 1000:.2f} ms, p99 {outage['p99_us'] / 1000:.2f} ms; "
            f"statuses {dict(sorted(outage['codes'].items()))}; errors: "
            f"{max(outage['bad'], outage['status'])} non-2xx/3xx, {outage['fivexx']} 5xx, "
            f"socket {errors or 'none'}"
        )
        if errors or outage["bad"] or outage["status"] or outage["fivexx"]:
            failures.append(
                f"{max(outage['bad'], outage['status'])} errors ({outage['fivexx']} 5xx, "
                f"socket {errors or 'none'}) {labels[target]} while Redis was down"
            )
    if fault.error:
        failures.append(f"the fault phase failed: {fault.error}")
    elif not fault.resumed:
        failures.append("caching did not resume after Redis came back")
    if socket_errors:
        failures.append(f"socket errors {socket_errors}")
    if run["bad"] or run["status"]:
        failures.append(f"{max(run['bad'], run['status'])} non-2xx/3xx responses")
    if run["fivexx"]:
        failures.append(f"{run['fivexx']} 5xx responses")
    if not editor.ok:
        failures.append("the editor's change was not visible as required")
    if failures:
        log("FAIL: " + "; ".join(failures))
        return 1
    log(
        "PASS: zero errors, zero 5xx (Redis outage included), the editor's change "
        "visible in the next response from the app and through nginx once its "
        "micro-cache copy expired, caching resumed once Redis was back"
    )
    return 0


if __name__ == "__main__":
    run_script(main, "loadtest")
