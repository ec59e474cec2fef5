"""Views of the crises data: who asked the alliance for what, and what it did.

The lesson on crises asks one question of every row: when a member was in trouble, did it
ask, and did the alliance act? These helpers answer it with one Vega-Lite timeline whose
menus (Vega-Lite parameters) filter the rows and write out one crisis in full under the chart
(the request, the response, the toll, the record, the dated steps and the sources), alike on
the static site and in JupyterLab, without a running kernel. Nothing here touches the network.
The summary tables (response rates, response delays) compute exercises' answers, so they are
the worked results a check shows under a right answer (:mod:`csto_course.exercises.worked`).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable
from typing import Any

import altair as alt
import pandas as pd

from .. import data
from ..errors import course_function, require_columns
from ..language import N_, _, display, number
from ..measures import had_request
from . import charts

__all__ = [
    "RESPONSE_ORDER",
    "RESPONSE_LABELS",
    "RESPONSE_COLOURS",
    "KIND_ORDER",
    "KIND_LABELS",
    "REQUEST_LABELS",
    "crisis_timeline",
]

#: The alliance's responses from least to most, as coded in ``crises.response``.
RESPONSE_ORDER = ["none", "statement", "consultations", "mission", "advisers_equipment", "collective_deployment"]

#: Each response's label, in English (shown translated: ``_(RESPONSE_LABELS[response])``).
RESPONSE_LABELS = {
    "none": N_("No action"),
    "statement": N_("Statement"),
    "consultations": N_("Consultations"),
    "mission": N_("Mission"),
    "advisers_equipment": N_("Advisers and equipment"),
    "collective_deployment": N_("Troops deployed"),
}

#: Okabe-Ito colours, distinguishable under the common colour-vision deficiencies. The two
#: ends carry the meaning: "none" is a light neutral grey (nothing happened, so it should
#: recede) and "collective_deployment" is black, the strongest mark and the only one that
#: cannot be confused with any hue (Okabe-Ito blue #0072B2 would sit too close to the sky
#: blue of "statement"). Between them, hues step from cool/light to warm/dark. Light fills
#: (grey, sky blue) fall short of 3:1 against white on their own, so every mark also gets a
#: dark outline (``_OUTLINE``) that does meet it; the legend and tooltips name each step.
RESPONSE_COLOURS = {
    "none": "#BBBBBB",
    "statement": "#56B4E9",
    "consultations": "#009E73",
    "mission": "#E69F00",
    "advisers_equipment": "#D55E00",
    "collective_deployment": "#000000",
}

#: Kinds of crisis in the order of the schema's enum.
KIND_ORDER = ["internal_unrest", "intercommunal_violence", "interstate_border_clash", "interstate_war"]

KIND_LABELS = {
    "internal_unrest": N_("Unrest within a state"),
    "intercommunal_violence": N_("Violence between communities"),
    "interstate_border_clash": N_("Border clash between states"),
    "interstate_war": N_("War between states"),
}

REQUEST_LABELS = {
    "none": N_("Nothing asked"),
    "debated": N_("Help debated in public, no formal request"),
    "consultations": N_("Consultations"),
    "assistance": N_("Assistance short of troops (or unspecified)"),
    "troops": N_("Troops"),
}

_ASKED_OF = {"csto": N_("The alliance (CSTO)"), "russia": N_("Russia, bilaterally"), "none": N_("Nobody")}

_STEP_LABELS = {
    "outbreak": N_("Outbreak"),
    "request": N_("Request"),
    "consultation": N_("Consultation"),
    "decision": N_("Decision"),
    "statement": N_("Statement"),
    "mission": N_("Mission"),
    "arrival": N_("Arrival"),
    "withdrawal_start": N_("Withdrawal begins"),
    "withdrawal_complete": N_("Withdrawal complete"),
    "refusal": N_("Refusal"),
    "other": N_("Other"),
}


def _label(labels: dict[str, str], code: str) -> str:
    """``code``'s label from one of the tables above in the reader's language; an unknown code as it is."""
    return _(labels[code]) if code in labels else display(code)


#: Pixels the timeline's crisis names take, beside the plot (the y axis's extent).
_NAMES_WIDTH = 165

#: Outline for every timeline mark: 9.7:1 against white, so light fills stay visible.
_OUTLINE = "#333333"

# Codes that can appear as actors but are not in ``states`` (which lists treaty parties).
_EXTRA_NAMES = {"UKR": "Ukraine", "CSTO": N_("the CSTO")}

#: What the views read from each table; a table without these is the wrong one.
_CRISIS_COLUMNS = ("crisis_id", "name", "start_date", "end_date", "kind", "request", "requested_of", "response")
_EVENT_COLUMNS = ("crisis_id", "date", "step", "actor", "description")

#: The crisis written out under the timeline when the lesson opens, unless it names another.
DEFAULT_CRISIS = "kaz-january-2022"

#: Characters per line of that account: where the chart is at least ``_WIDE`` pixels wide, and narrower.
_CARD_CHARS = {"wide": 74, "narrow": 46}
_WIDE = 480


# --------------------------------------------------------------------------- helpers


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: Any) -> str:
    """Plain text for a cell; missing values become an empty string, not 'nan'/'<NA>'."""
    return "" if _missing(value) else str(value)


def _ids(*values: Any) -> list[str]:
    """Source ids from ';'-separated cells, in order of first mention, without repeats."""
    seen: list[str] = []
    for value in values:
        for part in _text(value).split(";"):
            part = part.strip()
            if part and part not in seen:
                seen.append(part)
    return seen


def _state_names() -> dict[str, str]:
    """ISO3 code to country name; falls back to the codes alone if ``states`` will not load."""
    try:
        states = data.load("states")
        names = dict(zip(states["iso3"].astype(str), states["name"].map(lambda n: display(str(n))), strict=True))
    except Exception:  # a student's partial copy of the data should not break the views
        names = {}
    return {"UKR": display(_EXTRA_NAMES["UKR"]), "CSTO": _(_EXTRA_NAMES["CSTO"]), **names}


def _who(code: Any, names: dict[str, str]) -> str:
    code = _text(code)
    return names.get(code, code)


def _deaths(low: Any, high: Any) -> str:
    if _missing(low) and _missing(high):
        return _("not established")
    if _missing(low):
        return _("up to {count}").format(count=number(high))
    if _missing(high) or int(high) == int(low):
        return number(low)
    return f"{number(low)}–{number(high)}"


def _period(row: pd.Series) -> str:
    start = data.iso_date(row.get("start_date"), row.get("start_precision"))
    if _missing(row.get("end_date")):
        return _("from {start} (no end date established)").format(start=start)
    end = data.iso_date(row.get("end_date"), row.get("end_precision"))
    return start if end == start else f"{start} – {end}"


def _sentence(value: Any) -> str:
    """Text ending in a full stop, so list items read as sentences."""
    text = _text(value).strip()
    return text if not text or text[-1] in ".!?)'\"" else text + "."


def _sources_or_load(sources: pd.DataFrame | None) -> pd.DataFrame:
    return data.load("sources") if sources is None else sources


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _row_label(name: str, width: int = 25) -> str:
    """A crisis name wrapped onto at most two lines ('|' between them) for the y axis.

    Full names run to 60 characters; cut to one line they lose the place or the year that
    tells crises apart, and a wider label column would push the chart past the text column.
    """
    lines = textwrap.wrap(name, width) or [name]
    if len(lines) > 2:
        lines = [lines[0], _short(" ".join(lines[1:]), width)]
    return "|".join(lines)


def _legend_label(response: str, width: int = 16) -> str | list[str]:
    """A response's label for the legend: one line, or two if it is longer than ``width`` characters."""
    label = _(RESPONSE_LABELS[response])
    return label if len(label) <= width else textwrap.wrap(label, width)


