"""The dataset browser: pick a dataset to see its first rows and its codebook.

Widgets need a running kernel to respond; the static website shows a note in their place
(see ``bookrender``). The browser copes with an empty selection by saying what
to pick, and with a bad argument by one sentence, never with a traceback.
"""

from __future__ import annotations

from html import escape
from numbers import Integral

import ipywidgets as widgets
import pandas as pd

from .. import data
from ..errors import CourseError, CourseTypeError, CourseValueError, course_function, kind_of
from ..language import _

__all__ = ["dataset_browser"]


def _message(text: str) -> widgets.HTML:
    return widgets.HTML(f'<p style="color:#1a1a1a;background:#f2f2f2;padding:0.4em 0.6em">{text}</p>')


def _table_html(frame: pd.DataFrame, caption: str, width: int = 48) -> str:
    """A compact table as HTML (long text cut to ``width`` characters, missing values blank).

    Kept as HTML in the widget's state, so the saved view renders on the static site too.
    """

    def cell(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        text = value.strftime("%Y-%m-%d") if isinstance(value, pd.Timestamp) else str(value)
        return text if len(text) <= width else text[: width - 1] + "…"

    shown = frame.astype(object).map(cell)
    body = shown.to_html(index=False, border=0, classes="csto-table", escape=True)
    return f'<p style="margin:0.4em 0"><b>{caption}</b></p><div style="overflow-x:auto;font-size:0.85em">{body}</div>'


MAX_ROWS = 50


def _check_rows(rows: object) -> int:
    """``rows`` as a whole number from 1 to :data:`MAX_ROWS`, or one sentence saying what to type."""
    if isinstance(rows, bool) or not isinstance(rows, Integral):
        if isinstance(rows, str) and rows.strip().isdigit():
            got = f"the text '{rows}': write rows={rows.strip()} without quotes"
        else:
            got = f"{kind_of(rows)}: write a whole number, such as rows=5"
        raise CourseTypeError(f"dataset_browser() takes rows as a whole number, not {got}.")
    count = int(rows)
    if not 1 <= count <= MAX_ROWS:
        raise CourseValueError(
            f"dataset_browser() shows from 1 to {MAX_ROWS} rows, so rows={rows} will not work: try rows=5."
        )
    return count


@course_function
def dataset_browser(default: str | None = "states", rows: int = 5) -> widgets.VBox:
    """Pick a dataset to see its first rows and its codebook.

    ``default`` is the dataset shown first (spaces and capitals ignored, as in ``load``);
    ``None`` or ``""`` starts at the "choose a dataset" prompt. ``rows`` is how many rows
    to show, a whole number from 1 to 50.

    A name that is not a dataset, such as ``dataset_browser("membrship")``, raises
    :class:`~csto_course.data.UnknownDatasetError` with the closest name, exactly as
    ``load`` does, rather than quietly opening at the prompt: a student who typed a name
    meant that dataset, and the prompt would hide the typo and look like a broken browser.
    """
    rows = _check_rows(rows)
    if default is None or (isinstance(default, str) and not default.strip()):
        first = ""
    else:
        first = data.dataset_name(default, caller="dataset_browser")
    names = data.datasets()
    picker = widgets.Dropdown(
        options=[(_("(choose a dataset)"), "")] + [(n, n) for n in names],
        value=first,
        description=_("Dataset:"),
    )
    view = widgets.HTML()

    def show(_change: object = None) -> None:
        if not picker.value:
            view.value = _message(_("Choose a dataset from the list to see its rows and what each column means.")).value
            return
        try:
            frame = data.load(picker.value)
        except CourseError as err:  # a broken CSV: say so in the widget, not as a traceback in the log
            view.value = _message(escape(str(err))).value
            return
        which = _("The first {count}:").format(count=rows) if rows < len(frame) else _("All of them:")
        caption = _("{dataset}: {rows} rows, {columns} columns. {which}").format(
            dataset=picker.value, rows=len(frame), columns=len(frame.columns), which=which
        )
        view.value = _table_html(frame.head(rows), caption) + _table_html(
            data.describe(picker.value), _("What each column means:")
        )

    picker.observe(show, names="value")
    show()
    return widgets.VBox([picker, view])
