"""Altair set-up and the course's charts, configured once so every lesson looks and behaves alike.

Charts are emitted as plain Vega-Lite v5 JSON (Altair's ``mimetype`` renderer). JupyterLab 4
draws that with its built-in renderer and no network; the book turns the same JSON into a
chart drawn by the site's own copy of vega (see ``bookrender``). No chart loads anything
from a CDN (except on Colab, see :func:`enable`), and the JSON carries no random ids, so saved
outputs stay stable for nbval.

On the website every course chart is as wide as the text column, from a 360 px phone to a
1920 px screen; in JupyterLab the whole chart is ``CHART_WIDTH`` pixels wide (see
:func:`responsive`). Vega-Lite fits the whole chart, axis labels and legend included, in that
width; axis ticks thin out on their own as the chart narrows, and titles that would not fit
break onto more lines (:func:`wrapping_title`). No text is smaller than ``MIN_FONT_SIZE``.
"""

from __future__ import annotations

import json
import math
import sys
import textwrap
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..errors import CourseTypeError, CourseValueError, course_function, kind_of, require_columns
from ..language import _, display
from ..measures import SPELL_COLUMNS, VEGA_REFERENCE, check_day  # the course's one rule: status on 1 July
from ._altair import alt

__all__ = ["enable", "PALETTE", "STATUS_COLOURS", "with_alt_text", "responsive", "wrapping_title", "first_choice"]

#: Okabe and Ito's palette, readable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

#: Membership status colours, fixed so a status has the same colour in every lesson.
STATUS_COLOURS = {
    "member": "#0072B2",
    "frozen": "#E69F00",
    "suspended": "#CC79A7",
    "not a member": "#9E9E9E",
}

#: The width in pixels of a whole chart in JupyterLab (the book's text column is about 700 px;
#: there a chart follows the column instead, see :func:`responsive`), of the SVG map, and the
#: widest the Vega-Lite map is drawn.
CHART_WIDTH = 520

#: The narrowest container a chart must fit: a 360 px phone, less the page's margins and the
#: figure's padding. Charts are checked at this width (tests/browser/test_responsive.py).
NARROWEST = 318

#: No text in a chart (tick labels, legends, marks) is smaller than this, in CSS pixels.
MIN_FONT_SIZE = 11

#: Vega-Lite's sizing that fits the whole chart, axis labels, titles and legends included, in
#: its width (a number, or its container's); the height is what the content needs.
#: https://vega.github.io/vega-lite/docs/size.html#specifying-responsive-width-and-height
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")

#: Average width of a bold title character, as a share of the font size (system-ui, a little
#: generous, so a title wraps slightly early rather than running past the edge).
_BOLD_CHAR = 0.6

if TYPE_CHECKING:
    from altair.theme import ThemeConfig

#: Any Altair chart (Chart, LayerChart, VConcatChart...): with_alt_text returns the same kind.
ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)

TITLE_FONT_SIZE = 15

_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _theme() -> ThemeConfig:
    return {
        "config": {
            "font": _FONT,
            "range": {"category": PALETTE},
            "axis": {"labelColor": "#333333", "titleColor": "#1a1a1a", "labelFontSize": 12, "titleFontSize": 13},
            "legend": {"labelColor": "#333333", "titleColor": "#1a1a1a", "labelFontSize": 12, "titleFontSize": 12},
            "title": {"color": "#1a1a1a", "fontSize": TITLE_FONT_SIZE, "anchor": "start"},
            "view": {"stroke": None, "continuousWidth": CHART_WIDTH, "continuousHeight": 300},
        }
    }


def enable() -> None:
    """Use the course theme and the chart renderer of the notebook front end in use.

    JupyterLab and the book get Vega-Lite JSON (``mimetype``: no scripts, no network). Colab
    cannot draw that JSON, so there charts are HTML that loads vega from a CDN (Altair's
    ``colab`` renderer); Colab is online anyway.
    """
    if "csto" not in alt.theme.names():
        alt.theme.register("csto", enable=False)(_theme)
    alt.theme.enable("csto")
    alt.renderers.enable("colab" if "google.colab" in sys.modules else "mimetype")
    # Inline data keeps each chart self-contained; the course datasets are small.
    alt.data_transformers.disable_max_rows()


def with_alt_text(chart: ChartT, text: str) -> ChartT:
    """Attach a text alternative; the book and JupyterLab expose it to screen readers."""
    return chart.properties(description=text)


