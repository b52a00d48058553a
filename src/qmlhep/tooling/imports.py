"""Which installed distributions a chapter imports, directly or through ``qmlhep``.

Read statically (``ast``): the import statements of the chapter's code cells, then, for
every ``qmlhep`` module reached, every import that module makes (at top level or inside a
function: a conservative over-estimate). The test of the extras checks the result
against ``pyproject.toml``: a Colab reader installs only the chapter's extra.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
import sys
from pathlib import Path

import jupytext

MAGIC = re.compile(r"^\s*(%|!(?!=))")
"""IPython magics and shell escapes (not Python)."""

PROVIDED = {"IPython", "ipykernel", "ipywidgets", "google"}
"""Modules every Jupyter kernel (and Colab) already has."""


def _optional(tree: ast.AST) -> set[int]:
    """ids of import nodes inside ``try: … except ImportError`` (optional imports)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id in {"ImportError", "ModuleNotFoundError"}
            for h in node.handlers
        ):
            for stmt in node.body:
                out |= {id(n) for n in ast.walk(stmt)}
    return out


def _imported(tree: ast.AST, package: str | None = None) -> set[str]:
    out = set()
    optional = _optional(tree)
    for node in ast.walk(tree):
        if id(node) in optional:
            continue
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level and package:  # relative import inside qmlhep
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                out.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                out.add(node.module)
                out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def _module_file(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


def closure(names: set[str]) -> set[str]:
    """Every top-level module reached from ``names`` through the ``qmlhep`` modules."""
    seen: set[str] = set()
    todo = list(names)
    top: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        head = name.split(".")[0]
        if head != "qmlhep":
            top.add(head)
            continue
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # the package __init__s run too
            path = _module_file(".".join(parts[:i]))
            if path is None or ".".join(parts[:i]) in seen - {name}:
                continue
            package = (
                ".".join(parts[:i]) if path.name == "__init__.py" else ".".join(parts[: i - 1])
            )
            todo += sorted(_imported(ast.parse(path.read_text()), package))
    return top


def chapter_imports(source: Path) -> set[str]:
    """Every module a chapter's code cells import by name (``qmlhep.jets.sqae``, and for
    ``from qmlhep import metrics`` both ``qmlhep`` and ``qmlhep.metrics``)."""
    names: set[str] = set()
    for cell in jupytext.read(source).cells:
        if cell.cell_type == "code":
            code = "\n".join(line for line in cell.source.splitlines() if not MAGIC.match(line))
            names |= _imported(ast.parse(code))
    return names


def chapter_modules(source: Path) -> set[str]:
    """Top-level modules a chapter needs (standard library and kernel modules removed)."""
    top = closure(chapter_imports(source))
    return {m for m in top if m not in sys.stdlib_module_names and m not in PROVIDED}


def distributions(modules: set[str]) -> set[str]:
    """The distributions (normalised names) that provide ``modules``."""
    mapping = importlib.metadata.packages_distributions()
    out = set()
    for m in modules:
        if m == "qmlhep":
            continue
        for dist in mapping.get(m, [m]):
            out.add(dist.lower().replace("_", "-"))
    return out