def _source_titles(ids: Iterable[str], sources: pd.DataFrame, width: int = 60, most: int = 4) -> str:
    """Titles of the cited sources as one line for a tooltip: each cut to ``width``, at most ``most``."""
    titles = dict(zip(sources["id"].astype(str), sources["title"].astype(str), strict=True))
    ids = list(ids)
    shown = [_short(titles.get(i, i), width) for i in ids[:most]]
    if len(ids) > most:
        shown.append(_("and {count} more").format(count=len(ids) - most))
    return "; ".join(shown) if shown else _("none cited")


def _request_sentence(row: pd.Series, names: dict[str, str]) -> str:
    """Who asked whom for what, in one sentence."""
    request = _text(row.get("request"))
    if request in ("", "none"):
        return _("No member asked for help.")
    who = _who(row.get("requested_by"), names) or _("A member")
    asked = _text(row.get("requested_of"))
    of = {"csto": _("the alliance (CSTO)"), "russia": _("Russia bilaterally"), "none": _("nobody in particular")}.get(
        asked, display(asked)
    )
    what = {
        "debated": _("{who} discussed help from {of} in public but made no formal request"),
        "consultations": _("{who} asked {of} for consultations"),
        "assistance": _("{who} asked {of} for assistance short of troops (or unspecified)"),
        "troops": _("{who} asked {of} for troops"),
    }.get(request, _("{who} asked {of} for {request}")).format(who=who, of=of, request=request)
    article = display(_text(row.get("article_invoked")))
    when = data.iso_date(row.get("request_date"))
    return (
        what
        + (_(", under {article}").format(article=article) if article else "")
        + (_(", on {date}").format(date=when) if when else "")
        + "."
    )


