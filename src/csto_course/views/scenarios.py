"""Lesson 5's scenarios: five drivers, four futures, and the rule that links them.

A scenario is not a prediction. Each is a coherent story of what the alliance could become,
described with the signposts that would show it is arriving. The rule that picks a scenario
from the drivers' settings is written once, here (:func:`scenario_for`), and the book's
explorer runs the same rule in the browser: :func:`scenario_explorer` writes it as a Vega
expression from the same tables, so the page and the lesson cannot disagree. The explorer is
one Altair chart whose menus are Vega-Lite parameters, drawn alike on the website and in
JupyterLab.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import altair as alt

from ..errors import CourseTypeError, CourseValueError, course_function
from ..language import N_, _
from . import charts

__all__ = ["DRIVERS", "SCENARIOS", "Scenario", "scenario_for", "matches", "scenario_explorer"]

#: Each driver and its two settings, the first of which is the one shown when the lesson opens.
DRIVERS: dict[str, tuple[str, str]] = {
    "russia": (N_("weakened by the war"), N_("strengthened by the war")),
    "china": (N_("a growing security role"), N_("a limited security role")),
    "armenia": (N_("leaves the organisation"), N_("stays, or returns")),
    "member_conflicts": (N_("recur"), N_("are contained")),
    "afghanistan": (N_("a rising threat"), N_("a contained threat")),
}

#: The drivers' names as the lesson and the explorer show them.
DRIVER_LABELS = {
    "russia": N_("Russia after the war"),
    "china": N_("China in Central Asia"),
    "armenia": N_("Armenia"),
    "member_conflicts": N_("Conflicts between members"),
    "afghanistan": N_("Threat from Afghanistan"),
}


@dataclass(frozen=True)
class Scenario:
    """One possible future: its name, the story in a sentence, the settings it fits, what to watch for."""

    key: str
    name: str
    story: str
    profile: dict[str, str]
    signposts: tuple[str, ...]


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "russian_core",
        N_("A Russian-led core"),
        N_(
            "A stronger Russia holds a smaller, tighter alliance together, with Belarus and Central Asia at its centre."
        ),
        {"russia": "strengthened by the war", "china": "a limited security role", "member_conflicts": "are contained"},
        (
            N_("Collective Forces exercises resume on schedule"),
            N_("new or extended Russian basing agreements"),
            N_("members' UN votes move back towards Russia's"),
        ),
    ),
    Scenario(
        "hollow_shell",
        N_("A hollow shell"),
        N_("The organisation survives on paper while a weakened Russia can offer little and members look elsewhere."),
        {"russia": "weakened by the war", "china": "a growing security role", "armenia": "leaves the organisation"},
        (
            N_("summits that leaders skip and budgets left unpaid"),
            N_("Chinese security facilities or exercises in Central Asia"),
            N_("Armenia's formal withdrawal"),
        ),
    ),
    Scenario(
        "split_alliance",
        N_("An alliance split from within"),
        N_("Quarrels between members, not outside threats, define the organisation, which cannot take sides."),
        {"member_conflicts": "recur", "armenia": "leaves the organisation", "afghanistan": "a contained threat"},
        (
            N_("renewed fighting on the Kyrgyz-Tajik border"),
            N_("members blocking each other's requests in the Council"),
            N_("mediation by outsiders rather than by the alliance"),
        ),
    ),
    Scenario(
        "border_guard",
        N_("A regional border guard"),
        N_("A threat from Afghanistan gives the alliance a shared task in Central Asia, led by Russia."),
        {"afghanistan": "a rising threat", "russia": "strengthened by the war", "member_conflicts": "are contained"},
        (
            N_("joint deployments or programmes on the Tajik-Afghan border"),
            N_("collective exercises in Tajikistan"),
            N_("members asking the alliance, not Russia alone, for help"),
        ),
    ),
)


def _check_settings(settings: Any) -> dict[str, str]:
    if not isinstance(settings, dict):
        raise CourseTypeError(
            "scenario_for() takes a dict of settings, such as {'russia': 'weakened by the war', ...}; "
            f"got a {type(settings).__name__}."
        )
    unknown = sorted(set(settings) - set(DRIVERS))
    if unknown:
        raise CourseValueError(f"Unknown driver(s) {unknown}; the drivers are {list(DRIVERS)}.")
    out = {driver: options[0] for driver, options in DRIVERS.items()}
    for driver, value in settings.items():
        if value not in DRIVERS[driver]:
            raise CourseValueError(f"'{driver}' can be {' or '.join(map(repr, DRIVERS[driver]))}; got {value!r}.")
        out[driver] = value
    return out


@course_function
def matches(settings: dict[str, str]) -> dict[str, int]:
    """How many of each scenario's conditions the settings meet."""
    chosen = _check_settings(settings)
    return {s.key: sum(chosen[d] == v for d, v in s.profile.items()) for s in SCENARIOS}


