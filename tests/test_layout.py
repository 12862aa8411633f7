"""The layout keeps its promises: each package of the services is entered only through the names its
``__init__`` lists, and the packages depend on one another without a circle.

Read from the source (``ast``), so a test run needs no database."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("project", "tests", "bench", "migrations")
SERVICES = "project.services"


def packages() -> list[str]:
    """The packages whose insides are their own: each folder of the services with an ``__init__``, and the demo."""
    found = [f"{SERVICES}.{init.parent.name}" for init in sorted((ROOT / "project" / "services").glob("*/__init__.py"))]
    return [*found, "project.demo"]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> Iterator[tuple[str, Path, ast.Module]]:
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*.py")):
            yield module_name(path), path, ast.parse(path.read_text(), str(path))


def package_of(module: str, known: list[str]) -> str | None:
    return next((p for p in known if module == p or module.startswith(p + ".")), None)


def imports_from_outside(module: str, tree: ast.Module, known: list[str]) -> Iterator[tuple[int, str, str]]:
    """(line, package, what) for every import that reaches into a package this module is not part of: a
    submodule, or a name imported from the package itself."""
    home = package_of(module, known)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = package_of(alias.name, known)
                if target and target != home and alias.name != target:
                    yield node.lineno, target, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            target = package_of(node.module, known)
            if not target or target == home:
                continue
            if node.module != target:
                yield node.lineno, target, f"from {node.module} import ..."
            else:
                yield from ((node.lineno, target, alias.name) for alias in node.names)


def names_read_from_outside(module: str, tree: ast.Module, known: list[str]) -> Iterator[tuple[int, str, str]]:
    """(line, package, name) for every ``package.name`` read where the package was imported as a module
    (``from project.services import casework``)."""
    home = package_of(module, known)
    bound = {
        alias.asname or alias.name: f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
        if f"{node.module}.{alias.name}" in known and f"{node.module}.{alias.name}" != home
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
            yield node.lineno, bound[node.value.id], node.attr


def uses_from_outside(module: str, tree: ast.Module, known: list[str]) -> Iterator[tuple[int, str, str]]:
    yield from imports_from_outside(module, tree, known)
    yield from names_read_from_outside(module, tree, known)


def test_other_code_uses_only_the_names_a_package_lists():
    known = packages()
    public = {name: set(importlib.import_module(name).__all__) for name in known}
    breaches = []
    for module, path, tree in sources():
        for line, package, what in uses_from_outside(module, tree, known):
            if what.startswith(("import ", "from ")) or what not in public[package]:
                breaches.append(f"{path.relative_to(ROOT)}:{line}: {what} ({package} lists no such name)")
    assert breaches == []


def test_each_package_lists_only_names_its_modules_define():
    for name in packages():
        package = importlib.import_module(name)
        for listed in package.__all__:
            assert not listed.startswith("_"), f"{name} lists a private name, {listed}"
            defined_in = getattr(getattr(package, listed), "__module__", name)
            assert package_of(defined_in, [name]) == name or not callable(getattr(package, listed)), (
                f"{name}.{listed} is defined in {defined_in}, another package: import it from there"
            )


def service_dependencies() -> dict[str, set[str]]:
    """Which part of the services each part imports: a package, or a single module such as ``deadlines``."""
    parts: dict[str, set[str]] = {}
    for module, _path, tree in sources():
        if not module.startswith(SERVICES + "."):
            continue
        part = ".".join(module.split(".")[:3])
        needs = parts.setdefault(part, set())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(SERVICES):
                targets = [node.module] if node.module != SERVICES else [f"{SERVICES}.{a.name}" for a in node.names]
                needs.update(".".join(t.split(".")[:3]) for t in targets if t.count(".") >= 2)
        needs.discard(part)
    return parts


def test_the_parts_of_the_services_depend_on_one_another_without_a_circle():
    graph = service_dependencies()
    assert {f"{SERVICES}.casework", f"{SERVICES}.labor", f"{SERVICES}.evidence"} <= set(graph)
    done: set[str] = set()

    def visit(part: str, path: list[str]) -> None:
        assert part not in path, "import circle: " + " -> ".join([*path, part])
        if part in done:
            return
        for needed in sorted(graph.get(part, ())):
            visit(needed, [*path, part])
        done.add(part)

    for part in sorted(graph):
        visit(part, [])


def test_a_reach_into_a_package_is_found():
    """The walk itself: a submodule import, an unlisted name and a private name are each reported."""
    tree = ast.parse(
        "from project.services.casework.review.life_cycle import move\n"
        "from project.services import casework\n"
        "casework._private()\n"
    )
    found = list(uses_from_outside("tests.example", tree, packages()))
    assert [(line, what) for line, _package, what in found] == [
        (1, "from project.services.casework.review.life_cycle import ..."),
        (3, "_private"),
    ]