# --------------------------------------------------------------------------- one crisis in full


def _source_line(source_id: str, sources: pd.DataFrame) -> str:
    match = sources[sources["id"].astype(str) == source_id]
    if match.empty:
        return _("[{id}] (not in the sources table)").format(id=source_id)
    row = match.iloc[0]
    published = _text(row.get("published")) or _("undated")
    return f"{_text(row.get('title'))}, {_text(row.get('publisher'))}, {published} [{source_id}]"


def _account(row: pd.Series, steps: pd.DataFrame, sources: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """One crisis in full, as paragraphs: what was asked and done, the toll, the record, its steps and sources."""
    where = ", ".join(_who(c, names) for c in _text(row.get("countries")).split(";") if c)
    kind = _text(row.get("kind"))
    response = _text(row.get("response"))
    response_on = data.iso_date(row.get("response_date"))
    response_text = _label(RESPONSE_LABELS, response) + (
        _(", first response on {date}").format(date=response_on) if response_on else ""
    )
    personnel = row.get("personnel_deployed")
    if not _missing(personnel):
        response_text += _("; {count} personnel deployed (official count)").format(count=number(personnel))
    deaths = _(
        "{deaths} (the lowest and highest figures the sources give, not a count made for this course). "
        "Confidence in this record: {confidence}."
    ).format(
        deaths=_deaths(row.get("deaths_low"), row.get("deaths_high")), confidence=display(_text(row.get("confidence")))
    )
    paragraphs = [
        display(_text(row.get("name"))),
        f"{_period(row)} · {where} · {_label(KIND_LABELS, kind)}",
        f"{_(_HEADINGS[0])} {_request_sentence(row, names)}",
        f"{_('Response:')} {response_text}.",
        f"{_('Deaths:')} {deaths}",
        f"{_('The record:')} {_sentence(row.get('record_summary'))}",
    ]
    if len(steps):
        paragraphs.append(_(_HEADINGS[1]))
        paragraphs += [
            f"• {data.iso_date(step.get('date'))}: {_label(_STEP_LABELS, _text(step.get('step')))} "
            f"({_who(step.get('actor'), names)}). {_sentence(step.get('description'))}"
            for _index, step in steps.iterrows()
        ]
    cited = _ids(
        row.get("request_source"),
        row.get("response_source"),
        row.get("deaths_source"),
        *steps.get("source_id", pd.Series(dtype=str)).tolist(),
    )
    sources_heading = _(_HEADINGS[2])
    paragraphs.append(sources_heading if cited else f"{sources_heading} {_('none cited for this crisis yet.')}")
    paragraphs += [f"• {_source_line(i, sources)}" for i in cited]
    return paragraphs


#: The parts of a crisis's account that a blank line sets off.
_HEADINGS = (N_("Request:"), N_("Dated steps:"), N_("Sources:"))


def _wrapped(paragraphs: list[str], width: int) -> list[str]:
    lines: list[str] = []
    for text in paragraphs:
        if text.startswith(tuple(_(heading) for heading in _HEADINGS)):
            lines.append(" ")  # a blank line before each part (Vega drops empty lines)
        indent = "  " if text.startswith("• ") else ""
        # Not at hyphens, so dates and source ids stay whole.
        lines += textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False) or [text]
    return lines


