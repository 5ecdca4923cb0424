"""The layout's rules, read from the source: `config` imports no app, and no two packages import each other, even
through others (a feature sub-package of `journal` counts as a package of its own, as do `journal.lib` and
`journal.models`), so the tree reads from the bottom (accounts, routines, journal's models) to the top (features)."""

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

APPS = ("config", "accounts", "routines", "journal")
ROOT = Path(settings.BASE_DIR)


def package_of(module: str) -> str:
    """`journal.runner.views` -> `journal.runner`; `journal.models` -> `journal.models`; `accounts.x` -> `accounts`."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "journal" and len(parts) > 1 else parts[0]


def imports() -> dict[str, set[tuple[str, str]]]:
    """{package: {(imported package, file)}} for every import between our packages (migrations aside)."""
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    if name.split(".")[0] in APPS and package_of(name) != package_of(module):
                        edges[package_of(module)].add((package_of(name), str(path.relative_to(ROOT))))
    return edges


def reachable(edges: dict[str, set[tuple[str, str]]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target, _ in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_config_imports_no_app():
    assert {target for target, _ in imports()["config"] if target != "config"} == set()


def test_no_package_imports_one_that_imports_it_back():
    edges = imports()
    cycles = sorted(
        f"{package} -> {target} ({path})"
        for package, targets in edges.items()
        for target, path in targets
        if package in reachable(edges, target)
    )
    assert cycles == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from journal.models import Session", {"journal.models"}),
        ("import accounts.security", {"accounts"}),
        ("from journal.lib import keys", {"journal.lib"}),
    ],
)
def test_the_reader_sees_each_kind_of_import(tmp_path, monkeypatch, source, expected):
    """The rule above can fail: an import of each form is read (a check that read none would pass on anything)."""
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "probe.py").write_text(source + "\n")
    for app in APPS[1:]:
        (tmp_path / app).mkdir()
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert {target for target, _ in imports()["config"]} == expected
