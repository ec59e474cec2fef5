"""Lesson 3's views of the war years: how states voted at the UN, what they said, what they did.

Who agrees with whom is counted by :mod:`csto_course.measures`, so the heatmap and the checks count
alike. The tables of agreement and cohesion a check shows under a right answer compute the answers:
they are in :mod:`csto_course.exercises.worked`, which the student package leaves out. The heatmap's
state selector is a Vega-Lite parameter, so the one chart works alike on the static
website and in JupyterLab, with no Python running.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import altair as alt
import pandas as pd

from .. import data
from ..errors import CourseTypeError, CourseValueError, course_function, kind_of, require_columns
from ..language import N_, _, display
from ..measures import (
    agreement_with,
    treaty_states,
    vote_matrix,
)
from . import charts

__all__ = [
    "focus_states",
    "VOTE_COLOURS",
    "vote_heatmap",
    "recognition_matrix",
    "alignment_chart",
]

#: The nine states that ever signed the 1992 treaty, then the comparators the lesson sets beside them.
COMPARATORS = ("UKR", "CHN", "IND", "IRN", "TUR", "SRB", "USA")


@course_function
def focus_states() -> list[str]:
    """The nine treaty states (from the ``states`` table), then the comparators, as the views order them."""
    return [*treaty_states(data.load("states")), *COMPARATORS]


#: Okabe and Ito's colours for the three votes, and a pale grey for not voting; every cell
#: also carries a letter, so the chart can be read without telling colours apart.
#: A state with no row for a resolution is "not recorded": no source read gives its vote.
VOTE_COLOURS = {
    "yes": "#0072B2",
    "no": "#D55E00",
    "abstain": "#E69F00",
    "absent": "#D9D9D9",
    "not recorded": "#FFFFFF",
}
VOTE_LETTERS = {"yes": N_("Y"), "no": N_("N"), "abstain": N_("A"), "absent": "–", "not recorded": "?"}
_LETTER_COLOURS = {v: "#ffffff" if v == "yes" else "#1a1a1a" for v in VOTE_COLOURS}


def _vote_letters() -> dict[str, str]:
    """Each vote's letter in its cell, keyed by the vote as the chart shows it (in the reader's language)."""
    return {_vote_name(vote): _(letter) if letter.isalpha() else letter for vote, letter in VOTE_LETTERS.items()}


_VOTE_COLUMNS = ("resolution", "iso3", "state", "vote")
_RESOLUTION_COLUMNS = ("resolution", "date", "short_title", "yes", "no", "abstain", "absent")
_NAMES_WIDTH = 92
#: Below this plot width (pixels) the heatmap's column labels are turned upright.
_UPRIGHT_BELOW = 560


#: Short English names for the comparators; the UN record prints names in capitals.
_SHORT_NAMES = {
    "UKR": N_("Ukraine"),
    "CHN": N_("China"),
    "IND": N_("India"),
    "IRN": N_("Iran"),
    "TUR": N_("Türkiye"),
    "SRB": N_("Serbia"),
    "USA": N_("United States"),
}


def _title_case(un_name: str) -> str:
    small = {"Of", "And", "The"}
    words = un_name.title().split(" ")
    return " ".join(w.lower() if i and w in small else w for i, w in enumerate(words))


def _names(votes: pd.DataFrame) -> dict[str, str]:
    """Each state's usual name in the reader's language: the states table, the comparators, else the UN record's."""
    names = {str(k): _un_name(str(v)) for k, v in zip(votes["iso3"], votes["state"], strict=True)}
    names.update({iso3: _(name) for iso3, name in _SHORT_NAMES.items()})
    states = data.load("states")
    names.update({str(k): display(str(v)) for k, v in zip(states["iso3"], states["name"], strict=True)})
    return names


def _un_name(un_name: str) -> str:
    """A name as the UN record prints it (in capitals), as the reader's language writes it."""
    shown = display(un_name)
    return _title_case(un_name) if shown == un_name else shown


def _vote_name(vote: str) -> str:
    """A vote (``yes``, ``no``, ``abstain``, ``absent``, or ``not recorded``) in the reader's language."""
    return _("not recorded") if vote == "not recorded" else display(vote)


