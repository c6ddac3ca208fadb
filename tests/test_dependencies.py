"""Dependencies point one way, `schools ← indicators ← monitoring ← roadmaps ← reports ← documents`
(STYLE.md), and the modules of an app import each other without circles. Read from the source with `ast`:
imports at any depth (also inside functions), and the app labels given to `apps.get_model` /
`import_module`."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["schools", "indicators", "monitoring", "roadmaps", "reports", "documents"]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module (and `module.name`) the file imports, relative imports resolved, plus the modules
    named by string to `get_model` and `import_module`."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            if node.module:  # `from . import x` imports the submodule x, not the package it sits in
                found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            function = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if function in ("get_model", "import_module") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def _sources(app: str) -> list[Path]:
    return [p for p in sorted((ROOT / app).rglob("*.py")) if "migrations" not in p.parts]


@pytest.mark.parametrize("app", LAYERS)
def test_apps_import_only_the_apps_below_them(app):
    above = LAYERS[LAYERS.index(app) + 1 :]
    upward = sorted(
        (_module_name(path), module)
        for path in _sources(app)
        for module in _imports(path)
        if module.split(".")[0] in above
    )
    assert upward == []


def _circles(app: str) -> list[list[str]]:
    modules = {_module_name(path): path for path in _sources(app)}
    graph = {
        name: sorted({m for m in _imports(path) if m in modules and m != name})
        for name, path in modules.items()
    }
    circles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in graph[name]:
            if state.get(target) == "open":
                circles.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return circles


@pytest.mark.parametrize(
    "app",
    [
        "schools",
        "indicators",
        "monitoring",
        "roadmaps",
    ],
)
def test_no_import_circles_inside_an_app(app):
    assert _circles(app) == []
