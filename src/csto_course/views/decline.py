"""Lesson 4's views: who pays, where Russia's forces are, who looks elsewhere, and a dependence index.

The rules behind every figure (ties, the index) live in :mod:`csto_course.measures`. Those that only
compute an exercise's answer (spending shares, the years left on a base agreement) are the graders',
in :mod:`csto_course.exercises.answers`; the bases table with the years left, which a check shows
under a right answer, is in :mod:`csto_course.exercises.worked`. The index builder's sliders are
Vega-Lite parameters, so the one chart works alike on the static website and in JupyterLab, with
no Python running.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from .. import data
from ..errors import course_function, require_columns
from ..language import N_, _, display, number
from ..measures import DEPENDENCE_COMPONENTS, check_year, dependence_index
from . import charts

__all__ = [
    "SHORT_NAMES",
    "spending_chart",
    "bases_table",
    "ties_chart",
    "exercises_chart",
    "index_builder",
]

#: The components' labels on the sliders and in tables.
SHORT_NAMES = {
    "russian_sites": N_("Russian sites"),
    "un_agreement": N_("UN votes with Russia"),
    "few_other_ties": N_("Few other partners"),
    "full_participation": N_("Full participation"),
}

#: One colour per kind of partner (Okabe and Ito), fixed across charts.
PARTNER_COLOURS = {
    "china": "#D55E00",
    "turkey": "#CC79A7",
    "eu": "#0072B2",
    "us": "#56B4E9",
    "india": "#E69F00",
    "iran": "#009E73",
    "other": "#999999",
}
PARTNER_LABELS = {
    "china": N_("China"),
    "turkey": N_("Türkiye"),
    "eu": N_("EU or its members"),
    "us": N_("United States"),
    "india": N_("India"),
    "iran": N_("Iran"),
    "other": N_("Other (SCO, BRICS...)"),
}

_NAMES_WIDTH = 92

#: Armenia's part in an exercise, as ``csto_exercises`` codes it, with one colour each (Okabe and Ito;
#: grey for unknown).
ARMENIA_COLOURS = {
    N_("Armenia took part"): "#0072B2",
    N_("Armenia did not take part"): "#D55E00",
    N_("Not known"): "#999999",
}
_ARMENIA_SAYS = {
    "Armenia took part": N_("Armenia took part"),
    "Armenia did not take part": N_("Armenia did not"),
    "Not known": N_("Armenia not known"),
}

#: Okabe and Ito's colours without the yellow, which is too pale for a line on white, then greys
#: for the two comparators (also dashed), so nine lines stay apart.
_LINE_COLOURS = {
    "Russia": "#000000",
    "Armenia": "#E69F00",
    "Kyrgyzstan": "#009E73",
    "Belarus": "#0072B2",
    "Tajikistan": "#CC79A7",
    "Kazakhstan": "#D55E00",
    "Uzbekistan": "#56B4E9",
    "China": "#777777",
    "Türkiye": "#8C510A",
}


def _names() -> dict[str, str]:
    """Each state's name in the reader's language, by ISO3 code (the two comparators too)."""
    states = data.load("states")
    names = {str(k): display(str(v)) for k, v in zip(states["iso3"], states["name"], strict=True)}
    return {**names, "CHN": _("China"), "TUR": _("Türkiye")}


def _line_colours() -> dict[str, str]:
    """Each spending line's colour, by the state's name as the chart shows it."""
    codes = ["RUS", "ARM", "KGZ", "BLR", "TJK", "KAZ", "UZB", "CHN", "TUR"]
    names = _names()
    return {names.get(code, code): colour for code, colour in zip(codes, _LINE_COLOURS.values(), strict=True)}


# --------------------------------------------------------------------------- spending


@course_function
def spending_chart(spending: pd.DataFrame) -> alt.LayerChart:
    """Military spending as a share of GDP, by state and year; SIPRI's estimates drawn as open points."""
    require_columns(spending, ("iso3", "year", "gdp_share", "status"), "spending_chart", "military_spending")
    names = _names()
    frame = spending[spending["gdp_share"].notna()].copy()
    frame["name"] = [names.get(s, s) for s in frame["iso3"].astype(str)]
    frame["percent"] = frame["gdp_share"].astype(float) * 100
    frame["status"] = [display(s) for s in frame["status"].astype(str)]
    frame = charts.frame_for_chart(frame[["name", "year", "percent", "status", "iso3"]])
    order = [names.get(s, s) for s in ["RUS", "ARM", "KGZ", "BLR", "TJK", "KAZ", "UZB", "CHN", "TUR"]]
    order = [n for n in order if n in set(frame["name"])]
    first, last = int(frame["year"].min()), int(frame["year"].max())
    latest = frame[frame["year"] == last].sort_values("percent", ascending=False)
    text = _(
        "Line chart of military spending as a share of GDP, {first} to {last}, for {count} states "
        "(SIPRI; open points are SIPRI estimates). In {last}: {shares}."
    ).format(
        first=first,
        last=last,
        count=frame["iso3"].nunique(),
        shares=", ".join(f"{r.name} {r.percent:.1f}%" for r in latest.itertuples()),
    )
    colours = _line_colours()
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=30))
        .encode(
            x=alt.X(
                "year:Q",
                title=None,
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(domain=[first, last], nice=False, zero=False),
            ),
            y=alt.Y("percent:Q", title=_("Military spending, % of GDP")),
            color=alt.Color(
                "name:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[colours[n] for n in order]),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            strokeDash=alt.condition(
                "datum.iso3 == 'CHN' || datum.iso3 == 'TUR'", alt.value([5, 3]), alt.value([1, 0])
            ),
            tooltip=[
                alt.Tooltip("name:N", title=_("State")),
                alt.Tooltip("year:Q", title=_("Year"), format="d"),
                alt.Tooltip("percent:Q", title=_("% of GDP"), format=".2f"),
                alt.Tooltip("status:N", title=_("SIPRI figure")),
            ],
        )
        .properties(height=260)
    )
    estimates = (
        alt.Chart(frame)
        .transform_filter(f"datum.status == '{display('estimate')}'")
        .mark_point(filled=True, fill="#ffffff", size=34, strokeWidth=1.5)
        .encode(x="year:Q", y="percent:Q", color=alt.Color("name:N", sort=order, legend=None))
    )
    return charts.with_alt_text(charts.responsive(alt.layer(chart, estimates)), text)


