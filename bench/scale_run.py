"""The scale run: admin saves and load_content on a guide with N extra pages per language.

    python bench/scale_run.py [N ...]    # default: 0 1000

For each N, in a throwaway SQLite database (a child process each, so each has its own
settings), it copies the shipped content and adds N generated pages per language
(``bench/scale.py``), loads it with ``load_content`` (timed), then saves items through
the real admin change form with the Django test client: GET the form, POST it back
with one text changed, line breaks as CRLF as browsers send them. The POST alone is
timed (median and max over BENCH_SAVES, default 10; and the median CPU time of the
process, which the other processes of a busy machine do not inflate) and its queries
counted:

  editor-draft    an Editor saves a draft item (saved and rendered once it commits)
  editor-held     an Editor saves a published item (held for review: nothing rendered)
  publish         a Medical reviewer saves a draft item as published
  glossary-title  a Medical reviewer changes a published glossary term's title (every
                  body may mark it: the whole guide is rendered again)

It also times load_content of the shipped tree into an empty database (N = 0 is that
tree). BENCH_CODE=DIR measures the code in DIR instead (e.g. an export of main, to
compare with today); BENCH_DB=postgres uses PostgreSQL (DATABASE_URL of an empty
database that may be dropped and created) instead of SQLite. It prints numbers and
checks nothing.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CODE = Path(os.environ.get("BENCH_CODE") or HERE.parent).resolve()
SAVES = int(os.environ.get("BENCH_SAVES", "10"))


def _child(size: int, work: Path) -> dict:
    """Build the guide of ``size`` extra pages in ``work`` and measure (child process)."""
    sys.path[:0] = [str(CODE), str(HERE)]
    import django

    django.setup()
    import scale
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import (
        CaptureQueriesContext,
        override_settings,
        setup_test_environment,
    )

    setup_test_environment()
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
            },
        },
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ).enable()
    call_command("migrate", verbosity=0)
    tree = work / "content"
    scale.make(tree, size)
    started, cpu = time.perf_counter(), time.process_time()
    call_command("load_content", str(tree), verbosity=0)
    results: dict = {
        "load_s": time.perf_counter() - started,
        "load_cpu_s": time.process_time() - cpu,
    }

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from neuroinfo.models import ContentGeneration, GlossaryTerm, GuidePage
    from tests.helpers import browser_newlines
    from tests.liveadmin import form_fields

    def user(name: str, role: str) -> Client:
        person = get_user_model().objects.create_user(name, f"{name}@example.org", "x")
        person.is_staff = True
        person.save()
        person.groups.add(Group.objects.get(name=role))
        client = Client()
        client.force_login(person)
        return client

    editor, reviewer = user("editor", "Editor"), user("reviewer", "Medical reviewer")
    results["items"] = sum(model.objects.count() for model in (GuidePage, GlossaryTerm))

    def save(client: Client, item, prepare=None, **changes) -> tuple:
        """One admin save: (ms, CPU ms, queries, status) of the POST."""
        if prepare:
            prepare(item)
        url = f"/admin/neuroinfo/{type(item)._meta.model_name}/{item.pk}/change/"
        fields = form_fields(client.get(url).content.decode())
        fields.pop("csrfmiddlewaretoken", None)
        posted = {**fields, "_save": "Save"}
        posted.update({k: v(fields) if callable(v) else v for k, v in changes.items()})
        data = {k: browser_newlines(v) for k, v in posted.items()}
        with CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.post(url, data)
            elapsed = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
        return elapsed, cpu, len(queries), response.status_code

    def series(name: str, client: Client, item, prepare=None, field="body_en"):
        runs = []
        for number in range(SAVES):
            changes = {field: lambda f, n=number: f"{f[field]}\n\nEdit {n}."}
            if name == "publish":
                changes["status"] = "published"
            if name == "glossary-title":
                changes = {"title_en": f"Hearing loss {number}"}
            runs.append(save(client, item, prepare, **changes))
        times = [run[0] for run in runs]
        results[name] = {
            "median_ms": statistics.median(times),
            "max_ms": max(times),
            "cpu_ms": statistics.median(run[1] for run in runs),
            "queries": statistics.median(run[2] for run in runs),
            "statuses": sorted({run[3] for run in runs}),
        }

    def draft(item) -> None:
        type(item).objects.filter(pk=item.pk).update(status="draft")

    page = GuidePage.objects.get(key="clinical-trials")
    draft(page)
    series("editor-draft", editor, page)
    held = GuidePage.objects.get(key="follow-up-care")
    before = ContentGeneration.current()
    series("editor-held", editor, held)
    results["editor-held"]["generation_unchanged"] = (
        before == ContentGeneration.current()
    )
    series("publish", reviewer, page, prepare=draft)
    term = GlossaryTerm.objects.get(key="hearing-loss")
    series("glossary-title", reviewer, term)
    results["db"] = connection.vendor
    return results


def _measure(size: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="neuroinfo-scale-") as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "neuroinfo.settings",
            "DJANGO_SECRET_KEY": "scale-run",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_COOKIES": "0",
            "CACHE_URL": "locmem://",
            "PYTHONPATH": f"{CODE}{os.pathsep}{HERE}",
        }
        if os.environ.get("BENCH_DB") != "postgres":
            env["DATABASE_URL"] = f"sqlite:///{folder}/db.sqlite3"
        out = subprocess.run(  # noqa: S603 (this script, with its own arguments)
            [sys.executable, __file__, "--child", str(size), folder],
            env=env,
            cwd=CODE,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            sys.stderr.write(out.stderr[-4000:])
            raise SystemExit(f"the run with {size} extra pages failed")
        return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int]) -> None:
    print(f"code: {CODE}  saves per series: {SAVES}")
    for size in sizes:
        found = _measure(size)
        print(
            f"\n{size} extra pages per language ({found['db']}; "
            f"{found['items']} pages and terms): load_content {found['load_s']:.2f} s "
            f"(CPU {found['load_cpu_s']:.2f} s)"
        )
        for name in ("editor-draft", "editor-held", "publish", "glossary-title"):
            row = found[name]
            extra = (
                f"  generation unchanged: {row['generation_unchanged']}"
                if "generation_unchanged" in row
                else ""
            )
            print(
                f"  {name:15} median {row['median_ms']:8.1f} ms  max "
                f"{row['max_ms']:8.1f} ms  CPU {row['cpu_ms']:8.1f} ms  "
                f"queries {row['queries']:5.0f}  "
                f"HTTP {row['statuses']}{extra}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [0, 1000])
