"""Make re-executed lessons diff only where their content changed (run by ``make execute``).

``make execute`` runs every lesson with ``--ExecutePreprocessor.store_widget_state=False``, so
no ipywidgets state is saved; this script then removes what still changes from run to run
without meaning anything to a reader:

- ``metadata.widgets`` (widget state; a file saved from JupyterLab may still carry it);
- per-cell run records: ``metadata.execution`` (nbclient's timing) and ``ExecuteTime``;
- the random ``model_id`` of each widget output, replaced by one derived from the cell's id
  and the output's position, so the same lesson always gets the same id.

Nothing is lost: the website executes the lessons itself (jupyter-cache) and renders the
widgets from that run's state, nbval does not compare widget outputs, and the student edition
clears outputs. Running the script twice gives byte-identical files.

Usage (from the repository root)::

    python tools/normalize_notebooks.py notebooks/*.ipynb          # rewrite in place
    python tools/normalize_notebooks.py --check notebooks/*.ipynb  # exit 1 if any would change
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Cell metadata written by a run, not by an author.
RUN_METADATA = ("execution", "ExecuteTime")
USAGE = "usage: python tools/normalize_notebooks.py [--check] NOTEBOOK.ipynb ..."


def stable_model_id(cell_key: str, output_index: int) -> str:
    """A 32-hex-digit id, shaped like ipywidgets' uuid4 ids, that depends only on the cell and output."""
    return hashlib.sha256(f"{cell_key}/{output_index}".encode()).hexdigest()[:32]


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Normalise ``nb`` in place and return it."""
    nb.metadata.pop("widgets", None)
    for index, cell in enumerate(nb.cells):
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        cell_key = cell.get("id") or f"cell-{index}"
        for position, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and view.get("model_id"):
                view["model_id"] = stable_model_id(cell_key, position)
    return nb


def normalize_file(path: Path, *, write: bool = True) -> bool:
    """Normalise one notebook file; True if its bytes changed (or would change, if not ``write``)."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=nbformat.NO_CONVERT)
    after = nbformat.writes(normalize(nb))
    after += "" if after.endswith("\n") else "\n"  # as nbformat.write (and nbconvert --inplace) end the file
    if after == before:
        return False
    if write:
        path.write_text(after, encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"]
    if not paths:
        print(USAGE, file=sys.stderr)
        return 2
    changed = [p for p in paths if normalize_file(p, write=not check)]
    for path in changed:
        print(f"{'would normalise' if check else 'normalised'} {path}")
    return 1 if check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
