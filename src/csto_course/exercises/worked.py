"""The worked results a check shows under a right answer: the graders' side of the views.

An exercise's ``worked=`` (:class:`~.specs.Spec`) is the table or chart ``check()`` shows once an
answer is right: the response rates by kind of crisis, the delays with what the alliance did, the
agreement of each state with Russia, the treaty parties' cohesion vote by vote, the years left on
each base agreement, and the answer key's reasons for the capstone's claims. Each of these
tables holds the exercise's answer in one of its columns, so a function that builds one computes
the answer. Like :mod:`.answers`, this module is for the graders:
the student package leaves it out (:data:`csto_course.authoring.release.STUDENT_MODULES`), and holds
each worked result only enciphered with the right answer (:func:`csto_course.authoring.seal.worked`).

The views these tables share their look with (:mod:`csto_course.views.crises`, ``votes`` and
``decline``) ship; what is here builds on their helpers, so a table a lesson shows and the worked
result beside it read alike.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from IPython.display import HTML

from ..data import load
from ..errors import require_columns
from ..language import _
from ..measures import ACTIVE_RESPONSES, CAST_VOTES, agreement_with, had_request, parties_on
from ..views.crises import _CRISIS_COLUMNS, _EVENT_COLUMNS, KIND_LABELS, KIND_ORDER, _text
from ..views.decline import _BASE_COLUMNS, bases_table
from ..views.votes import _RESOLUTION_COLUMNS, _VOTE_COLUMNS, _focus, _names
from .answers import active_response_rate, group_cohesion, group_votes, response_delays, years_left

__all__ = [
    "response_rates",
    "response_delay_table",
    "agreement_table",
    "cohesion_table",
    "base_terms",
    "claims_with_reasons",
]


# --------------------------------------------------------------------------- crises (lesson 2)


def response_rates(crises: pd.DataFrame) -> pd.DataFrame:
    """Per kind of crisis: how often a member asked, and how often the alliance did more than talk.

    ``requests`` counts every row whose ``request`` is not ``none`` (so help debated in
    public counts as asking); ``acted`` counts responses in ``measures.ACTIVE_RESPONSES``
    (more than a statement). The ``*_rate`` columns are shares of all the crises of that
    kind, except ``acted_when_asked_rate``, which is ``answers.active_response_rate``: the
    share of the crises *with a request* in which the alliance acted. Kinds with no crises
    are left out, so the counts sum to the number of crises.
    """
    require_columns(crises, ("kind", "request", "response"), "response_rates", "crises")
    requested = had_request(crises)
    acted = crises["response"].astype(str).isin(ACTIVE_RESPONSES)
    frame = pd.DataFrame(
        {
            "kind": crises["kind"].astype(str),
            "requested": requested,
            "acted": acted,
            "acted_when_asked": acted & requested,
            "deployed": crises["response"].astype(str) == "collective_deployment",
        }
    )
    out = frame.groupby("kind", sort=False).agg(
        crises=("kind", "size"),
        requests=("requested", "sum"),
        acted=("acted", "sum"),
        acted_when_asked=("acted_when_asked", "sum"),
        deployments=("deployed", "sum"),
    )
    order = [k for k in KIND_ORDER if k in out.index] + sorted(set(out.index) - set(KIND_ORDER))
    out = out.loc[order].astype(int)
    out.insert(0, "kind_label", [_(KIND_LABELS[k]) if k in KIND_LABELS else k for k in out.index])
    for col in ("requests", "acted", "deployments"):
        out[f"{col}_rate"] = (out[col] / out["crises"]).round(3)
    out["acted_when_asked_rate"] = active_response_rate(crises).reindex(out.index).round(3)
    out.index.name = "kind"
    return out.reset_index()


def response_delay_table(crises: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Every request made to the alliance, with the days to its first response and what it was.

    ``days`` is ``answers.response_delays``, the rule the lesson's exercise uses; this
    view adds what was asked and, from ``crisis_events``, what the alliance did on the
    response date, so a negative or zero delay can be read in context.
    """
    require_columns(crises, _CRISIS_COLUMNS, "response_delay_table", "crises")
    require_columns(events, _EVENT_COLUMNS, "response_delay_table", "crisis_events")
    delays = response_delays(crises)
    rows = crises.set_index(crises["crisis_id"].astype(str)).loc[list(delays.index)]
    csto_steps = events[events["actor"].astype(str) == "CSTO"]
    first_step = []
    for crisis_id, row in rows.iterrows():
        same_day = csto_steps[
            (csto_steps["crisis_id"].astype(str) == crisis_id) & (csto_steps["date"] == row["response_date"])
        ]
        first_step.append(_text(same_day["description"].iloc[0]) if len(same_day) else "")
    out = pd.DataFrame(
        {
            "crisis_id": list(delays.index),
            "name": rows["name"].astype(str).to_numpy(),
            "asked_for": rows["request"].astype(str).to_numpy(),
            "request_date": rows["request_date"].to_numpy(),
            "response": rows["response"].astype(str).to_numpy(),
            "response_date": rows["response_date"].to_numpy(),
            "what_the_alliance_did": first_step,
            "days": delays.to_numpy(),
        }
    )
    return out.sort_values("request_date", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- votes (lesson 3)


def agreement_table(votes: pd.DataFrame, states: Iterable[str] | None = None, partner: str = "RUS") -> pd.DataFrame:
    """How often each state voted as ``partner`` did, in the lesson's order, with the state's name."""
    require_columns(votes, _VOTE_COLUMNS, "agreement_table", "unga_votes")
    wanted = [s for s in _focus(votes, states) if s != partner]
    table = agreement_with(votes, partner).reindex(wanted)
    names = _names(votes)
    table.insert(0, "name", [names.get(s, s) for s in table.index])
    return table


def cohesion_table(votes: pd.DataFrame, resolutions: pd.DataFrame, spells: pd.DataFrame) -> pd.DataFrame:
    """Per resolution: the treaty parties' votes counted, and their agreement index (``answers.group_cohesion``).

    ``not_recorded`` counts parties whose vote no source read gives; like absences, they are
    left out of the index.
    """
    require_columns(votes, _VOTE_COLUMNS, "cohesion_table", "unga_votes")
    require_columns(resolutions, _RESOLUTION_COLUMNS, "cohesion_table", "unga_resolutions")
    index = group_cohesion(votes, resolutions, spells)
    counts = group_votes(votes, resolutions, spells)
    rows = []
    for r in resolutions.sort_values("date", kind="stable").itertuples():
        parties, tally = parties_on(spells, r.date), counts.loc[str(r.resolution)]
        rows.append(
            {
                "resolution": str(r.resolution),
                "date": pd.Timestamp(r.date).date(),
                "parties": len(parties),
                **{v: int(tally[v]) for v in (*CAST_VOTES, "absent")},
                "not_recorded": len(parties) - int(tally.sum()),
                "agreement_index": round(float(index[str(r.resolution)]), 3),
            }
        )
    return pd.DataFrame(rows).set_index("resolution")


# --------------------------------------------------------------------------- bases (lesson 4)


def base_terms(bases: pd.DataFrame) -> pd.DataFrame:
    """:func:`csto_course.views.decline.bases_table` with the years left on each agreement after
    ``term ends`` (:func:`years_left`; empty for a site not in use or with no known end): Exercise 4.4's
    worked result."""
    require_columns(bases, _BASE_COLUMNS, "base_terms", "russian_bases")
    table = bases_table(bases)
    left = years_left(bases)
    table.insert(
        table.columns.get_loc(_("term ends")) + 1,
        _("years left"),
        [str(int(left[b])) if b in left.index else "" for b in table.index],
    )
    return table


# --------------------------------------------------------------------------- the answer key (capstone)


def claims_with_reasons(claim_ids: Iterable[str]) -> HTML:
    """The reading's claims with the course's verdict, confidence, reasons and counter-reading
    (``reading_claims_key``), whole: a reason cut short at the table's width would be no reason, and
    a verdict shown without the reading against it would teach the overreach the course warns of."""
    ids = list(claim_ids)
    claims = load("reading_claims").set_index("claim_id").loc[ids, ["claim"]]
    key = (
        load("reading_claims_key")
        .set_index("claim_id")
        .loc[ids, ["verdict", "confidence", "explanation", "counter_reading"]]
    )
    table = claims.join(key)
    table["verdict"] = table["verdict"].str.replace("_", " ")
    # As HTML with a fixed id, so the output is the same at every run (nbval compares it, and the
    # sealed copy is part of a reproducible handout); a Styler's own text names its memory address.
    styled = table.style.set_uuid("claims-reasons").set_properties(
        **{"text-align": "left", "vertical-align": "top", "white-space": "normal"}
    )
    return HTML(styled.to_html())
