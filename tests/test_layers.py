"""The package's layers, read from the source: model <- engine <- check / io <- render <- cli.

Each layer imports only the layers below it (io, which reads files, not even the engine: its rules
live in ``cba.check``), no module imports in a cycle, and the libraries of one face stay in that face.
"""

from __future__ import annotations

import ast

import pytest

from .conftest import ROOT

#: What each package may import from cba, besides itself.
MAY_IMPORT = {
    "model": set(),
    "engine": {"model"},
    "check": {"model", "engine"},
    "io": {"model", "check"},
    "render": {"model", "engine", "check", "io"},
    "cli": {"model", "engine", "check", "io", "render"},
}
#: Libraries a package must not import: the terminal, spreadsheets and the page belong to render and cli.
MAY_NOT_USE = {
    "model": {"rich", "openpyxl", "typer", "numpy", "jinja2", "matplotlib", "yaml"},
    "engine": {"rich", "openpyxl", "typer", "jinja2", "matplotlib", "yaml"},
    "check": {"rich", "openpyxl", "typer", "numpy", "jinja2", "matplotlib", "yaml"},
    "io": {"rich", "typer", "jinja2", "matplotlib"},
    "render": {"typer"},
}


def imports() -> dict[str, set[str]]:
    """Every cba module and the modules it imports (at any depth in the file)."""
    found = {}
    for path in (ROOT / "cba").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        found[name] = deps
    return found


def package(module: str) -> str:
    return module.split(".")[1] if module.count(".") else ""


def test_every_package_has_a_place_in_the_order():
    packages = {package(m) for m in imports()} - {"", "__main__", "starters"}
    assert packages == set(MAY_IMPORT), "a new package needs its place in MAY_IMPORT"


@pytest.mark.parametrize("layer", sorted(MAY_IMPORT))
def test_a_layer_imports_only_the_layers_below_it(layer):
    for module, deps in imports().items():
        if package(module) != layer:
            continue
        above = {d for d in deps if d.startswith("cba.") and d.count(".") and package(d) not in MAY_IMPORT[layer] | {layer}}
        assert not above, f"{module} imports {sorted(above)}, which {layer} may not"
        libraries = {d.split(".")[0] for d in deps} & MAY_NOT_USE.get(layer, set())
        assert not libraries, f"{module} imports {sorted(libraries)}, which {layer} may not"


def test_the_checker_fails_on_a_planted_upward_import(monkeypatch):
    """The layer check can fail: an io module importing the engine is caught."""
    planted = imports()
    planted["cba.io.load"] = planted["cba.io.load"] | {"cba.engine.run"}
    monkeypatch.setattr(__import__(__name__, fromlist=["imports"]), "imports", lambda: planted)
    with pytest.raises(AssertionError, match="cba.io.load imports"):
        test_a_layer_imports_only_the_layers_below_it("io")


def test_nothing_imports_in_a_cycle():
    found = imports()
    graph = {m: {d for d in deps if d in found} for m, deps in found.items()}
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for dep in graph[module]:
            assert state.get(dep) != 1, f"import cycle: {' -> '.join(path + [dep])}"
            if dep not in state:
                visit(dep, path + [dep])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [module])
