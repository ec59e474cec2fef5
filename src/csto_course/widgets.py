"""ipywidgets explorers for JupyterLab.

Widgets need a running kernel to respond; on the static website their saved state is
shown and the page says so. Every explorer copes with an empty selection by saying what
to pick, never with a traceback.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd

from . import data

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
    return (
        f'<p style="margin:0.4em 0"><b>{caption}</b></p>'
        f'<div style="overflow-x:auto;font-size:0.85em">{body}</div>'
    )


def dataset_browser(default: str = "states", rows: int = 5) -> widgets.VBox:
    """Pick a dataset to see its first rows and its codebook."""
    names = data.datasets()
    picker = widgets.Dropdown(
        options=[("(choose a dataset)", "")] + [(n, n) for n in names],
        value=default if default in names else "",
        description="Dataset:",
    )
    view = widgets.HTML()

    def show(_: object = None) -> None:
        if not picker.value:
            view.value = _message("Choose a dataset from the list to see its rows and what each column means.").value
            return
        frame = data.load(picker.value)
        view.value = _table_html(
            frame.head(rows), f"{picker.value}: {len(frame)} rows, {len(frame.columns)} columns. The first {rows}:"
        ) + _table_html(data.describe(picker.value), "What each column means:")

    picker.observe(show, names="value")
    show()
    return widgets.VBox([picker, view])