def _focus(votes: pd.DataFrame, states: Iterable[str] | None) -> list[str]:
    """The states the grid shows: ``states`` as a list of ISO3 codes the votes hold, or one sentence why not."""
    present = set(votes["iso3"].astype(str))
    examples = [c for c in ("KAZ", "CHN", *sorted(present)) if c in present]
    such_as = f"such as states=[{examples[0]!r}, {examples[1]!r}]" if len(examples) > 1 else "from the votes table"
    if states is None:
        wanted = focus_states()
    elif isinstance(states, str) or not isinstance(states, Iterable):
        raise CourseTypeError(
            f"vote_heatmap() takes states as a list of ISO3 codes, {such_as}; it got {kind_of(states)}."
        )
    else:
        wanted = list(states)
    unknown = [s for s in wanted if s not in present]
    if unknown:
        listed = ", ".join(map(repr, unknown[:3])) + (f" and {len(unknown) - 3} more" if len(unknown) > 3 else "")
        offer = [c for c in examples if c not in unknown][:2]
        codes = " or ".join(map(repr, offer))
        raise CourseValueError(
            f"No votes are recorded for {listed} in this table: give ISO3 codes it holds"
            + (f", such as {codes}." if offer else ", or pass load('unga_votes').")
        )
    if not wanted:
        raise CourseValueError(f"vote_heatmap() needs at least one state to show, {such_as}.")
    return wanted


# --------------------------------------------------------------------------- heatmap


def _summary_lines(name: str, row: pd.Series) -> list[str]:
    """Three short lines (each fits a phone) saying how often a state voted as Russia did."""
    if pd.isna(row["rate"]):
        return [name, _("never voted on the same"), _("resolution as Russia")]
    same, both = int(row["same"]), int(row["both_voted"])
    return [
        name,
        _("voted as Russia did in {same} of").format(same=same),
        _("{both} votes ({rate})").format(both=both, rate=f"{row['rate']:.0%}"),
    ]


def _heatmap_alt_text(matrix: pd.DataFrame, names: dict[str, str], agreement: pd.DataFrame, reach: int) -> str:
    parts = []
    for iso3 in matrix.index:
        counts = matrix.loc[iso3].fillna("not recorded").value_counts()
        tally = ", ".join(_("{count} {vote}").format(count=n, vote=_vote_name(str(v))) for v, n in counts.items())
        same = (
            ""
            if iso3 not in agreement.index
            else _("; same as Russia on {same} of {both}").format(
                same=int(agreement.loc[iso3, "same"]), both=int(agreement.loc[iso3, "both_voted"])
            )
        )
        parts.append(f"{names.get(iso3, iso3)}: {tally}{same}")
    return _(
        "Grid of {states} states by {count} UN General Assembly resolutions on Ukraine, "
        "{resolutions}, each cell coloured and lettered by the vote: Y yes, N no, A abstain, "
        "dash not voting, question mark not recorded in any source read. A menu highlights one state, or adds "
        "any other state in the roll calls ({reach} in all) as a row under the grid, and says how often it voted "
        "as Russia did. Votes by state: {votes}."
    ).format(
        states=len(matrix),
        count=matrix.shape[1],
        resolutions=", ".join(matrix.columns),
        reach=reach,
        votes="; ".join(parts),
    )