# --------------------------------------------------------------------------- bases


#: What the bases table reads from ``russian_bases``.
_BASE_COLUMNS = (
    "base_id",
    "iso3",
    "name",
    "kind",
    "term_end",
    "personnel_low",
    "personnel_high",
    "redeployment",
    "in_use",
)


@course_function
def bases_table(bases: pd.DataFrame) -> pd.DataFrame:
    """Russia's sites in member states: what, where, until when, how many people, and any move to the war.

    The years left on each agreement are Exercise 4.4's answer, so this table leaves them out: the
    exercise's check shows them under a right answer.
    """
    require_columns(bases, _BASE_COLUMNS, "bases_table", "russian_bases")
    names = _names()

    def people(row: pd.Series) -> str:
        low, high = row["personnel_low"], row["personnel_high"]
        if pd.isna(low) and pd.isna(high):
            return ""
        if pd.isna(low):
            return _("up to {count}").format(count=number(high))
        return number(low) if pd.isna(high) or low == high else f"{number(low)}–{number(high)}"

    out = pd.DataFrame(
        {
            _("state"): [names.get(s, s) for s in bases["iso3"].astype(str)],
            _("site"): [display(str(n)) for n in bases["name"]],
            _("kind"): [_words(str(k)) for k in bases["kind"]],
            _("term ends"): bases["term_end"].map(lambda d: "" if pd.isna(d) else f"{pd.Timestamp(d):%Y}"),
            _("personnel"): bases.apply(people, axis=1),
            _("sent to the war"): bases["redeployment"].map(
                lambda r: _("reported") if isinstance(r, str) and r else ""
            ),
            _("in use"): bases["in_use"].map(lambda v: _("yes") if bool(v) else _("no")),
        }
    )
    out.index = pd.Index(bases["base_id"].astype(str), name="base_id")
    return out


def _words(code: str) -> str:
    """A coded value (``army_base``) as words: its display name, or in English the code with spaces."""
    shown = display(code)
    return code.replace("_", " ") if shown == code else shown


# --------------------------------------------------------------------------- ties


