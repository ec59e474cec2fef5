"""Command line: ``python -m csto_course bib | codebook | exercises``."""

from __future__ import annotations

import sys

from . import data
from .checks import exercises


def main(argv: list[str]) -> int:
    commands = {
        "bib": lambda: print(data.sources_bibtex(), end=""),
        "codebook": lambda: print(data.codebook_markdown()),
        "exercises": lambda: print("\n".join(f"{k}: {v}" for k, v in exercises().items())),
    }
    if len(argv) != 1 or argv[0] not in commands:
        print(f"usage: python -m csto_course {{{'|'.join(commands)}}}", file=sys.stderr)
        return 2
    commands[argv[0]]()
    return 0


raise SystemExit(main(sys.argv[1:]))