def _accounts(crises: pd.DataFrame, events: pd.DataFrame, sources: pd.DataFrame) -> dict[str, dict[str, list[str]]]:
    """Each crisis written out, wrapped for a wide and for a narrow chart."""
    names = _state_names()
    out = {}
    for _index, row in crises.iterrows():
        crisis_id = str(row["crisis_id"])
        steps = events[events["crisis_id"].astype(str) == crisis_id].copy()
        steps["_order"] = range(len(steps))
        steps = steps.sort_values(["date", "_order"], kind="stable")
        paragraphs = _account(row, steps, sources, names)
        out[crisis_id] = {layout: _wrapped(paragraphs, chars) for layout, chars in _CARD_CHARS.items()}
    return out


# --------------------------------------------------------------------------- timeline


def _timeline_records(crises: pd.DataFrame, sources: pd.DataFrame) -> list[dict[str, Any]]:
    names = _state_names()
    frame = crises.copy()
    out = pd.DataFrame(
        {
            "crisis_id": frame["crisis_id"].astype(str),
            "name": [display(str(n)) for n in frame["name"]],
            "row": [_row_label(display(str(n))) for n in frame["name"]],
            "start_date": frame["start_date"],
            "end_date": frame["end_date"],
            "kind": frame["kind"].astype(str),
            "response": frame["response"].astype(str),
        }
    )
    out["dates"] = [_period(row) for _index, row in frame.iterrows()]
    out["kind_label"] = [_label(KIND_LABELS, k) for k in out["kind"]]
    out["asked_for"] = [_label(REQUEST_LABELS, _text(v)) for v in frame["request"]]
    out["asked_by"] = [_who(v, names) or "—" for v in frame["requested_by"]]
    out["asked_of"] = [_label(_ASKED_OF, _text(v)) for v in frame["requested_of"]]
    out["article"] = [display(_text(v)) or _("none named") for v in frame["article_invoked"]]
    out["request_on"] = [data.iso_date(v) or "—" for v in frame["request_date"]]
    out["response_label"] = [_label(RESPONSE_LABELS, r) for r in out["response"]]
    out["response_on"] = [data.iso_date(v) or "—" for v in frame["response_date"]]
    out["deaths"] = [_deaths(lo, hi) for lo, hi in zip(frame["deaths_low"], frame["deaths_high"], strict=True)]
    out["confidence"] = [display(str(v)) for v in frame["confidence"]]
    out["sources"] = [
        _source_titles(_ids(row.get("request_source"), row.get("response_source"), row.get("deaths_source")), sources)
        for _index, row in frame.iterrows()
    ]
    out = charts.frame_for_chart(out.sort_values("start_date", kind="stable"))
    return out.astype(object).where(out.notna(), None).to_dict("records")


