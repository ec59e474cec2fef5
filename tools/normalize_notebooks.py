"""Make re-executed lessons diff only where their content changed (run by ``make execute``).

``make execute`` runs every lesson with ``--ExecutePreprocessor.store_widget_state=False``, so
no ipywidgets state is saved; this script then removes what still changes from run to run
without meaning anything to a reader:

- ``metadata.widgets`` (widget state; a file saved from JupyterLab may still carry it);
- per-cell run records: ``metadata.execution`` (nbclient's timing) and ``ExecuteTime``;
- what an editor saves about its view of a cell: ``collapsed``, ``scrolled``, ``trusted``
  (a folded output is saved as ``jupyter.outputs_hidden``);
- the random ``model_id`` of each widget output, replaced by one derived from the cell's id
  and the output's position, so the same lesson always gets the same id.

It writes each citation's author and year from ``data/sources.csv`` into its ``<cite>`` element
(:func:`csto_course.website.citations.labelled`), so a lesson reads "(Author, year)" in
JupyterLab as on the website, and ``--check`` fails when a label no longer matches its source.
A translated lesson (``make ru-lessons`` normalises the Russian ones, whose metadata
``csto_course.language`` says so) keeps its labels: they are translated in its catalog.

It writes each lesson's time into "At a glance" (:func:`csto_course.authoring.timing.stamp_time`):
the reading estimate plus the estimates written under the exercises' headings, so the stated time
is a sum, not a guess, and ``--check`` fails when an edit changed it.

It also writes nbgrader's cell metadata (``metadata.nbgrader``), derived from the sources by
:mod:`csto_course.authoring.nbgrader`: solution cells, their check cells as autograded tests, and model
answers as manually graded answers; so ``nbgrader generate_assignment`` and ``autograde`` work on
the lessons, and ``--check`` fails when a lesson's metadata no longer matches its sources.

It also reports, but leaves for an author to fix, what it cannot normalise:

- metadata no lesson uses (only ``kernelspec`` and ``language_info`` for a notebook, and
  ``tags``, ``jupyter.outputs_hidden``/``source_hidden``, ``editable``, ``deletable`` and
  ``nbgrader`` for a cell): delete it, or add it to the lists below if the course starts to need it;
- every problem the lesson model finds (:mod:`csto_course.authoring.lesson`): a solution that
  could leak, a solution whose next code cell is not its check, two exercises with one id, an
  exercise whose check id does not carry its label's number;
- outputs not as ``make execute`` writes them: execution counts must run 1, 2, 3... down the
  lesson (cells run out of order in JupyterLab leave gaps or a jumble), so run ``make execute``.

Nothing is lost: the website executes the lessons itself (jupyter-cache) and renders the
widgets from that run's state, nbval does not compare widget outputs, and the student edition
clears outputs. Running the script twice gives byte-identical files.

Usage (from the repository root)::

    python tools/normalize_notebooks.py notebooks/*.ipynb          # rewrite in place
    python tools/normalize_notebooks.py --check notebooks/*.ipynb  # exit 1 if any would change

Either way it exits 1 if it finds a problem it cannot fix (listed above).
"""

from __future__ import annotations

import functools
import hashlib
import sys
from pathlib import Path

import nbformat

from csto_course.authoring import nbgrader as nbgrader_metadata
from csto_course.authoring.lesson import read_lesson
from csto_course.authoring.timing import stamp_time
from csto_course.data import load
from csto_course.language import metadata_language
from csto_course.website.citations import labelled, labels

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: Cell metadata written by a run or an editor's view, not by an author: removed.
RUN_METADATA = ("execution", "ExecuteTime", "collapsed", "scrolled", "trusted")
#: Notebook metadata removed: widget state, and a trust flag some editors save.
NOTEBOOK_RUN_METADATA = ("widgets", "trusted")
#: Metadata the lessons use; anything else is reported. ``csto_course`` holds a translated lesson's
#: language (csto_course.language).
NOTEBOOK_METADATA = frozenset({"kernelspec", "language_info", "csto_course"})
CELL_METADATA = frozenset({"tags", "jupyter", "editable", "deletable", "nbgrader"})
JUPYTER_CELL_METADATA = frozenset({"outputs_hidden", "source_hidden"})
USAGE = "usage: python tools/normalize_notebooks.py [--check] NOTEBOOK.ipynb ..."


def stable_model_id(cell_key: str, output_index: int) -> str:
    """A 32-hex-digit id, shaped like ipywidgets' uuid4 ids, that depends only on the cell and output."""
    return hashlib.sha256(f"{cell_key}/{output_index}".encode()).hexdigest()[:32]


@functools.cache
def citation_labels() -> dict[str, str]:
    """Each source's "Author, year", read once per run."""
    return labels(load("sources"))


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Normalise ``nb`` in place and return it."""
    for key in NOTEBOOK_RUN_METADATA:
        nb.metadata.pop(key, None)
    source_language = metadata_language(nb.metadata) in (None, "en")
    for cell in nb.cells:
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if source_language and cell.cell_type == "markdown" and "<cite" in cell.source:
            cell.source = labelled(cell.source, citation_labels())
    stamp_time(nb.cells)  # "At a glance" states the sum of the reading and exercise estimates
    nbgrader_metadata.apply(nb)  # nbgrader's metadata, from the sources (problems() reports what it cannot mark)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        cell_key = cell.get("id") or f"cell-{index}"
        for position, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if isinstance(view, dict) and view.get("model_id"):
                view["model_id"] = stable_model_id(cell_key, position)
    return nb


def problems(nb: nbformat.NotebookNode, name: str = "notebook") -> list[str]:
    """What :func:`normalize` cannot fix, each line naming ``name``: stray metadata, the lesson model's
    problems (which name the cell themselves), outputs out of order."""
    found = [
        f"notebook metadata '{key}' is not used by the lessons" for key in sorted(set(nb.metadata) - NOTEBOOK_METADATA)
    ]
    expected_count = 1
    for index, cell in enumerate(nb.cells):
        where = f"cell {index} ({cell.get('id', 'no id')})"
        stray = sorted(set(cell.metadata) - CELL_METADATA - set(RUN_METADATA))
        stray += [f"jupyter.{key}" for key in sorted(set(cell.metadata.get("jupyter", {})) - JUPYTER_CELL_METADATA)]
        found += [f"{where}: metadata '{key}' is not used by the lessons" for key in stray]
        if cell.cell_type != "code" or cell.get("execution_count") is None:
            continue
        if cell.execution_count != expected_count:
            found.append(
                f"{where}: execution count {cell.execution_count} where a run from the top gives {expected_count}"
                " (run `make execute`)"
            )
        expected_count = cell.execution_count + 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result" and output.get("execution_count") != cell.execution_count:
                found.append(
                    f"{where}: an output numbered {output.get('execution_count')} in a cell numbered "
                    f"{cell.execution_count} (run `make execute`)"
                )
    return [f"{name}: {line}" for line in found] + [problem.message for problem in read_lesson(nb, name).problems]


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
    if check and changed:
        print(f"to fix: python tools/normalize_notebooks.py {' '.join(map(str, changed))}")
    found = [
        line for path in paths for line in problems(nbformat.read(path, as_version=nbformat.NO_CONVERT), str(path))
    ]
    for line in found:
        print(line)
    return 1 if found or (check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
