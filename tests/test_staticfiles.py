"""The site's CSS and JavaScript are collected minified (``neuroinfo.staticfiles``),
with WhiteNoise's hashed names and compressed copies, and nothing else is changed."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """``collectstatic`` as production runs it (debug off: the shipped storage)."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": "collect-test-key-" + "x" * 40,
        "DJANGO_STATIC_ROOT": str(root),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return root


@pytest.mark.parametrize("name", ["css/site.css", "css/tools.css", "js/checklist.js"])
def test_the_sites_own_files_are_served_minified(collected, name):
    source = (ROOT / "static" / name).read_text()
    served = (collected / name).read_text()
    assert len(served) < 0.85 * len(source)
    assert "/*" not in served and "\n  " not in served
    hashed = [p for p in (collected / name).parent.iterdir()
              if re.fullmatch(rf"{Path(name).stem}\.[0-9a-f]{{12}}{Path(name).suffix}", p.name)]  # fmt: skip
    assert [p.read_text() for p in hashed] == [served]  # the name browsers get
    assert (collected / f"{name}.gz").exists()


def test_rules_survive_minifying(collected):
    served = (collected / "css/site.css").read_text()
    for kept in ("--focus:", "@media (prefers-reduced-motion:reduce)", "var(--s4)"):
        assert kept in served


def test_other_apps_files_are_collected_as_they_come(collected):
    import django

    admin = Path(django.__file__).parent / "contrib/admin/static/admin/css/base.css"
    assert (collected / "admin/css/base.css").read_text() == admin.read_text()