def _timeline_alt_text(crises: pd.DataFrame) -> str:
    n = len(crises)
    if n == 0:
        return _("An empty timeline: there are no crises to show.")
    counts = crises["response"].astype(str).value_counts()
    first, last = crises["start_date"].min().year, crises["start_date"].max().year
    troops = crises[crises["response"].astype(str) == "collective_deployment"]
    asked = int(had_request(crises).sum())
    asked_csto = int((crises["requested_of"].astype(str) == "csto").sum())
    troop_text = (
        (
            _("The alliance sent troops in one crisis")
            if len(troops) == 1
            else _("The alliance sent troops in {count} crises").format(count=len(troops))
        )
        + (f" ({'; '.join(display(str(name)) for name in troops['name'])})" if len(troops) else "")
        + "."
    )
    steps = ", ".join(
        f"{_(RESPONSE_LABELS[r]).lower()}: {int(counts.get(r, 0))}" for r in RESPONSE_ORDER if counts.get(r, 0)
    )
    return _(
        "Timeline of {count} security crises touching member states, {first} to {last}, one row per crisis "
        "(a dot at its start and a bar to its end where one is established), coloured by the most the alliance did. "
        "{troops} It did nothing in {none} of the {count}. "
        "A member asked for or publicly debated help in {asked}, {asked_csto} of them of the alliance itself. "
        "Most the alliance did, by crisis: {steps}. A menu filters the rows by kind of crisis; a second menu "
        "picks one crisis, whose request, response, deaths, record, dated steps and sources are written out "
        "under the chart."
    ).format(
        count=n,
        first=first,
        last=last,
        troops=troop_text,
        none=int(counts.get("none", 0)),
        asked=asked,
        asked_csto=asked_csto,
        steps=steps,
    )


