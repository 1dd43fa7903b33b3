"""Byte-for-byte snapshot of the public pages, to show a refactor changes nothing.

    python bench/snapshot.py save DIR      # fetch every page, write DIR/
    python bench/snapshot.py compare DIR   # fetch again, list the pages that differ

Builds a throwaway SQLite database with the shipped content, then fetches with Django's
test client (page cache off): every sitemap address, searches, explainer answers, the
printable guide, 404 pages, robots.txt and sitemap.xml, in both languages. Each file
holds the status, the content type and the body.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = (
    "surgery",
    "chimiothérapie",
    "neuroblastoma",
    "fever",
    "radiation therapy",
    "zzzz",
    "",
    "greffe de cellules souches",
)
ANSWERS = (
    "",
    "?new_spots=no&size_change=smaller&size_percent=40&scan_clear=no&bone_spread=no",
    "?new_spots=yes",
    "?size_before=50&size_after=20&primary_mm=8",
    "?size_percent=abc&nodes_mm=12,5&score_change=unknown",
)


def _client():
    """A test client on a fresh database holding the shipped content."""
    folder = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SECRET_KEY", "snapshot")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neuroinfo.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
    os.environ["CACHE_URL"] = "locmem://"
    os.environ["NEUROINFO_PAGE_CACHE"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
    call_command("compilemessages", "--ignore=.venv", verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    return Client()


def addresses(client) -> list[str]:
    """Every address the snapshot fetches."""
    urls = ["/robots.txt", "/sitemap.xml", "/en/", "/fr/"]
    urls += ["/en/no-such-page/", "/fr/pas-de-page/"]
    sitemap = client.get("/sitemap.xml", secure=True).content.decode()
    found = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    urls += sorted({re.sub(r"^https?://[^/]+", "", url) for url in found})
    for path in ("/en/search/", "/fr/recherche/"):
        urls += [f"{path}?q={query}" for query in QUERIES]
    for base in [url for url in urls if url.endswith(("/explainer/", "/explication/"))]:
        urls += [base + answer for answer in ANSWERS if answer]
    urls += ["/en/guide/print/", "/fr/guide/imprimer/"]
    return list(dict.fromkeys(urls))


def fetch(client, url: str) -> bytes:
    """A page's status line, content type and body."""
    response = client.get(url, secure=True)
    head = f"{response.status_code} {response.get('Content-Type')}\n"
    return head.encode() + response.content


def _name(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def main(mode: str, folder: Path) -> int:
    """Save the pages to ``folder``, or compare them with what it holds."""
    client = _client()
    if mode == "save":
        folder.mkdir(parents=True, exist_ok=True)
        urls = addresses(client)
        for url in urls:
            (folder / _name(url)).write_bytes(fetch(client, url))
        (folder / "INDEX").write_text("\n".join(urls) + "\n", encoding="utf-8")
        print(f"saved {len(urls)} pages to {folder}")
        return 0
    urls = (folder / "INDEX").read_text(encoding="utf-8").splitlines()
    differ = 0
    for url in urls:
        old, new = (folder / _name(url)).read_bytes(), fetch(client, url)
        if old != new:
            differ += 1
            print(f"DIFFERS {url}")
            lines = difflib.unified_diff(
                old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=1
            )
            print("\n".join(list(lines)[:40]))
    print(f"{len(urls) - differ} of {len(urls)} pages identical, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