@course_function
def vote_heatmap(
    votes: pd.DataFrame, resolutions: pd.DataFrame, states: Iterable[str] | None = None, default: str = "KAZ"
) -> alt.LayerChart:
    """States by resolutions, coloured and lettered by vote, with a state selector that runs in the browser.

    The grid shows ``states`` (default: the nine treaty states and seven comparators). The
    selector, a Vega-Lite parameter, lists them and then every other state in the roll calls:
    it fades every other row, adds the chosen state's row under the grid if it is not there
    already, and puts its agreement with Russia (``measures.agreement_with``) in the title,
    without Python. Each state's votes are one list in the chart's data, spread into cells in
    the browser.
    """
    require_columns(votes, _VOTE_COLUMNS, "vote_heatmap", "unga_votes")
    require_columns(resolutions, _RESOLUTION_COLUMNS, "vote_heatmap", "unga_resolutions")
    wanted = _focus(votes, states)
    names = _names(votes)
    full = vote_matrix(votes, resolutions)
    others = sorted((s for s in full.index if s not in wanted), key=lambda s: names.get(s, s))
    everyone = [*wanted, *others]
    matrix = full.reindex(index=wanted)
    agreement = agreement_with(votes)
    info = resolutions.set_index(resolutions["resolution"].astype(str))
    rows = [
        {
            "iso3": iso3,
            "name": names.get(iso3, iso3),
            "votes": [
                _vote_name(str(v) if pd.notna(v) else "not recorded") for v in full.loc[iso3, list(full.columns)]
            ],
        }
        for iso3 in everyone
    ]
    columns_info = [
        {
            "resolution": r,
            "column": f"{r}|{pd.Timestamp(info.loc[r, 'date']):%Y-%m}",
            "date": f"{pd.Timestamp(info.loc[r, 'date']):%Y-%m-%d}",
            "title": display(str(info.loc[r, "short_title"])),
        }
        for r in full.columns
    ]
    summaries = {
        iso3: (
            [names.get(iso3, iso3), _("the vote Russia's"), _("own votes are measured against")]
            if iso3 == "RUS"
            else _summary_lines(names.get(iso3, iso3), agreement.loc[iso3])
        )
        for iso3 in everyone
    }
    default = charts.first_choice(default, everyone, "KAZ", "vote_heatmap", "state")
    state = alt.param(
        name="state",
        value=default,
        bind=alt.binding_select(
            options=everyone, labels=[names.get(s, s) for s in everyone], name=_("Highlight a state ")
        ),
    )
    order = list(matrix.columns)
    columns = [f"{r}|{pd.Timestamp(info.loc[r, 'date']):%Y-%m}" for r in order]
    x = alt.X(
        "column:N",
        title=None,
        sort=columns,
        # Two lines (number, month) side by side when there is room; on a phone, one line
        # turned upright, so eleven columns of labels do not run into each other.
        axis=alt.Axis(
            orient="top",
            labelAngle=alt.ExprRef(expr=f"width < {_UPRIGHT_BELOW} ? 270 : 0"),
            labelAlign=alt.ExprRef(expr=f"width < {_UPRIGHT_BELOW} ? 'left' : 'center'"),
            labelBaseline=alt.ExprRef(expr=f"width < {_UPRIGHT_BELOW} ? 'middle' : 'bottom'"),
            labelExpr=f"width < {_UPRIGHT_BELOW} ? replace(datum.label, '|', ' ') : split(datum.label, '|')",
            labelFontSize=11,
        ),
    )
    y = alt.Y(
        "name:N",
        title=None,
        sort=[names.get(s, s) for s in wanted],
        axis=alt.Axis(labelLimit=_NAMES_WIDTH, minExtent=_NAMES_WIDTH, maxExtent=_NAMES_WIDTH),
    )
    highlight = alt.condition("datum.iso3 == state", alt.value(1.0), alt.value(0.35))
    tooltip = [
        alt.Tooltip("name:N", title=_("State")),
        alt.Tooltip("resolution:N", title=_("Resolution")),
        alt.Tooltip("date:N", title=_("Adopted")),
        alt.Tooltip("title:N", title=_("About")),
        alt.Tooltip("vote:N", title=_("Vote")),
    ]
    votes_order = [_vote_name(v) for v in VOTE_COLOURS]
    colours, letter_colours = list(VOTE_COLOURS.values()), list(_LETTER_COLOURS.values())
    cells = (
        alt.Chart()
        .mark_rect(stroke="#ffffff", strokeWidth=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "vote:N",
                title=_("Vote"),
                scale=alt.Scale(domain=votes_order, range=colours),
                legend=alt.Legend(
                    orient="bottom",
                    direction="horizontal",
                    columns=2,
                    labelExpr=f"datum.label == '{_vote_name('absent')}' ? '{_('did not vote')}' : datum.label",
                    symbolStrokeColor="#1a1a1a",
                    symbolStrokeWidth=0.5,
                ),
            ),
            opacity=highlight,
            tooltip=tooltip,
        )
    )
    outline = (
        alt.Chart()
        .transform_filter("datum.iso3 == state")
        .mark_rect(fill=None, stroke="#1a1a1a", strokeWidth=2)
        .encode(x=x, y=y)
    )
    letters = (
        alt.Chart()
        .mark_text(fontSize=11, fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text="letter:N",
            color=alt.Color(
                "vote:N",
                scale=alt.Scale(domain=votes_order, range=letter_colours),
                legend=None,
            ),
            opacity=highlight,
            tooltip=tooltip,
        )
    )
    lookup = json.dumps(summaries)
    title = alt.Title(
        text=alt.ExprRef(expr=f"{lookup}[state]"),
        fontSize=13,
        fontWeight="normal",
        anchor="start",
    )
    shown = json.dumps(wanted)
    chart = (
        alt.layer(cells, letters, outline, data=alt.Data(values=rows))
        .transform_filter(f"indexof({shown}, datum.iso3) >= 0 || datum.iso3 == state")
        .transform_calculate(resolution=json.dumps(list(full.columns)))
        .transform_flatten(["votes", "resolution"], as_=["vote", "resolution"])
        .transform_lookup(
            lookup="resolution",
            from_=alt.LookupData(
                data=alt.Data(values=columns_info), key="resolution", fields=["column", "date", "title"]
            ),
        )
        .transform_calculate(letter=f"{json.dumps(_vote_letters())}[datum.vote]")
        .add_params(state)
        .properties(height=alt.Step(20), title=title)
        .resolve_scale(color="independent")
    )
    return charts.with_alt_text(charts.responsive(chart), _heatmap_alt_text(matrix, names, agreement, len(everyone)))


