"""Citations that read well everywhere a lesson is opened.

Lessons cite sources as ``(<cite>belarus-mfa-csto-2023; pavlodar-protocol-1999</cite>)``:
plain HTML that JupyterLab, Colab, VS Code and GitHub all show as readable text, naming the
ids a student can look up with ``load("sources")``. A MyST role such as ``{cite:p}`` would
show as raw markup everywhere but in the book. When the book is built, :func:`to_myst`
turns each citation into the ``{cite:p}`` role, so the website keeps its author-year
citations linked to the references page (see ``sphinxext``).
"""

from __future__ import annotations

import re

__all__ = ["CITATION", "cited_keys", "to_myst"]

#: One citation: one or more source ids in a <cite> element, inside parentheses.
CITATION = re.compile(r"\(<cite>([^<>()]+)</cite>\)")

#: A source id as data/sources.csv writes it.
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _keys(inside: str) -> list[str]:
    return [k.strip() for k in re.split(r"[;,]", inside) if k.strip()]


def cited_keys(text: str) -> list[str]:
    """Every source id cited in ``text``, in order, with repeats."""
    return [key for match in CITATION.finditer(text) for key in _keys(match.group(1))]


def to_myst(text: str) -> str:
    """Turn each ``(<cite>a; b</cite>)`` into MyST's ``{cite:p}`a,b```, for the book's bibliography.

    Works on Markdown and on a notebook's raw JSON alike: the pattern holds no character
    that JSON escapes.
    """
    return CITATION.sub(lambda m: "{cite:p}`" + ",".join(_keys(m.group(1))) + "`", text)