@course_function
def ties_chart(ties: pd.DataFrame, first_year: int = 2010) -> alt.Chart:
    """Ties with partners other than Russia, per member, stacked by partner; a slider sets the first year counted."""
    require_columns(ties, ("iso3", "start_date", "partner_group", "partner", "kind"), "ties_chart", "ties")
    first_year = check_year(first_year, "first year")
    names = _names()
    frame = ties.copy()
    frame["year"] = pd.to_datetime(frame["start_date"]).dt.year
    frame = frame[frame["year"] >= first_year]
    frame["name"] = [names.get(s, s) for s in frame["iso3"].astype(str)]
    frame["partner_kind"] = (
        frame["partner_group"].astype(str).map(lambda g: _(PARTNER_LABELS[g]) if g in PARTNER_LABELS else None)
    )
    frame = charts.frame_for_chart(frame[["name", "year", "partner_kind", "partner", "kind", "iso3"]])
    frame["kind"] = frame["kind"].astype(str).str.replace("_", " ")
    groups = [_(PARTNER_LABELS[g]) for g in PARTNER_COLOURS]
    last = int(frame["year"].max()) if len(frame) else first_year
    counts = frame.groupby(["name", "partner_kind"]).size()
    summary = "; ".join(
        f"{n}: "
        + ", ".join(_("{count} {partner}").format(count=c, partner=g) for (m, g), c in counts.items() if m == n)
        for n in sorted(frame["name"].unique())
    )
    text = _(
        "Stacked bar chart of the {count} ties the members began with partners other than Russia from "
        "{first} to {last}, one bar per member, coloured by kind of partner; a slider sets the first year "
        "counted. From {first}: {summary}."
    ).format(count=len(frame), first=first_year, last=last, summary=summary)
    since = alt.param(
        name="since",
        value=first_year,
        bind=alt.binding_range(min=first_year, max=last, step=1, name=_("Ties begun from ")),
    )
    chart = (
        alt.Chart(frame)
        .transform_filter("datum.year >= since")
        .mark_bar(stroke="#ffffff", strokeWidth=0.5)
        .encode(
            y=alt.Y("name:N", title=None, sort="ascending", axis=alt.Axis(labelLimit=_NAMES_WIDTH)),
            x=alt.X("count():Q", title=_("Ties begun"), axis=alt.Axis(tickMinStep=1, tickCount=5)),
            color=alt.Color(
                "partner_kind:N",
                title=_("Partner"),
                scale=alt.Scale(domain=groups, range=list(PARTNER_COLOURS.values())),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            order=alt.Order("partner_kind:N"),
            tooltip=[
                alt.Tooltip("name:N", title=_("Member")),
                alt.Tooltip("partner_kind:N", title=_("Partner")),
                alt.Tooltip("count():Q", title=_("Ties")),
            ],
        )
        .add_params(since)
        .properties(height=alt.Step(28))
    )
    return charts.with_alt_text(charts.responsive(chart), text)


@course_function
def exercises_chart(exercises: pd.DataFrame) -> alt.Chart:
    """Exercises of the collective forces held each year, coloured by whether Armenia took part."""
    require_columns(
        exercises, ("exercise_id", "name", "year", "status", "armenia_took_part"), "exercises_chart", "csto_exercises"
    )
    frame = exercises[exercises["status"].astype(str) == "held"].copy()
    took = frame["armenia_took_part"]
    frame["armenia"] = [
        "Not known" if pd.isna(v) else ("Armenia took part" if v else "Armenia did not take part") for v in took
    ]
    frame["name"] = [display(str(n)) for n in frame["name"]]
    frame = charts.frame_for_chart(frame[["year", "name", "armenia"]].astype({"year": int}))
    first, last = int(frame["year"].min()), int(frame["year"].max())
    by_year = frame.groupby("year")
    summary = "; ".join(
        f"{year}: "
        + ", ".join(
            f"{name} ({_(_ARMENIA_SAYS[part])})" for name, part in zip(rows["name"], rows["armenia"], strict=True)
        )
        for year, rows in by_year
    )
    text = _(
        "Stacked bar chart of the {count} exercises of the CSTO's collective forces recorded as held, "
        "{first} to {last}, one bar per year, coloured by whether Armenia took part. {summary}."
    ).format(count=len(frame), first=first, last=last, summary=summary)
    frame["armenia"] = [_(part) for part in frame["armenia"]]
    chart = (
        alt.Chart(frame)
        .mark_bar(stroke="#ffffff", strokeWidth=0.5)
        .encode(
            x=alt.X("year:O", title=None, scale=alt.Scale(domain=list(range(first, last + 1)))),
            y=alt.Y("count():Q", title=_("Exercises recorded"), axis=alt.Axis(tickMinStep=1, tickCount=3)),
            color=alt.Color(
                "armenia:N",
                title=None,
                scale=alt.Scale(domain=[_(part) for part in ARMENIA_COLOURS], range=list(ARMENIA_COLOURS.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("year:O", title=_("Year")),
                alt.Tooltip("name:N", title=_("Exercise")),
                alt.Tooltip("armenia:N", title=_("Armenia")),
            ],
        )
        .properties(height=160)
    )
    return charts.with_alt_text(charts.responsive(chart), text)


# --------------------------------------------------------------------------- the index


def _index_alt_text(components: pd.DataFrame) -> str:
    names = _names()
    equal = dependence_index(components).sort_values(ascending=False)
    parts = [
        f"{names.get(m, m)} "
        + ", ".join(f"{_(SHORT_NAMES[c])} {components.loc[m, c]:.2f}" for c in DEPENDENCE_COMPONENTS)
        + _(", index {index}").format(index=f"{equal[m]:.2f}")
        for m in equal.index
    ]
    return _(
        "Bar chart ranking {count} members by a dependence-on-Russia index, the weighted mean of four "
        "components each from 0 to 1; four sliders set the weights. With equal weights: {members}."
    ).format(count=len(components), members="; ".join(parts))


#: Under the index, with every weight at 0: the chart says so instead of ranking zeros.
NO_WEIGHTS = [N_("Set at least one weight above 0: with every"), N_("weight at 0 there is nothing to average.")]


def _weights_caption() -> str:
    """A Vega expression for the line under the bars: the weights in use, or why there is no ranking."""
    parts = [f"'{_(SHORT_NAMES[c])} ' + format(w_{c}, '~g')" for c in DEPENDENCE_COMPONENTS]
    half = (len(parts) + 1) // 2
    lines = [
        f"'{_('Weights: ')}' + " + " + ', ' + ".join(parts[:half]) + " + ','",
        " + ', ' + ".join(parts[half:]) + " + '.'",
    ]
    total = " + ".join(f"w_{c}" for c in DEPENDENCE_COMPONENTS)
    return f"({total}) > 0 ? [{', '.join(lines)}] : {json.dumps([_(line) for line in NO_WEIGHTS])}"


@course_function
def index_builder(components: pd.DataFrame) -> alt.LayerChart:
    """Members ranked by the dependence index, with a slider for each component's weight (no Python needed).

    The sliders are Vega-Lite parameters: the bars re-weight and re-sort in the browser, on
    the website and in JupyterLab alike. Each bar's tooltip gives the member's rank and its
    four components; the line under the bars names the weights in use, or, with every weight
    at 0, says that there is nothing to average.
    """
    require_columns(components, tuple(DEPENDENCE_COMPONENTS), "index_builder", made_by="dependence_components")
    names = _names()
    frame = components.reset_index().rename(columns={"index": "iso3"})
    frame["name"] = [names.get(s, s) for s in frame["iso3"].astype(str)]
    params = [
        alt.param(
            name=f"w_{c}",
            value=1,
            bind=alt.binding_range(min=0, max=3, step=0.5, name=f"{_(SHORT_NAMES[c])} "),
        )
        for c in DEPENDENCE_COMPONENTS
    ]
    total = " + ".join(f"w_{c}" for c in DEPENDENCE_COMPONENTS)
    weighted = " + ".join(f"w_{c} * datum.{c}" for c in DEPENDENCE_COMPONENTS)
    base = (
        alt.Chart(frame)
        .transform_calculate(index=f"({total}) > 0 ? ({weighted}) / ({total}) : 0")
        .transform_window(
            window=[alt.WindowFieldDef.from_dict({"op": "rank", "as": "rank"})],
            sort=[alt.SortField("index", order="descending")],
        )
        .encode(
            y=alt.Y(
                "name:N",
                title=None,
                sort=alt.EncodingSortField(field="index", op="max", order="descending"),
                axis=alt.Axis(labelLimit=_NAMES_WIDTH, minExtent=_NAMES_WIDTH),
            ),
        )
    )
    bars = base.mark_bar(color=charts.PALETTE[0]).encode(
        x=alt.X("index:Q", title=_("Dependence index (0 to 1)"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            alt.Tooltip("name:N", title=_("Member")),
            alt.Tooltip("rank:Q", title=_("Rank")),
            alt.Tooltip("index:Q", title=_("Index"), format=".2f"),
        ]
        + [alt.Tooltip(f"{c}:Q", title=_(SHORT_NAMES[c]), format=".2f") for c in DEPENDENCE_COMPONENTS],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=12, color="#1a1a1a").encode(
        x="index:Q", text=alt.Text("index:Q", format=".2f")
    )
    caption = alt.Title(
        text=alt.ExprRef(expr=_weights_caption()),
        fontSize=12,
        fontWeight="normal",
        anchor="start",
        orient="bottom",
    )
    chart = alt.layer(bars, labels).add_params(*params).properties(height=alt.Step(30), title=caption)
    return charts.with_alt_text(charts.responsive(chart), _index_alt_text(components))