def responsive(chart: ChartT) -> ChartT:
    """The whole chart fitted to ``CHART_WIDTH`` pixels, and marked to follow its container on the website.

    In the saved JSON the chart's *total* width, axis labels, titles and legend included, is
    ``CHART_WIDTH`` (``FIT_WIDTH``), which every JupyterLab output area of a laptop holds.
    The mark, ``usermeta.csto.width == "container"``, asks the book's ``charts.js`` to draw it
    as wide as the text column instead, from a 360 px phone to a 1920 px screen: Vega-Lite
    then measures the column when it draws and whenever the window is resized.

    Why not ``width="container"`` in the JSON itself: JupyterLab 4 draws a chart in a box
    that has no width until the chart is in it, so such a chart collapses to its axes there
    (https://github.com/vega/altair/issues/2057). Vega-Lite fits single and layered charts
    only, not concatenations, so the course has none.
    """
    return chart.properties(width=CHART_WIDTH, autosize=FIT_WIDTH, usermeta={"csto": {"width": "container"}})


def wrapping_title(text: str, *, beside: int = 0, font_size: int = TITLE_FONT_SIZE, **kwargs: Any) -> alt.Title:
    """A chart title that breaks onto a second (or third) line when the chart is too narrow for it.

    Vega does not wrap titles, so a long one would run past the edge of a phone's screen. The
    lines are worked out here for each possible number of lines, and a Vega expression picks
    the fewest that fit the chart's current ``width`` (the plot's width; ``beside`` adds the
    room the title may also use beside the plot, such as the y axis's labels).
    """
    options: list[tuple[int, list[str]]] = []  # (pixels needed, lines), fewest lines first
    for limit in range(len(text), 7, -1):
        lines = textwrap.wrap(text, limit)
        needed = math.ceil(max(len(line) for line in lines) * font_size * _BOLD_CHAR)
        if not options or len(lines) > len(options[-1][1]):
            options.append((needed, lines))
        else:  # as many lines, but shorter ones
            options[-1] = (needed, lines)
        if len(lines) >= 3:
            break
    expr = json.dumps(options[-1][1])
    for needed, lines in reversed(options[:-1]):
        value = json.dumps(lines[0] if len(lines) == 1 else lines)
        expr = f"width + {beside} >= {needed} ? {value} : {expr}"
    return alt.Title(text=alt.ExprRef(expr=expr), fontSize=font_size, **kwargs)


def first_choice(value: Any, options: list[str], standard: str, view: str, what: str) -> str:
    """The option a view's menu shows first: ``value`` if the menu has it, or one sentence why not.

    The view's own default (``standard``) may be missing from a table a student narrowed down; the
    menu then starts at its first option. Any other value the student chose and the table lacks
    is a typo, and is said so rather than quietly replaced.
    """
    example = standard if standard in options else options[0]
    if not isinstance(value, str):
        raise CourseTypeError(f"{view}() takes default as text, such as default={example!r}; it got {kind_of(value)}.")
    if value in options:
        return value
    if value == standard:
        return options[0]
    raise CourseValueError(
        f"{view}() has no {what} {value!r} in this table to show first: pass one it has, such as default={example!r}."
    )


