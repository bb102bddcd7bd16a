"""Reading content/'s YAML files field by field, naming the file and field of each problem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.library.problems import Problem


def read_yaml(path: Path, root: Path, problems: list[Problem]) -> Any:
    name = str(path.relative_to(root))
    if not path.is_file():
        problems.append(Problem(name, "-", "file is missing"))
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        problems.append(Problem(name, "-", f"not valid YAML: {one_line(exc)}"))
        return None

def entries(data: Any, key: str, name: str, problems: list[Problem]) -> list[dict[str, Any]]:
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        problems.append(Problem(name, key, "must be a list of mappings"))
        return []
    return items

def text_field(entry: dict[str, Any], key: str, name: str, problems: list[Problem]) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(name, key, "is missing or empty"))
        return ""
    return value.strip()

def one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
