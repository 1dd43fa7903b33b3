"""Installs are reproducible: the lock files pin every declared dependency, each file
with its hashes; `make` installs from them only; and every package the code imports is
declared in pyproject.toml, not merely pulled in by another package."""

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
RUN_LOCK = "requirements/run.txt"
TEST_LOCK = "requirements/test.txt"
# What only the tests need: none may reach the run set (`make run`, production).
TEST_TOOLS = {"pytest", "pytest-django", "pytest-playwright", "playwright", "ruff"}
REFRESH = "the lock is stale: run `make lock` and commit requirements/"


def canonical(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def declared(extra: str | None = None) -> dict[str, Requirement]:
    """pyproject.toml's dependencies, or one extra's, by canonical name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = (
        project["dependencies"]
        if extra is None
        else project["optional-dependencies"][extra]
    )
    requirements = [Requirement(line) for line in lines]
    return {canonical(r.name): r for r in requirements}


@cache
def locked(path: str) -> dict[str, tuple[Requirement, list[str]]]:
    """A lock file's entries by canonical name: the pinned requirement and its hashes."""
    text = (ROOT / path).read_text().replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        requirement = Requirement(line.split(" --hash=")[0].strip())
        hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})\b", line)
        entries[canonical(requirement.name)] = (requirement, hashes)
    return entries


def pinned_version(requirement: Requirement) -> str:
    (specifier,) = requirement.specifier  # exactly one: ==version
    assert specifier.operator == "==", requirement
    return specifier.version


class TestLockFiles:
    @pytest.mark.parametrize(
        ("lock", "extras"), [(RUN_LOCK, ()), (TEST_LOCK, ("test",))]
    )
    def test_every_declared_dependency_is_pinned_at_a_version_it_allows(
        self, lock, extras
    ):
        wanted = dict(declared())
        for extra in extras:
            wanted |= declared(extra)
        pins = locked(lock)
        assert len(wanted) > 15
        for name, requirement in wanted.items():
            assert name in pins, f"{lock} lacks {requirement}: {REFRESH}"
            version = pinned_version(pins[name][0])
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {name}=={version}, outside {requirement}: {REFRESH}"
            )

    @pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK])
    def test_every_pin_is_exact_and_carries_hashes(self, lock):
        pins = locked(lock)
        assert len(pins) > 20
        for name, (requirement, hashes) in pins.items():
            pinned_version(requirement)
            assert hashes, f"{lock}: {name} has no hash"

    def test_the_run_set_is_the_test_set_without_the_test_tools(self):
        """`make run` and production install no test tool, and the versions they get
        are the ones `make test` tested."""
        run, test = locked(RUN_LOCK), locked(TEST_LOCK)
        assert set(declared("test")) >= TEST_TOOLS
        assert not TEST_TOOLS & set(run)
        assert set(run) <= set(test)
        for name, (requirement, _hashes) in run.items():
            assert pinned_version(requirement) == pinned_version(test[name][0]), name


def make_dry_run(venv: Path, *args: str) -> str:
    """What make would run, for a virtualenv at `venv` (nothing is run)."""
    result = subprocess.run(
        [shutil.which("make"), "--no-print-directory", "-n", f"VENV={venv}", *args],
        cwd=ROOT,
        env={**os.environ, "MAKEFLAGS": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def pip_installs(output: str) -> list[str]:
    """The `pip install` commands of a dry run, less the upgrade of pip itself."""
    return [
        re.sub(r"\s+", " ", line.split("/pip ", 1)[1]).replace("--quiet ", "")
        for line in output.splitlines()
        if "/pip install" in line and "--upgrade pip" not in line
    ]


class TestMakeInstallsFromTheLock:
    @pytest.mark.parametrize(
        ("target", "lock"), [("run", RUN_LOCK), ("test", TEST_LOCK)]
    )
    def test_a_new_machine_installs_the_lock_with_hashes_then_the_project(
        self, tmp_path, target, lock
    ):
        installs = pip_installs(make_dry_run(tmp_path / "venv", target))
        assert installs == [
            f"install --require-hashes -r {lock}",
            "install --no-deps -e .",
        ]

    @pytest.mark.parametrize(
        ("stamp", "lock"),
        [(".installed-run", RUN_LOCK), (".installed-test", TEST_LOCK)],
    )
    def test_a_changed_lock_installs_again(self, tmp_path, stamp, lock):
        venv = tmp_path / "venv"
        (venv / "bin").mkdir(parents=True)
        (venv / "bin/python").touch()
        (venv / stamp).touch()
        later = max((ROOT / f).stat().st_mtime for f in (lock, "pyproject.toml")) + 60
        os.utime(venv / stamp, (later, later))
        target = str(venv / stamp)
        assert pip_installs(make_dry_run(venv, target)) == []
        changed = pip_installs(make_dry_run(venv, "-W", lock, target))
        assert f"install --require-hashes -r {lock}" in changed


# Where each part of the code runs: the site needs only the run set; the tests and the
# benchmarks also have the test set.
RUN_CODE = ["neuroinfo", "manage.py", "deploy"]
TEST_CODE = ["tests", "bench"]


def python_files(places: list[str]) -> list[Path]:
    files = []
    for place in places:
        path = ROOT / place
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def third_party_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level module) of each import that is neither the standard library's
    nor this project's own (the package, or a module beside the file)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            local = (
                (ROOT / top).is_dir()
                or (path.parent / f"{top}.py").exists()
                or (path.parent / top).is_dir()
            )
            if top not in sys.stdlib_module_names and not local:
                found.append((node.lineno, top))
    return found


def undeclared_imports(places: list[str], names: set[str]) -> tuple[list[str], set]:
    """Each import in `places` that no distribution in `names` provides."""
    providers = packages_distributions()
    problems, seen = [], set()
    for path in python_files(places):
        for line, module in third_party_imports(path):
            seen.add(module)
            where = f"{path.relative_to(ROOT)}:{line}"
            dists = {canonical(d) for d in providers.get(module, [])}
            if not dists:
                problems.append(f"{where}: {module} is installed by no package")
            elif not dists & names:
                problems.append(
                    f"{where}: imports {module} from {', '.join(sorted(dists))}, "
                    "which pyproject.toml does not declare"
                )
    return problems, seen


class TestImportsAreDeclared:
    def test_the_site_imports_only_run_dependencies(self):
        problems, seen = undeclared_imports(RUN_CODE, set(declared()))
        assert {"django", "yaml", "markdown", "nh3", "axes", "csp"} <= seen
        assert not problems, "\n".join(problems)

    def test_the_tests_and_benchmarks_import_only_declared_packages(self):
        names = set(declared()) | set(declared("test"))
        problems, seen = undeclared_imports(TEST_CODE, names)
        assert {"pytest", "playwright", "hypothesis", "pytest_django"} <= seen
        assert not problems, "\n".join(problems)

    def test_an_undeclared_package_is_reported(self):
        """The content loader imports yaml: without PyYAML declared, that is named."""
        problems, _seen = undeclared_imports(
            ["neuroinfo/contentfiles"], set(declared()) - {"pyyaml"}
        )
        assert any("imports yaml from pyyaml" in p for p in problems), problems


def test_the_readme_names_only_extras_that_exist():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = set(project["optional-dependencies"])
    readme = (ROOT / "README.md").read_text()
    named = set(re.findall(r"\.\[([\w,-]+)\]", readme))
    assert named <= extras, named - extras
    assert "make lock" in readme
