"""With the shared cache down or stuck, families keep reading: pages come from the database.

The cache is pointed at a Redis that is not there (a closed port), at one that accepts
connections and never answers (the socket timeout), and at a real redis-server that is
paused or stopped during the test and then comes back.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.core.cache import cache

from neuroinfo import cache as health
from neuroinfo.models import Feedback, Treatment
from neuroinfo.settings import cache_config
from tests.dom import parse
from tests.helpers import admin_save, links, page_language, visible_text

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

TIMEOUT = 0.1  # seconds; the shipped defaults are a little longer
SURGERY = {"en": "/en/treatments/surgery/", "fr": "/fr/traitements/chirurgie/"}
TITLE = {"en": "Surgery", "fr": "Chirurgie"}
PAGES = {
    "en": ["/en/", "/en/risk-factors/stage/", "/en/glossary/", "/en/guide/print/"],
    "fr": ["/fr/", "/fr/facteurs-pris-en-compte/age/", "/fr/glossaire/"],
}
SEARCH = {"en": ("/en/search/", "chemotherapy"), "fr": ("/fr/recherche/", "moelle")}
EXPLAINER = {
    "en": "/en/response-to-treatment/explainer/",
    "fr": "/fr/reponse-au-traitement/explication/",
}
PROGRESSIVE = {"new_spots": "yes", "marrow_new_cells": "no"}
# Where a click on Yes or No is posted, and the header a browser on the page sends.
FEEDBACK = {"en": "/en/feedback/answer/", "fr": "/fr/commentaires/reponse/"}
FROM_HERE = {"HTTP_ORIGIN": "http://testserver"}
REFUSED = {
    "en": "Your answer was not saved",
    "fr": "Votre réponse n'a pas été enregistrée",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _use_cache(settings, url: str) -> None:
    config = cache_config(url)
    config["KEY_PREFIX"] = f"outage-{os.getpid()}"
    config["OPTIONS"] = {
        **config["OPTIONS"],
        "SOCKET_TIMEOUT": TIMEOUT,
        "SOCKET_CONNECT_TIMEOUT": TIMEOUT,
    }
    settings.CACHES = {"default": config}


@pytest.fixture(autouse=True)
def _forget_failures(monkeypatch):
    """Each test starts with no failure seen, and calls the cache every time (its
    pause after a failure is tested on its own)."""
    monkeypatch.setattr(health, "RETRY_AFTER", 0)
    health.reset()
    yield
    health.reset()


@pytest.fixture
def hanging_port():
    """A server that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in held:
        connection.close()


@pytest.fixture(params=["unreachable", "hanging"])
def broken_cache(request, settings):
    """The cache at a closed port, or at a server that never answers."""
    if request.param == "unreachable":
        port = _free_port()
    else:
        port = request.getfixturevalue("hanging_port")
    _use_cache(settings, f"redis://127.0.0.1:{port}/0")
    return request.param


