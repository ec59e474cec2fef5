"""The Python an exercise needs, and where the course first shows it.

A reference solution may use only what a student has already seen: in a code cell they ran, in
a snippet of code in the text (a hint such as `` `.dt.days` ``), or in the exercise's own
wording. Solutions do not count, since the student edition hides them. The constructs are the
ones a newcomer has to learn (a ``for`` loop, a ``def``, ``==``, ``.groupby``, ``int()``), read
from the code's syntax tree; a dataset's column read as an attribute (``row.iso3``) is not one.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .lesson import Lesson, has_solution, solution_blocks, source_of

__all__ = ["constructs", "snippets", "Gap", "gaps"]

#: Syntax a newcomer has to be shown, by the name a teacher would use.
SYNTAX: dict[type[ast.AST], str] = {
    ast.FunctionDef: "def",
    ast.Lambda: "lambda",
    ast.For: "for loop",
    ast.While: "while loop",
    ast.If: "if statement",
    ast.IfExp: "conditional expression",
    ast.ListComp: "list comprehension",
    ast.DictComp: "dict comprehension",
    ast.SetComp: "set comprehension",
    ast.GeneratorExp: "generator expression",
    ast.Try: "try",
    ast.With: "with",
    ast.AugAssign: "augmented assignment",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.BoolOp: "and/or",
}
OPERATORS: dict[type[ast.AST], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",  # codespell:ignore
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.Sub: "-",
    ast.Div: "/",
    ast.Mult: "*",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.Invert: "~",
}
_MAGIC = re.compile(r"^[ \t]*[%!].*$", re.M)
_INLINE = re.compile(r"`([^`\n]+)`")
_FENCED = re.compile(r"```[a-z]*\n(.*?)```", re.S)


def _parse(code: str) -> ast.AST | None:
    code = _MAGIC.sub("", code)
    if code.lstrip().startswith("."):  # a method shown on its own, as in "`.dt.days`"
        code = "x" + code.lstrip()
    for attempt in (code, code.rstrip() + " pass"):  # "for row in rows:" shown as a line of its own
        try:
            return ast.parse(attempt)
        except SyntaxError:
            continue
    return None


def constructs(code: str, ignore: Iterable[str] = ()) -> set[str]:
    """The constructs a piece of code uses: syntax, operators, methods (``.groupby``) and calls of
    plain functions (``int()``); attribute names in `ignore` (dataset columns) are left out."""
    tree = _parse(code)
    if tree is None:
        return set()
    skip = set(ignore)
    found: set[str] = set()
    for node in ast.walk(tree):
        found |= {name for kind, name in SYNTAX.items() if isinstance(node, kind)}
        if isinstance(node, ast.Attribute) and node.attr not in skip:
            found.add(f".{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            found.add(f"{node.func.id}()")
        elif isinstance(node, ast.Compare):
            found |= {OPERATORS[type(op)] for op in node.ops if type(op) in OPERATORS}
        elif isinstance(node, (ast.BinOp, ast.UnaryOp)) and type(node.op) in OPERATORS:
            found.add(OPERATORS[type(node.op)])
    return found


def snippets(markdown: str) -> list[str]:
    """The pieces of code a Markdown text shows: inline code and fenced blocks."""
    return _INLINE.findall(markdown) + _FENCED.findall(markdown)


def _columns(root: Path) -> set[str]:
    package = json.loads((root / "data" / "datapackage.json").read_text(encoding="utf-8"))
    return {field["name"] for resource in package["resources"] for field in resource["schema"]["fields"]}


@dataclass(frozen=True)
class Gap:
    """A construct an exercise's solution needs that nothing before it has shown."""

    lesson: str
    exercise: str
    construct: str

    def __str__(self) -> str:
        return f"{self.lesson}, Exercise {self.exercise}: its solution uses {self.construct}, not shown before"


def gaps(lessons: Iterable[Lesson], root: Path) -> list[Gap]:
    """Every construct a reference solution uses before the course has shown it, in course order.

    What counts as shown: the code cells a student runs (not solutions) and the code snippets in
    the text, from the first lesson up to the exercise's own wording and hints.
    """
    columns = _columns(root)
    seen: set[str] = set()
    found: list[Gap] = []
    for lesson in lessons:
        labels = {cell: exercise.label for exercise in lesson.exercises for cell in exercise.solution_cells}
        for index, cell in enumerate(lesson.cells):
            source = source_of(cell)
            if cell["cell_type"] == "markdown":
                for snippet in snippets(source):
                    seen |= constructs(snippet, columns)
            elif has_solution(source):
                needed = set().union(*(constructs(block.body, columns) for block in solution_blocks(source)))
                label = labels.get(index, f"in cell {index}")
                found += [Gap(lesson.name, label, name) for name in sorted(needed - seen)]
                outside = _MARKERS_AND_BODY.sub("", source)
                seen |= constructs(outside, columns)
            else:
                seen |= constructs(source, columns)
    return found


_MARKERS_AND_BODY = re.compile(r"#\s*BEGIN SOLUTION.*?#\s*END SOLUTION", re.S)
