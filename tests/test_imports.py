"""The package's imports form no cycle, and none hides in a function body.

Every module of ``neuroinfo`` is read with ``ast`` (not imported): each ``import`` and
``from … import …`` anywhere in it, at module level, in a class, under ``if
TYPE_CHECKING:`` or inside a function, counts as an edge to the project module it
names. Importing ``a.b.c`` runs the packages ``a`` and ``a.b`` first, so those count
too, and a package's ``__init__`` imports what it imports. ``from a import b`` is an
edge to ``a.b`` when ``b`` is a submodule. A cycle among project modules fails the
first test, named as a path; a function-level import of a project module fails the
second, so a tie between modules is always visible at the top of the file.
"""

import ast
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import neuroinfo

ROOT = Path(neuroinfo.__file__).parent
PACKAGE = "neuroinfo"

# Function-level imports of project modules that cannot move to the top, and why.
ALLOWED_LOCAL = {
    # AppConfig.ready runs once the app registry is ready. Django imports apps.py
    # before any model exists, so it cannot import at its top what defines or looks
    # up models (accounts, history, signals); system checks (checks, organisation) are
    # registered from ready() as Django's documentation asks.
    *(
        ("neuroinfo.apps", f"neuroinfo.{name}")
        for name in ("accounts", "checks", "history", "organisation", "signals")
    ),
}


@dataclass(frozen=True)
class Import:
    """One import statement's target, where it is, and whether a function holds it."""

    source: str  # the importing module
    target: str  # the project module imported
    line: int
    local: bool  # inside a function body
    named: bool  # the module the statement names (not a package above it)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _package_of(module: str) -> str:
    """The package a relative import starts from."""
    if MODULES[module].name == "__init__.py":
        return module
    return module.rpartition(".")[0]


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement names (before parent packages)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = _package_of(module).split(".")
        base = base[: len(base) - node.level + 1]
        start = ".".join([*base, *([node.module] if node.module else [])])
    else:
        start = node.module or ""
    found = []
    for alias in node.names:
        sub = f"{start}.{alias.name}"
        found.append(sub if sub in MODULES else start)
    return found


def _with_parents(target: str, importer: str) -> list[str]:
    """The module and every package above it that importing it runs, leaving out the
    importer's own packages (already running when it is imported)."""
    parts = target.split(".")
    chain = [".".join(parts[:n]) for n in range(1, len(parts) + 1)]
    own = {".".join(importer.split(".")[:n]) for n in range(1, importer.count(".") + 1)}
    if MODULES.get(importer, Path()).name == "__init__.py":
        own.add(importer)
    return [m for m in chain if m in MODULES and m not in own and m != importer]


def _walk(tree: ast.AST, local: bool = False):
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child, local
        inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _walk(child, inner)


def imports_of(module: str) -> list[Import]:
    """Every import of a project module that ``module`` makes, anywhere in it."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found = []
    for node, local in _walk(tree):
        for target in _targets(module, node):
            if target == PACKAGE or target.startswith(f"{PACKAGE}."):
                for each in _with_parents(target, module):
                    found.append(
                        Import(module, each, node.lineno, local, each == target)
                    )
    return found


def graph() -> dict[str, set[str]]:
    """Each project module and the project modules it imports."""
    edges: dict[str, set[str]] = {module: set() for module in MODULES}
    for module in MODULES:
        edges[module] |= {i.target for i in imports_of(module)}
    return edges


def _shortest_cycle(edges: dict[str, set[str]], start: str) -> list[str] | None:
    """The shortest path from ``start`` back to itself, if there is one."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in sorted(edges[node]):
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """A shortest cycle through each module that is on one, each cycle named once."""
    seen, found = set(), []
    for module in sorted(edges):
        cycle = _shortest_cycle(edges, module)
        if cycle is None:
            continue
        ring = cycle[:-1]
        first = ring.index(min(ring))
        key = tuple(ring[first:] + ring[:first])
        if key not in seen:
            seen.add(key)
            found.append([*key, key[0]])
    return found


def test_the_reader_sees_every_kind_of_import() -> None:
    """The walker itself: relative, absolute, submodule and function-level imports
    are all found, so the two tests below cannot pass by reading too little."""
    admin = {i.target for i in imports_of("neuroinfo.admin")}
    assert {"neuroinfo.admin.banners", "neuroinfo.models"} <= admin
    apps = imports_of("neuroinfo.apps")
    assert {(i.target, i.local) for i in apps} >= {("neuroinfo.signals", True)}
    sample = ast.parse("def f():\n    from .models import base\n")
    node, local = next(_walk(sample))
    assert local and _targets("neuroinfo.links", node) == ["neuroinfo.models.base"]
    assert _with_parents("neuroinfo.models.base", "neuroinfo.links") == [
        "neuroinfo.models",
        "neuroinfo.models.base",
    ]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c", "a"]
    ]


def test_no_import_cycles() -> None:
    """No chain of imports among the project's modules leads back where it started."""
    found = [" → ".join(cycle) for cycle in cycles(graph())]
    assert not found, "import cycles:\n" + "\n".join(found)


def test_no_function_level_imports_of_project_modules() -> None:
    """A tie between two modules is stated at the top of the importing file."""
    local = sorted(
        f"{MODULES[i.source].relative_to(ROOT.parent)}:{i.line} imports {i.target}"
        for module in MODULES
        for i in imports_of(module)
        if i.local and i.named and (i.source, i.target) not in ALLOWED_LOCAL
    )
    assert not local, "function-level imports:\n" + "\n".join(dict.fromkeys(local))
