"""Every problem code the source can send, found by reading it (so a new code cannot hide).

A code reaches a problem+json `type` through a parameter named `code` (`ProblemError(status,
code, …)`, `problem_response`, `GateDecision.refuse(code=…)`, `Order.reject(code=…)`, the engine's
and the gate's private helpers), a `code = "…"` class attribute (domain errors) or an assignment
to a variable named `code`. This module collects the string literals — and module-level string
constants — that reach those places anywhere under `src/keel`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "keel"


CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
"""What a problem code looks like; other strings in those places (descriptions) are not codes."""


def _trees(root: Path) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(root.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _code_positions(trees: list[tuple[Path, ast.Module]]) -> dict[str, set[int]]:
    """Function name → positions (self excluded) of its parameter named `code`."""
    positions: dict[str, set[int]] = {}
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [arg.arg for arg in node.args.posonlyargs + node.args.args]
                if names and names[0] in {"self", "cls"}:
                    names = names[1:]
                if "code" in names:
                    positions.setdefault(node.name, set()).add(names.index("code"))
    # A class's constructor is called by the class's name.
    for _path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        names = [arg.arg for arg in item.args.args][1:]
                        if "code" in names:
                            positions.setdefault(node.name, set()).add(names.index("code"))
    return positions


def _callee(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _strings(node: ast.AST, constants: dict[str, set[str]]) -> set[str]:
    """String literals in `node` (through `a or "b"`, conditionals), and named constants."""
    found: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            found.add(part.value)
        elif isinstance(part, ast.Name) and part.id in constants:
            found |= constants[part.id]
        elif isinstance(part, ast.JoinedStr):
            raise AssertionError(f"a problem code built at run time: {ast.unparse(part)}")
    return found


def problem_codes_in_source(root: Path = SOURCE) -> set[str]:
    """Every problem code a string literal (or a constant) in the Python files under `root` can
    send; raises `AssertionError` for a code built at run time (an f-string)."""
    trees = list(_trees(root))
    # Where `code` sits in each function's parameters: the server's helpers, and any under `root`;
    # a helper defined in the file itself wins (two modules may each have their own `_refuse`).
    positions = _code_positions(trees if root == SOURCE else trees + list(_trees(SOURCE)))
    constants: dict[str, set[str]] = {}
    for _path, tree in trees:
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
            ):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.isupper():
                        constants.setdefault(target.id, set()).add(node.value.value)
    codes: set[str] = set()
    for path, tree in trees:
        local = _code_positions([(path, tree)])
        defined_here = {
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        codes |= _strings(keyword.value, constants)
                name = _callee(node) or ""
                found = local.get(name, set()) if name in defined_here else positions.get(name)
                for position in found or ():
                    if position < len(node.args):
                        codes |= _strings(node.args[position], constants)
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                named_code = any(isinstance(t, ast.Name) and t.id == "code" for t in targets)
                if named_code and node.value is not None:
                    codes |= _strings(node.value, constants)
    return {code for code in codes if CODE_PATTERN.match(code)}


def message_texts_in_source(root: Path = SOURCE, *, skip: tuple[str, ...] = ()) -> list[str]:
    """The literal text of every message a refusal carries: the `detail` of `ProblemError` and
    `problem_response`, the message of a raised error, and a gate decision's reason (f-strings
    with their placeholders left out), from files under `root` not under a `skip` folder."""
    texts: list[str] = []
    detail_at = {"ProblemError": 2, "problem_response": 2, "refuse": 0, "_refuse": 0}
    for path, tree in _trees(root):
        if any(part in path.relative_to(root).parts for part in skip):
            continue
        for node in ast.walk(tree):
            argument: ast.AST | None = None
            if isinstance(node, ast.Call) and _callee(node) in detail_at:
                position = detail_at[_callee(node) or ""]
                if position < len(node.args):
                    argument = node.args[position]
            elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                argument = node.exc.args[0]
            if argument is None:
                continue
            pieces = [
                part.value
                for part in ast.walk(argument)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            ]
            if pieces:
                texts.append(f"{path.relative_to(root)}: " + "".join(pieces))
    return texts
