"""Jupyter Book 1's own template, built here as the yardstick for the course's pages (used by bench/run.py).

``jupyter-book create`` writes the template from the files installed with Jupyter Book (no
network); ``jupyter-book build`` then builds it with the same Jupyter Book, Sphinx and theme as the
course, and, as the template's _config.yml asks (``execute_notebooks: force``), runs its notebook
page's code in the course's environment (numpy, and matplotlib from the ``bench`` group), so its
figure is on the page as on a published template. Nothing is fetched.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "_build" / "bench" / "jb-template"
HTML = SOURCE / "_build" / "html"
JUPYTER_BOOK = ROOT / ".venv" / "bin" / "jupyter-book"


def build(log: Path) -> list[str]:
    """Create and build the template from scratch; its pages, as paths under ``HTML``."""
    shutil.rmtree(SOURCE, ignore_errors=True)
    SOURCE.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        for command in ([str(JUPYTER_BOOK), "create", str(SOURCE)], [str(JUPYTER_BOOK), "build", str(SOURCE)]):
            out.write(f"\n$ {' '.join(command)}\n")
            out.flush()
            subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=True)
    toc = yaml.safe_load((SOURCE / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"], *(chapter["file"] for chapter in toc.get("chapters", []))]
    return [f"{page}.html" for page in pages]