@course_function
def scenario_for(settings: dict[str, str]) -> Scenario:
    """The scenario whose conditions the settings meet most; on a tie, the one listed first.

    Drivers left out keep their first setting.
    """
    counts = matches(settings)
    best = max(counts.values())
    return next(s for s in SCENARIOS if counts[s.key] == best)


# --------------------------------------------------------------------------- the explorer


def _scenario_lines(s: Scenario, width: int = 44) -> list[str]:
    import textwrap

    lines = [_(s.name), *textwrap.wrap(_(s.story), width), _("Watch for:")]
    for sign in s.signposts:
        first, *rest = textwrap.wrap(_(sign), width - 2)
        lines += [f"• {first}", *(f"  {line}" for line in rest)]
    return lines


@course_function
def scenario_explorer() -> alt.LayerChart:
    """A menu per driver; bars show how many conditions each scenario meets, and the best one is told in words.

    Everything runs in the browser (Vega parameters), with the same rule as :func:`scenario_for`.
    """
    params = [
        alt.param(
            name=driver,
            value=_(options[0]),
            bind=alt.binding_select(
                options=[_(o) for o in options], name=_("{driver}: ").format(driver=_(DRIVER_LABELS[driver]))
            ),
        )
        for driver, options in DRIVERS.items()
    ]
    records = [
        {"key": s.key, "name": _(s.name), "order": i, "profile": json.dumps(s.profile)} for i, s in enumerate(SCENARIOS)
    ]
    score = {s.key: " + ".join(f"({d} == {json.dumps(_(v))} ? 1 : 0)" for d, v in s.profile.items()) for s in SCENARIOS}
    score_expr = " : ".join(f"datum.key == {json.dumps(k)} ? ({e})" for k, e in score.items()) + " : 0"

    def wins(i: int) -> str:
        """Scenario i wins: it beats every scenario listed before it and ties or beats every one after."""
        me = score[SCENARIOS[i].key]
        return " && ".join(
            f"({me}) {'>' if j < i else '>='} ({score[t.key]})" for j, t in enumerate(SCENARIOS) if j != i
        )

    best_expr = " || ".join(f"(datum.order == {i} && {wins(i)})" for i in range(len(SCENARIOS)))
    winner_expr = " : ".join(f"({wins(i)}) ? {json.dumps(s.key)}" for i, s in enumerate(SCENARIOS))
    winner_expr += f" : {json.dumps(SCENARIOS[0].key)}"
    base = alt.Chart(alt.Data(values=records)).transform_calculate(score=score_expr, best=best_expr)
    bars = base.mark_bar().encode(
        y=alt.Y("name:N", title=None, sort=[_(s.name) for s in SCENARIOS], axis=alt.Axis(labelLimit=150)),
        x=alt.X(
            "score:Q", title=_("Conditions met (of 3)"), scale=alt.Scale(domain=[0, 3]), axis=alt.Axis(tickCount=3)
        ),
        color=alt.condition("datum.best", alt.value(charts.PALETTE[0]), alt.value("#BBBBBB")),
        tooltip=[alt.Tooltip("name:N", title=_("Scenario")), alt.Tooltip("score:Q", title=_("Conditions met"))],
    )
    lookup = json.dumps({s.key: _scenario_lines(s) for s in SCENARIOS})
    title = alt.Title(
        text=alt.ExprRef(expr=f"{lookup}[{winner_expr}]"),
        fontSize=13,
        fontWeight="normal",
        anchor="start",
        orient="bottom",
    )
    chart = alt.layer(bars).add_params(*params).properties(height=alt.Step(28), title=title)
    text = _(
        "Bar chart of how many of their three conditions each of four scenarios meets, for the drivers chosen in five "
        "menus (Russia after the war, China in Central Asia, Armenia, conflicts between members, the threat from "
        "Afghanistan); the best match is coloured and described below the bars with its signposts. Scenarios: "
        "{scenarios}."
    ).format(
        scenarios="; ".join(
            f"{_(s.name)} ({', '.join(f'{_(DRIVER_LABELS[d])}: {_(v)}' for d, v in s.profile.items())})"
            for s in SCENARIOS
        )
    )
    return charts.with_alt_text(charts.responsive(chart), text)