# --------------------------------------------------------------------------- statements and acts

_POSITION_ORDER = ["recognises", "accepts_de_facto", "non_committal", "no_statement_found", "does_not_recognise"]


@course_function
def recognition_matrix(recognition: pd.DataFrame) -> pd.DataFrame:
    """States by question, each cell the latest position on record (with its date), for a quick read."""
    require_columns(recognition, ("iso3", "question", "position", "date"), "recognition_matrix", "recognition")
    latest = recognition.assign(_d=pd.to_datetime(recognition["date"])).sort_values("_d", na_position="first")
    latest = latest.drop_duplicates(["iso3", "question"], keep="last")
    cell = latest["position"].astype(str).map(_code_name) + latest["date"].map(
        lambda d: "" if pd.isna(d) else f" ({pd.Timestamp(d):%Y-%m})"
    )
    table = latest.assign(cell=cell).pivot(index="iso3", columns="question", values="cell")
    names = dict(zip(*(data.load("states")[c].astype(str) for c in ("iso3", "name")), strict=True))
    table.index = [display(names.get(str(i), str(i))) for i in table.index]
    # the questions' axis keeps its name ("question"), which the table shows above the states
    table.columns = pd.Index([display(str(c)) for c in table.columns], name=_("question"))
    return table.fillna("")


_DIRECTION_COLOURS = {"towards_russia": "#D55E00", "mixed": "#999999", "away_from_russia": "#0072B2"}


def _code_name(code: str) -> str:
    """A coded value (``accepts_de_facto``) as words: its display name, or in English the code with spaces."""
    shown = display(code)
    return code.replace("_", " ") if shown == code else shown


def _direction_label(direction: str) -> str:
    shown = display(direction)
    return direction.replace("_", " ").replace("russia", "Russia") if shown == direction else shown


@course_function
def alignment_chart(acts: pd.DataFrame) -> alt.Chart:
    """One dot per act since 2022, by state and date, coloured and shaped by its direction."""
    require_columns(
        acts, ("act_id", "date", "iso3", "kind", "direction", "description"), "alignment_chart", "alignment_acts"
    )
    names = dict(zip(*(data.load("states")[c].astype(str) for c in ("iso3", "name")), strict=True))
    frame = charts.frame_for_chart(acts[["act_id", "date", "iso3", "kind", "direction", "description"]])
    frame["name"] = [display(names.get(s, s)) for s in frame["iso3"].astype(str)]
    frame["direction"] = frame["direction"].astype(str).map(_direction_label)
    frame["kind"] = frame["kind"].astype(str).map(_code_name)
    order = [_direction_label(d) for d in _DIRECTION_COLOURS]
    counts = acts.groupby(["iso3", acts["direction"].astype(str)]).size()
    summary = "; ".join(
        f"{display(names.get(iso3, iso3))}: "
        + ", ".join(
            _("{count} {direction}").format(count=n, direction=_direction_label(d))
            for (s, d), n in counts.items()
            if s == iso3
        )
        for iso3 in sorted(acts["iso3"].astype(str).unique(), key=lambda s: display(str(names.get(s, s))))
    )
    text = _(
        "Dot chart of {count} acts by the treaty's present and former members since 2022, one row per state, "
        "placed by date and coloured and shaped by direction (towards Russia, mixed, away from Russia). {summary}."
    ).format(count=len(acts), summary=summary)
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, size=70, opacity=0.9, stroke="#1a1a1a", strokeWidth=0.5)
        .encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year", grid=True, gridColor="#e6e6e6")),
            y=alt.Y("name:N", title=None, axis=alt.Axis(labelLimit=_NAMES_WIDTH)),
            color=alt.Color(
                "direction:N",
                title=_("Direction"),
                scale=alt.Scale(domain=order, range=list(_DIRECTION_COLOURS.values())),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            shape=alt.Shape(
                "direction:N",
                scale=alt.Scale(domain=order, range=["triangle-left", "diamond", "triangle-right"]),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            ),
            # Each state's row is split in three, one lane per direction, so acts on the same day
            # (the Victory Day parade of 2023) do not hide one another.
            yOffset=alt.YOffset("direction:N", scale=alt.Scale(domain=order)),
            tooltip=[
                alt.Tooltip("name:N", title=_("State")),
                alt.Tooltip("date:N", title=_("Date")),
                alt.Tooltip("kind:N", title=_("Kind")),
                alt.Tooltip("direction:N", title=_("Direction")),
                alt.Tooltip("description:N", title=_("What happened")),
            ],
        )
        .properties(height=alt.Step(12))
    )
    return charts.with_alt_text(charts.responsive(chart), text)