@course_function
def crisis_timeline(
    crises: pd.DataFrame,
    sources: pd.DataFrame | None = None,
    events: pd.DataFrame | None = None,
    default: str = DEFAULT_CRISIS,
) -> alt.LayerChart:
    """One row per crisis, coloured by what the alliance did, with a kind filter that runs in the browser.

    The filter and a second menu, which picks one crisis (``default`` first) to write out in
    full under the chart (the request, the response, the toll, the record, the dated steps
    from ``events`` and the sources), are Vega-Lite parameters, not Python widgets, so they
    work on the static site and in JupyterLab alike. Every crisis gets a dot at its start
    and, if it has an end date, a bar to the end: a crisis of a few days would otherwise be a
    bar too thin to see; the chosen crisis's dot has a thicker outline.
    """
    require_columns(crises, _CRISIS_COLUMNS, "crisis_timeline", "crises")
    sources = require_columns(_sources_or_load(sources), ("id", "title"), "crisis_timeline", "sources")
    events = require_columns(
        data.load("crisis_events") if events is None else events, _EVENT_COLUMNS, "crisis_timeline", "crisis_events"
    )
    ordered = crises.sort_values("start_date", kind="stable")
    ids = ordered["crisis_id"].astype(str).tolist()
    chosen = alt.param(
        name="crisis",
        value=charts.first_choice(default, ids, DEFAULT_CRISIS, "crisis_timeline", "crisis_id"),
        bind=alt.binding_select(
            options=ids,
            labels=[
                f"{pd.Timestamp(r.start_date).year}: {_short(display(str(r.name)), 34)}"
                for r in ordered.itertuples(index=False)
            ],
            name=_("Read one crisis in full "),
        ),
    )
    accounts = _accounts(crises, events, sources)
    wide, narrow = ({k: v[layout] for k, v in accounts.items()} for layout in _CARD_CHARS)
    account = alt.Title(
        text=alt.ExprRef(
            expr=f"(width + {_NAMES_WIDTH} >= {_WIDE} ? {json.dumps(wide)} : {json.dumps(narrow)})[crisis] || ''"
        ),
        fontSize=12,
        fontWeight="normal",
        anchor="start",
        orient="bottom",
        offset=12,
    )
    records = _timeline_records(crises, sources)
    kinds = [k for k in KIND_ORDER if k in set(crises["kind"].astype(str))]
    kinds += sorted(set(crises["kind"].astype(str)) - set(kinds))
    kind = alt.param(
        name="kind",
        value=None,
        bind=alt.binding_select(
            options=[None, *kinds],
            labels=[_("All kinds"), *[_label(KIND_LABELS, k) for k in kinds]],
            name=_("Kind of crisis "),
        ),
    )
    # Long labels on two lines, so the legend stays narrow enough for a phone (see below).
    label_expr = (
        " : ".join(f"datum.label === {json.dumps(r)} ? {json.dumps(_legend_label(r))}" for r in RESPONSE_ORDER)
        + " : datum.label"
    )
    colour = alt.Color(
        "response:N",
        title=_("What the alliance did"),
        scale=alt.Scale(domain=RESPONSE_ORDER, range=[RESPONSE_COLOURS[r] for r in RESPONSE_ORDER]),
        # Under the plot, which starts _NAMES_WIDTH px in: one narrow column (about 120 px), so
        # the whole chart still fits the narrowest phone.
        legend=alt.Legend(
            orient="bottom",
            direction="vertical",
            labelExpr=label_expr,
            symbolStrokeColor=_OUTLINE,
            symbolStrokeWidth=1,
        ),
    )
    tooltip = [
        alt.Tooltip("name:N", title=_("Crisis")),
        alt.Tooltip("dates:N", title=_("When")),
        alt.Tooltip("kind_label:N", title=_("Kind")),
        alt.Tooltip("asked_for:N", title=_("Asked for")),
        alt.Tooltip("asked_by:N", title=_("Asked by")),
        alt.Tooltip("asked_of:N", title=_("Asked of")),
        alt.Tooltip("article:N", title=_("Treaty article")),
        alt.Tooltip("request_on:N", title=_("Asked on")),
        alt.Tooltip("response_label:N", title=_("Alliance did")),
        alt.Tooltip("response_on:N", title=_("Responded on")),
        alt.Tooltip("deaths:N", title=_("Deaths (low–high)")),
        alt.Tooltip("confidence:N", title=_("Confidence")),
        alt.Tooltip("sources:N", title=_("Sources")),
    ]
    y = alt.Y(
        "row:N",
        title=None,
        sort=alt.EncodingSortField(field="start_date", op="min", order="ascending"),
        axis=alt.Axis(
            labelExpr="split(datum.label, '|')",
            labelLimit=_NAMES_WIDTH - 7,
            labelFontSize=11,
            labelLineHeight=12,
            minExtent=_NAMES_WIDTH,
            maxExtent=_NAMES_WIDTH,
        ),
    )
    # A fixed time domain (whole years around the data) keeps the axis still when the
    # kind filter removes rows, so the eye can compare positions before and after.
    first, last = crises["start_date"].min(), crises["start_date"].max()
    domain = (
        [alt.DateTime(year=int(first.year), month=1, date=1), alt.DateTime(year=int(last.year) + 1, month=1, date=1)]
        if len(crises)
        else alt.Undefined
    )
    x = alt.X(
        "start_date:T",
        title=None,
        scale=alt.Scale(domain=domain),
        axis=alt.Axis(format="%Y", grid=True, gridColor="#e6e6e6"),
    )
    base = alt.Chart().encode(y=y, color=colour, tooltip=tooltip)
    # The scale and axis are set on the dots' x only: the layers share one scale, and
    # repeating an explicit temporal domain in both layers makes Vega-Lite warn.
    bars = (
        base.transform_filter("isValid(datum.end_date)")
        .mark_bar(height=10, stroke=_OUTLINE, strokeWidth=0.75)
        .encode(x=alt.X("start_date:T"), x2="end_date:T")
    )
    dots = base.mark_point(filled=True, size=60, shape="circle", stroke=_OUTLINE, opacity=1).encode(
        x=x, strokeWidth=alt.condition("datum.crisis_id == crisis", alt.value(3), alt.value(1))
    )
    chart = (
        alt.layer(bars, dots, data=alt.Data(values=records))
        .transform_filter("kind == null || datum.kind == kind")
        .add_params(kind, chosen)
        # Fitted to its width (see charts.responsive); the wrapped crisis names take _NAMES_WIDTH px of it.
        .properties(height=alt.Step(26), title=account)
    )
    return charts.with_alt_text(charts.responsive(chart), _timeline_alt_text(crises))
