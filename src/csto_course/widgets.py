"""ipywidgets explorers for JupyterLab.

Widgets need a running kernel to respond; on the static website their saved state is
shown and the page says so. Every explorer copes with an empty selection by saying what
to pick, never with a traceback.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from . import data

__all__ = ["dataset_browser"]


def _message(text: str) -> widgets.HTML:
    return widgets.HTML(f'<p style="color:#1a1a1a;background:#f2f2f2;padding:0.4em 0.6em">{text}</p>')


def dataset_browser(default: str = "states", rows: int = 5) -> widgets.VBox:
    """Pick a dataset to see its first rows and its codebook."""
    names = data.datasets()
    picker = widgets.Dropdown(
        options=[("(choose a dataset)", "")] + [(n, n) for n in names],
        value=default if default in names else "",
        description="Dataset:",
    )
    out = widgets.Output()

    def show(_: object = None) -> None:
        out.clear_output()
        with out:
            if not picker.value:
                display(_message("Choose a dataset from the list to see its rows and what each column means."))
                return
            frame = data.load(picker.value)
            display(_message(f"<b>{picker.value}</b>: {len(frame)} rows, {len(frame.columns)} columns. First {rows}:"))
            with pd.option_context("display.max_colwidth", 60):
                display(frame.head(rows))
            display(data.describe(picker.value))

    picker.observe(show, names="value")
    show()
    return widgets.VBox([picker, out])
