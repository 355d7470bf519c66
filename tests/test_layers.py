"""The core's layers, held: each subpackage of gancore imports only its own layer or lower ones,
no import cycle exists (imports inside functions counted), family modules are named only where
a family is a choice a person makes, and gancore never imports streamlit.

    base < learn < data < measure < models < train < io < presets < runs < explore < toy < cli
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "gancore"
LAYERS = ("base", "learn", "data", "measure", "models", "train", "io", "presets", "runs", "explore", "toy", "cli")
# A family's own module may be named here (the registry, its presets, the pages' computations, the
# toy lab); everywhere else asks gancore.models.catalog, so the trainer knows no family.
FAMILY_NAMED_IN = {"models", "presets", "explore", "toy"}
NOT_FAMILIES = {"gancore.models", "gancore.models.family", "gancore.models.catalog", "gancore.models.common", "gancore.models.paired"}
# Imports made inside a function, each with the reason it must stay lazy. None is needed today.
LAZY: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(CORE.rglob("*.py"))}


def resolve(target: str) -> str | None:
    """The gancore module an import names (``from gancore.data import images`` -> gancore.data.images)."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def imports(name: str) -> list[tuple[str, bool]]:
    """(imported gancore module, made inside a function) for every import in module ``name``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    inside: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(n) for n in ast.walk(fn)}
    found = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            targets = [f"{node.module}.{a.name}" for a in node.names]
        for t in targets:
            if t.split(".")[0] == "gancore" and (mod := resolve(t)) and mod != name:
                found.append((mod, id(node) in inside))
    return found


def layer(name: str) -> int | None:
    """A module's layer index (None for gancore itself and its __main__, which stand above all)."""
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


GRAPH = {name: imports(name) for name in MODULES}


def test_every_module_lives_in_a_layer():
    loose = [n for n in MODULES if layer(n) is None and n not in ("gancore", "gancore.__main__")]
    assert loose == [], "a module beside the layers: put it in one"
    assert sorted(p.name for p in CORE.glob("*.py")) == ["__init__.py", "__main__.py"]
    assert {p.name for p in CORE.iterdir() if p.is_dir() and p.name != "__pycache__"} == set(LAYERS)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) is not None))
def test_a_module_imports_only_its_own_layer_or_lower(name):
    upward = [f"{mod} ({LAYERS[layer(mod)]})" for mod, _ in GRAPH[name] if layer(mod) is not None and layer(mod) > layer(name)]
    assert upward == [], f"{name} ({LAYERS[layer(name)]}) reaches up to {upward}"


def test_no_import_made_inside_a_function_unless_it_says_why():
    lazy = sorted({(name, mod) for name, edges in GRAPH.items() for mod, local in edges if local})
    assert [pair for pair in lazy if pair not in LAZY] == [], "a function-local import hides a dependency: import at the top"


def cycles(graph: dict[str, list[tuple[str, bool]]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w, _ in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while (w := stack.pop()) != v:
                comp.append(w)
            if comp:
                found.append(sorted([v, *comp]))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle():
    """Every import counts, function-local ones and a package's __init__ too."""
    assert cycles(GRAPH) == []


def test_family_modules_are_named_only_where_a_family_is_chosen():
    families = {n for n in MODULES if n.startswith("gancore.models.") and n not in NOT_FAMILIES}
    assert len(families) == 11
    named = sorted(
        f"{name} -> {mod}"
        for name, edges in GRAPH.items()
        for mod, _ in edges
        if mod in families and LAYERS[layer(name) or 0] not in FAMILY_NAMED_IN and name != "gancore.__main__"
    )
    assert named == []
    branching = [
        f"{name}:{i}"
        for name, path in MODULES.items()
        if LAYERS[layer(name) or 0] not in FAMILY_NAMED_IN | {"models"}
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"family\s*(==|!=|in\b|not in)", line)
    ]
    assert branching == [], "a family's behaviour belongs in its Family object"


def test_the_core_never_imports_streamlit_and_no_module_passes_300_lines():
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        heads = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        heads |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "streamlit" not in heads, name
    long = [
        str(p.relative_to(ROOT))
        for d in ("gancore", "ui", "pages")
        for p in (ROOT / d).rglob("*.py")
        if len(p.read_text().splitlines()) > 300
    ]
    assert long == []


def test_every_error_a_person_sees_has_one_home():
    homes = sorted(
        f"{name}.{node.name}"
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "").endswith(("Error", "Exception")) for b in node.bases)
    )
    assert homes and all(h.startswith("gancore.base.errors.") for h in homes), [
        h for h in homes if not h.startswith("gancore.base.errors.")
    ]


def test_the_checks_catch_what_they_should():
    """The checks themselves, on made-up graphs: a cycle closed by a lazy import, and the order."""
    assert cycles({"a": [("b", False)], "b": [("c", False)], "c": [("a", True)], "d": [("a", False)]}) == [["a", "b", "c"]]
    assert cycles({"a": [("b", False)], "b": []}) == []
    assert layer("gancore.base.config") < layer("gancore.models.catalog") < layer("gancore.runs.engine") < layer("gancore.cli.main")
    assert layer("gancore") is None and layer("gancore.__main__") is None
    assert resolve("gancore.data.images.load_images") == "gancore.data.images" and resolve("gancore.nothing") == "gancore"