def frame_for_chart(frame: pd.DataFrame) -> pd.DataFrame:
    """Make dates ISO text and categories plain, so the chart JSON is stable and small."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype("string")
    return out


@course_function
def membership_gantt(spells: pd.DataFrame, states: pd.DataFrame, until: pd.Timestamp) -> alt.LayerChart:
    """One bar per membership spell, coloured by status; open spells run to ``until``, which the
    title names (in the reader's language, as every label here).

    A year slider (it works in the browser without Python) draws a line at 1 July of that
    year and fades the spells that were not running then.
    """
    columns = (*SPELL_COLUMNS, "source_id", "start_event", "end_event")
    require_columns(spells, columns, "membership_gantt", "membership")
    require_columns(states, ("iso3", "name"), "membership_gantt", "states")
    until = check_day(until, "last day (until)")
    frame = spells.merge(states[["iso3", "name"]], on="iso3", how="left")
    for column in ("name", "status", "start_event", "end_event"):
        frame[column] = frame[column].map(lambda value: display(value) if isinstance(value, str) else value)
    frame["end_date"] = frame["end_date"].fillna(until)
    frame = frame_for_chart(
        frame[["name", "status", "start_date", "end_date", "source_id", "start_event", "end_event"]]
    )
    frame["end_event"] = frame["end_event"].fillna(_("still running when last checked"))
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    statuses = [s for s in STATUS_COLOURS if s != "not a member"]
    shown = [display(s) for s in statuses]
    first, last = int(frame["start_date"].str[:4].min()), int(until.year)
    year = alt.param(name="year", value=first, bind=alt.binding_range(min=first, max=last, step=1, name=_("Year ")))
    running = f"toDate(datum.start_date) <= {VEGA_REFERENCE} && toDate(datum.end_date) > {VEGA_REFERENCE}"
    bars = (
        alt.Chart(alt.Data(values=records))
        .mark_bar(height=14)
        .encode(
            x=alt.X("start_date:T", title=_("Year"), axis=alt.Axis(format="%Y")),
            x2="end_date:T",
            y=alt.Y("name:N", title=None, sort="ascending"),
            color=alt.Color(
                "status:N",
                title=_("Status"),
                scale=alt.Scale(domain=shown, range=[STATUS_COLOURS[s] for s in statuses]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            opacity=alt.condition(running, alt.value(1.0), alt.value(0.3)),
            tooltip=[
                alt.Tooltip("name:N", title=_("State")),
                alt.Tooltip("status:N", title=_("Status")),
                alt.Tooltip("start_date:N", title=_("From")),
                alt.Tooltip("end_date:N", title=_("To")),
                alt.Tooltip("start_event:N", title=_("Began with")),
                alt.Tooltip("end_event:N", title=_("Ended with")),
                alt.Tooltip("source_id:N", title=_("Source")),
            ],
        )
        .add_params(year)
    )
    rule = (
        alt.Chart(alt.Data(values=[{}]))
        .transform_calculate(when=VEGA_REFERENCE)
        .mark_rule(color="#1a1a1a", strokeDash=[4, 3])
        .encode(x="when:T")
    )
    title = _("Membership spells, {first} to {until}").format(first=first, until=f"{until:%Y-%m-%d}")
    layered = responsive(alt.layer(bars, rule).properties(height=alt.Step(22), title=wrapping_title(title, beside=110)))
    return with_alt_text(layered, describe_spells(spells, states))


def describe_spells(spells: pd.DataFrame, states: pd.DataFrame) -> str:
    """A text alternative for the spells chart, written from the data so it cannot go stale."""
    names = states.set_index("iso3")["name"]
    parts = []
    for iso3, group in spells.sort_values("start_date").groupby("iso3", sort=False):
        steps = ", ".join(
            _("{status} from {start}").format(status=display(str(row.status)), start=f"{row.start_date:%Y}")
            + ("" if pd.isna(row.end_date) else _(" to {end}").format(end=f"{row.end_date:%Y}"))
            for row in group.itertuples()
        )
        parts.append(f"{display(str(names.get(iso3, iso3)))}: {steps}")
    return (
        _(
            "Horizontal bars, one per membership spell, for {count} states, coloured by "
            "status; a year slider marks a year and fades the spells not running then. "
        ).format(count=spells["iso3"].nunique())
        + "; ".join(parts)
        + "."
    )


def members_over_time(per_year: pd.Series) -> alt.Chart:
    """Step chart of members taking full part per year, with a text alternative listing every change."""
    frame = per_year.rename("members").rename_axis("year").reset_index()
    changes = [
        f"{year} ({count})"
        for year, count, before in zip(frame["year"][1:], frame["members"][1:], frame["members"][:-1], strict=True)
        if count != before
    ]
    first, last = frame.iloc[0], frame.iloc[-1]
    text = _(
        "Step chart of the number of members taking full part on 1 July of each year, {first} to {last}. "
        "It starts at {start}; it changes in {changes}, ending at {end}."
    ).format(first=first.year, last=last.year, start=first.members, changes=", ".join(changes), end=last.members)
    # 170 px tall, so the chart, its text alternative and its caption fit one projector
    # screen (1280 x 720 at 150 % zoom; tests/browser/test_responsive.py).
    # Years on a continuous axis: Vega picks round years for the ticks and fewer of them as the
    # chart narrows (about one per 40 px), so the labels stay level and never overlap.
    years = alt.Scale(domain=[int(first.year), int(last.year)], nice=False, zero=False, padding=8)
    chart = (
        alt.Chart(frame)
        .mark_line(point=True, interpolate="step-after", color=PALETTE[0])
        .encode(
            x=alt.X(
                "year:Q", title=_("Year (status on 1 July)"), scale=years, axis=alt.Axis(format="d", tickMinStep=1)
            ),
            y=alt.Y("members:Q", title=_("Members taking full part"), scale=alt.Scale(domainMin=0)),
            tooltip=[
                alt.Tooltip("year:Q", title=_("Year"), format="d"),
                alt.Tooltip("members:Q", title=_("Members taking full part")),
            ],
        )
        .properties(height=170, title=wrapping_title(_("Members taking full part in the treaty, by year"), beside=45))
    )
    return with_alt_text(responsive(chart), text)
