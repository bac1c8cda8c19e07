"""The house's layers, read from the source (module-level and function-level imports alike):

- the core (harness/ without cli/, api.py, demo/) never imports the CLI, the API, the demo builder,
  reports/ or trainers/;
- the CLI holds no pipeline: it does not import the scorers, the statistics or the comparison;
- no import circles anywhere (harness/, reports/, trainers/).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harness", "reports", "trainers")
APP_LAYER = ("harness/cli/", "harness/api.py", "harness/demo/", "harness/__init__.py", "harness/__main__.py")
CORE_MUST_NOT = ("harness.cli", "harness.api", "harness.demo", "reports", "trainers")
CLI_MUST_NOT = ("harness.comparison", "harness.scorers", "harness.stats", "harness.per_turn", "harness.runners.cache")


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            parts = list(p.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = p
    return out


def _imports(path: Path, module: str) -> set[str]:
    pkg = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = pkg.split(".")[: len(pkg.split(".")) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    return names


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_core_never_imports_the_app_layer():
    bad = []
    for module, path in _modules().items():
        rel = path.relative_to(ROOT).as_posix()
        if not rel.startswith("harness/") or rel.startswith(APP_LAYER):
            continue
        bad += [f"{rel} imports {n}" for n in sorted(_imports(path, module)) if _under(n, CORE_MUST_NOT)]
    assert not bad, "\n".join(bad)


def test_the_cli_holds_no_pipeline():
    bad = []
    for module, path in _modules().items():
        if module.startswith("harness.cli"):
            bad += [f"{module} imports {n}" for n in sorted(_imports(path, module)) if _under(n, CLI_MUST_NOT)]
    assert not bad, "\n".join(bad)


def test_no_import_circles():
    mods = _modules()

    def resolve(name: str) -> str | None:
        while name:
            if name in mods:
                return name
            name = name.rpartition(".")[0]
        return None

    # Edges into a package's __init__ are left out (as ../shared/tools/import_circles.py does): a
    # registry package imports its members at the bottom, and they import the registry from it.
    edges: dict[str, set[str]] = {}
    for module, path in mods.items():
        targets = {resolve(n) for n in _imports(path, module)}
        edges[module] = {t for t in targets if t and t != module and mods[t].name != "__init__.py"}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in mods:
        if v not in index:
            visit(v)
    assert not circles, "import circles: " + "; ".join(" <-> ".join(c) for c in circles)