class RedisServer:
    """A throwaway redis-server on a free port, without persistence."""

    def __init__(self, folder) -> None:
        self.port = _free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_timeout=1)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class CuttableLink:
    """A TCP relay to Redis that can be cut like a network: while cut, connections
    are dropped and new ones hang, and nothing sent reaches Redis, which keeps its
    data."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.cut_off = False
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client = self.server.accept()[0]
            except OSError:
                return
            with self.lock:
                self.open.append(client)
                if self.cut_off:
                    continue  # held open, never answered
            upstream = socket.create_connection(("127.0.0.1", self.upstream))
            with self.lock:
                self.open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):  # either end closed: the relay stops
            while data := source.recv(65536):
                target.sendall(data)
        for end in (source, target):
            end.close()

    def _drop_all(self) -> None:
        with self.lock:
            for connection in self.open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.open.clear()

    def cut(self) -> None:
        self.cut_off = True
        self._drop_all()

    def mend(self) -> None:
        self.cut_off = False
        self._drop_all()

    def close(self) -> None:
        self.server.close()
        self._drop_all()


@pytest.fixture
def redis_server(settings, tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    _use_cache(settings, f"redis://127.0.0.1:{server.port}/0")
    yield server
    server.stop()


def _title(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return visible_text(response)


# --- every page answers while the cache does not ---------------------------------------
@pytest.mark.parametrize("language", ["en", "fr"])
def test_public_pages_are_built_from_the_database(client, broken_cache, language):
    assert cache.get("anything") is None  # the cache really is out
    assert health.failures() > 0
    text = _title(client, SURGERY[language])
    assert TITLE[language] in text
    for path in PAGES[language]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert parse(response).find("h1").text, path
    again = client.get(SURGERY[language], {"utm_source": "x"})
    assert again.status_code == 200 and TITLE[language] in visible_text(again)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_search_and_the_explainer_answer(client, broken_cache, language):
    path, word = SEARCH[language]
    response = client.get(path, {"q": word})
    assert response.status_code == 200
    assert parse(response).has(data_testid="search-results")
    response = client.get(f"{EXPLAINER[language]}?{urlencode(PROGRESSIVE)}")
    assert response.status_code == 200
    assert parse(response).has(data_category="progressive-disease")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_feedback_is_refused_politely_and_nothing_is_stored(
    client, broken_cache, language
):
    response = client.post(
        FEEDBACK[language],
        {"page": SURGERY[language], "helpful": "yes"},
        **FROM_HERE,
    )
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    text = visible_text(response)
    assert REFUSED[language] in text.replace("’", "'")
    assert page_language(response) == language
    assert Feedback.objects.count() == 0


def test_health_check_reports_the_cache_degraded_while_pages_answer(
    client, broken_cache
):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"cache degraded\n"
    assert client.get(SURGERY["en"]).status_code == 200


def test_an_admin_save_goes_through(
    admin_client, broken_cache, django_capture_on_commit_callbacks
):
    surgery = Treatment.objects.get(key="surgery")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_save(
            admin_client,
            f"/admin/neuroinfo/treatment/{surgery.pk}/change/",
            title_en="Surgery, saved while the cache was out",
        )
    assert response.status_code == 302
    surgery.refresh_from_db()
    assert surgery.title_en == "Surgery, saved while the cache was out"
    assert "Surgery, saved while the cache was out" in _title(
        admin_client, SURGERY["en"]
    )


def test_a_cache_failure_is_logged_on_one_line(client, broken_cache, caplog):
    client.get(SURGERY["en"])
    client.get(SURGERY["fr"])
    lines = [r for r in caplog.records if r.name == "neuroinfo.cache"]
    assert len(lines) == 1  # one line per outage and ten seconds, not per call
    assert lines[0].exc_info is None
    assert "cache unavailable" in lines[0].getMessage()


def test_after_a_failure_the_cache_is_left_alone_for_a_moment(
    client, broken_cache, monkeypatch
):
    monkeypatch.setattr(health, "RETRY_AFTER", 60)
    for _n in range(5):
        for language in ("en", "fr"):
            assert TITLE[language] in _title(client, SURGERY[language])
    path, word = SEARCH["en"]
    assert client.get(path, {"q": word}).status_code == 200
    assert (
        client.post(
            FEEDBACK["en"], {"page": SURGERY["en"], "helpful": "no"}, **FROM_HERE
        ).status_code
        == 503
    )
    assert health.failures() == 1  # one timeout, not one per call
    monkeypatch.setattr(health, "RETRY_AFTER", 0)  # the pause is over: try again
    assert TITLE["en"] in _title(client, SURGERY["en"])
    assert health.failures() == 2


# --- the cache comes back ------------------------------------------------------------------
def _save_title(django_capture_on_commit_callbacks, en: str, fr: str) -> None:
    surgery = Treatment.objects.get(key="surgery")
    surgery.title_en, surgery.title_fr = en, fr
    with django_capture_on_commit_callbacks(execute=True):
        surgery.save()


def test_a_change_made_while_redis_was_stuck_is_served_when_it_answers_again(
    client, redis_server, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for language in ("en", "fr"):  # cached before the outage, with Redis keeping them
        assert TITLE[language] in _title(client, SURGERY[language])
    with django_assert_num_queries(0):
        client.get(SURGERY["en"])

    redis_server.pause()
    _save_title(
        django_capture_on_commit_callbacks, "Surgery, changed", "Chirurgie, changée"
    )
    assert "Surgery, changed" in _title(client, SURGERY["en"])
    redis_server.resume()
    # Redis may run the writes it received while stopped: either way, no old page.
    assert "Surgery, changed" in _title(client, SURGERY["en"])
    assert "Chirurgie, changée" in _title(client, SURGERY["fr"])
    assert "Surgery, changed" in _title(client, "/en/")
    found = client.get(SEARCH["en"][0], {"q": "changed"})
    assert "/en/treatments/surgery/" in links(found)
    with django_assert_num_queries(0):  # and caching has resumed
        assert "Surgery, changed" in _title(client, SURGERY["en"])
    assert client.get("/healthz").status_code == 200


def test_a_change_made_while_redis_was_cut_off_is_served_when_it_is_back(
    client,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
    django_assert_num_queries,
):
    server = RedisServer(tmp_path)
    server.start()
    link = CuttableLink(server.port)
    _use_cache(settings, f"redis://127.0.0.1:{link.port}/0")
    direct = redis.Redis(port=server.port)
    try:
        for language in ("en", "fr"):
            assert TITLE[language] in _title(client, SURGERY[language])
        [key] = [k for k in direct.keys("*") if k.endswith(b"neuroinfo:generation")]
        before = direct.get(key)

        link.cut()
        _save_title(
            django_capture_on_commit_callbacks, "Surgery, cut off", "Chirurgie, coupée"
        )
        assert "Surgery, cut off" in _title(client, SURGERY["en"])
        link.mend()
        # Redis kept the generation and the pages from before the change.
        assert direct.get(key) == before
        assert len(direct.keys("*neuroinfo:page:*")) == 2

        assert "Surgery, cut off" in _title(client, SURGERY["en"])
        assert "Chirurgie, coupée" in _title(client, SURGERY["fr"])
        assert direct.get(key) != before
        with django_assert_num_queries(0):  # caching has resumed
            assert "Surgery, cut off" in _title(client, SURGERY["en"])
    finally:
        link.close()
        server.stop()


def test_caching_resumes_after_redis_restarts_with_no_stale_page(
    client, redis_server, django_capture_on_commit_callbacks, django_assert_num_queries
):
    assert TITLE["en"] in _title(client, SURGERY["en"])
    redis_server.stop()
    _save_title(
        django_capture_on_commit_callbacks, "Surgery, again", "Chirurgie, encore"
    )
    assert "Surgery, again" in _title(client, SURGERY["en"])
    assert client.get("/healthz").status_code == 503

    redis_server.start()
    assert "Surgery, again" in _title(client, SURGERY["en"])
    assert "Chirurgie, encore" in _title(client, SURGERY["fr"])
    with django_assert_num_queries(0):
        assert "Surgery, again" in _title(client, SURGERY["en"])
    assert client.get("/healthz").status_code == 200


def test_the_shipped_redis_config_bounds_memory_and_evicts(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "deploy/redis.conf",
         "--port", str(port), "--dir", str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        client = redis.Redis(port=port, socket_timeout=1, decode_responses=True)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        config = client.config_get("*")
        assert config["maxmemory"] == str(256 * 1024 * 1024)
        assert config["maxmemory-policy"] == "allkeys-lru"
        assert config["save"] == "" and config["appendonly"] == "no"
        assert config["protected-mode"] == "yes"
        assert config["bind"].split()[0] == "127.0.0.1"
    finally:
        server.terminate()
        server.wait(timeout=10)
