"""The package is laid out by flow and imports run one way: no module imports one above it,
and there is no import cycle (TYPE_CHECKING imports included)."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"
# Lower number = higher up. A module may import its own package or any package below it.
LAYERS = {
    "__main__": 0, "cli": 0, "shell": 0, "serving": 0, "app": 1, "handlers": 2, "views": 3,
    "services": 4,
    "context": 5, "delivery": 6, "config": 7, "library": 8, "store": 9, "telegram": 9,
    "logging_setup": 10, "error_tracking": 10, "heap": 10,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in BOT.rglob("*.py"):
        parts = path.relative_to(BOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports() -> dict[str, set[str]]:
    modules = _modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and \
                    node.module.split(".")[0] == "bot":
                for alias in node.names:
                    target = f"{node.module}.{alias.name}"
                    edges[name].add(target if target in modules else node.module)
            elif isinstance(node, ast.Import):
                edges[name].update(a.name for a in node.names if a.name.startswith("bot."))
    return edges


def _layer(module: str) -> int:
    parts = module.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else -1


def test_every_module_belongs_to_a_layer() -> None:
    unknown = sorted(m for m in _modules() if m != "bot" and m.split(".")[1] not in LAYERS)
    assert unknown == []


def test_imports_run_one_way() -> None:
    upward = sorted((a, b) for a, targets in _imports().items() for b in targets
                    if b != "bot" and _layer(b) < _layer(a))
    assert upward == []


def test_no_import_cycles() -> None:
    edges = _imports()
    seen: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    cycles: list[list[str]] = []

    def visit(module: str, path: list[str]) -> None:
        seen[module] = 1
        for target in sorted(edges.get(module, ())):
            if seen.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in seen:
                visit(target, path + [target])
        seen[module] = 2

    for module in sorted(edges):
        if module not in seen:
            visit(module, [module])
    assert cycles == []


def test_every_sql_statement_lives_in_the_store() -> None:
    outside = []
    for name, path in _modules().items():
        if name.startswith("bot.store"):
            continue
        text = path.read_text(encoding="utf-8")
        for keyword in ("SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM", "CREATE TABLE"):
            if keyword in text:
                outside.append((name, keyword.strip()))
    assert outside == []
