"""The package layout is the architecture: imports run downwards only, and never in a circle.

Each subpackage of ``src/iadef`` has a layer (README, "Architecture"). A module may import
its own package and any package of a lower layer, never one of the same layer or above;
the shared basics at the top of ``iadef`` import nothing of iadef but each other. Imports are
read with :mod:`ast`, including those inside functions and ``if TYPE_CHECKING:`` blocks, so a
lazy import cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "iadef"

# Lowest first. Packages of one layer may not import each other.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"basics"}),  # iadef/*.py: errors, namespaces, paths, output, yamlfile
    frozenset({"sparql", "wikidata"}),
    frozenset({"curation", "stores"}),
    frozenset({"network", "ingest"}),
    frozenset({"serve"}),
    frozenset({"cli"}),
)
ENTRY = {"iadef.__main__"}  # `python -m iadef` runs the CLI: the one basic module allowed to import it
MAX_LINES = 400


def module_name(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, root: Path = SRC) -> set[str]:
    """Absolute names of the iadef modules (or packages) ``path`` imports, wherever the import is."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)  # `from iadef import x` (a module)
    return {f for f in found if f == "iadef" or f.startswith("iadef.")}


def modules(root: Path = SRC) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted((root / "iadef").rglob("*.py"))}


def graph(root: Path = SRC) -> dict[str, set[str]]:
    """Module → the iadef modules it imports (names that are not modules are dropped)."""
    known = modules(root)
    return {
        name: {target for target in imports_of(path, root) if target in known and target != name}
        for name, path in known.items()
    }


def unit(module: str, root: Path = SRC) -> str:
    """The subpackage a module belongs to, or ``basics`` for the modules at the top of ``iadef``."""
    parts = module.split(".")
    if len(parts) == 1 or (len(parts) == 2 and (root / "iadef" / f"{parts[1]}.py").is_file()):
        return "basics"
    return parts[1]


def layer(unit_name: str) -> int:
    for index, members in enumerate(LAYERS):
        if unit_name in members:
            return index
    raise AssertionError(f"src/iadef/{unit_name} is in no layer: add it to LAYERS and to the README's picture")


def upward_imports(root: Path = SRC) -> list[str]:
    problems = []
    for source, targets in sorted(graph(root).items()):
        mine = unit(source, root)
        for target in sorted(targets):
            theirs = unit(target, root)
            if theirs == mine or (source in ENTRY and theirs == "cli"):
                continue
            if layer(theirs) >= layer(mine):
                problems.append(f"{source} imports {target} ({theirs} is not below {mine})")
    return problems


def cycles(root: Path = SRC) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    edges = graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_goes_up_a_layer() -> None:
    assert upward_imports() == []


def test_no_import_circle() -> None:
    assert cycles() == []


def test_every_package_has_a_layer() -> None:
    for name in modules():
        layer(unit(name))


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_over_400_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines: split it by concern"


def test_the_check_catches_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    """The checks above fail on a planted upward import and a planted circle (so they can fail)."""
    fake = tmp_path / "iadef"
    for name, body in {
        "__init__.py": "",
        "errors.py": "",
        "curation/__init__.py": "",
        "curation/build.py": "from iadef.serve import server\n",  # upward
        "serve/__init__.py": "",
        "serve/server.py": "from . import pages\n",
        "serve/pages.py": "def f():\n    from iadef.serve.server import x\n",  # circle, lazily
    }.items():
        (fake / name).parent.mkdir(parents=True, exist_ok=True)
        (fake / name).write_text(body, encoding="utf-8")
    assert upward_imports(tmp_path) == [
        "iadef.curation.build imports iadef.serve (serve is not below curation)",
        "iadef.curation.build imports iadef.serve.server (serve is not below curation)",
    ]
    assert cycles(tmp_path) == [["iadef.serve.pages", "iadef.serve.server"]]


def test_the_library_imports_without_the_cli_or_the_server() -> None:
    code = (
        "import sys, iadef.stores, iadef.sparql, iadef.curation\n"
        "import iadef.stores.opening, iadef.sparql.catalogue, iadef.curation.build\n"
        "print(sorted(m for m in sys.modules if m.startswith(('iadef.cli', 'iadef.serve'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=SRC)
    assert out.stdout.strip() == "[]"
