"""The lessons' exercises. Each expected answer is computed from the data at check time.

Feedback names the likely slip (a wrong filter, counting rows instead of states) without
naming the answer.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .checks import as_int, as_labels, compare_labels, exercise
from .crisisviews import ACTIVE_RESPONSES
from .data import load


def _state_aliases() -> dict[str, str]:
    """Let students answer with ISO codes or names: map each spelling to the ISO3 code."""
    states = load("states")
    aliases: dict[str, str] = {}
    for row in states.itertuples():
        for spelling in (row.iso3, row.iso2, row.name):
            aliases[str(spelling).casefold()] = str(row.iso3).casefold()
    return aliases


def current_members(spells: pd.DataFrame, status: str = "member") -> set[str]:
    """ISO3 codes of states whose open spell (no end date) has ``status``."""
    open_spells = spells[spells["end_date"].isna() & (spells["status"] == status)]
    return set(open_spells["iso3"].astype(str))


# Lesson 0: getting started ---------------------------------------------------------------


@exercise("getting-started-1", "How many states have ever signed the 1992 treaty or belonged to the CSTO?")
def _gs1(answer: Any) -> tuple[bool, str]:
    states = load("states")
    got = as_int(answer, "states")
    expected = len(states)
    if got == expected:
        return True, "That is every row of the states table: one row per state."
    spells = load("membership")
    if got == len(spells):
        return False, "That is the number of membership spells; a state can have several. Count rows of `states`."
    if got == len(current_members(spells)):
        return False, "That counts only the states taking full part today; the question asks about every state that ever belonged."
    return False, f"{got} is not the number of rows in the `states` table. Try len(states)."


@exercise("getting-started-2", "Which states take full part today (an open spell with status 'member')?")
def _gs2(answer: Any) -> tuple[bool, str]:
    spells = load("membership")
    got = as_labels(answer, "states (ISO3 codes or names)")
    expected = {c.casefold() for c in current_members(spells)}
    ok, message = compare_labels(got, expected, "states", _state_aliases())
    if ok:
        return True, message
    with_any_open = {c.casefold() for c in spells.loc[spells["end_date"].isna(), "iso3"].astype(str)}
    if {_state_aliases().get(g, g) for g in got} == with_any_open:
        return False, message + " Check the status too: an open spell can be 'frozen' or 'suspended'."
    return False, message + " Keep rows whose end_date is missing (.isna()) and whose status is 'member'."


# Lesson 1: origins ----------------------------------------------------------------------


def members_per_year(spells: pd.DataFrame | None = None, states: pd.DataFrame | None = None) -> pd.Series:
    """Members taking full part (status 'member') on 1 July of each year: the course's one rule."""
    from .maps import statuses_by_year

    table = statuses_by_year(load("membership") if spells is None else spells, load("states") if states is None else states)
    counts = table[table["status"] == "member"].groupby("year").size()
    years = sorted(table["year"].unique())
    return counts.reindex(years, fill_value=0).rename("members")


def departures(spells: pd.DataFrame) -> dict[str, int]:
    """First year each state left: a spell that ended with no other spell starting that day."""
    starts = set(zip(spells["iso3"].astype(str), spells["start_date"]))
    left: dict[str, int] = {}
    for row in spells.sort_values("start_date").itertuples():
        if pd.notna(row.end_date) and (str(row.iso3), row.end_date) not in starts:
            left.setdefault(str(row.iso3), int(row.end_date.year))
    return left


def _as_year_counts(answer: Any) -> dict[int, int]:
    """Accept a Series (year index), a dict, or a two-column table of year and count."""
    from .checks import WrongType

    if isinstance(answer, pd.DataFrame):
        if answer.shape[1] == 1:
            answer = answer.iloc[:, 0]
        elif "year" in answer.columns and answer.shape[1] == 2:
            answer = answer.set_index("year").iloc[:, 0]
        else:
            raise WrongType("Expected one count per year: a Series indexed by year, or a table with a 'year' column and one count column.")
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(f"Expected a Series or dict of counts by year, got a {type(answer).__name__}.")
    try:
        return {int(k): int(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise WrongType("The keys should be years (like 1999) and the values whole numbers of states.") from None


@exercise("origins-1", "How many states signed the Collective Security Treaty in Tashkent on 1992-05-15?")
def _o1(answer: Any) -> tuple[bool, str]:
    states = load("states")
    got = as_int(answer, "states")
    expected = int(states["signed_1992_tashkent"].sum())
    if got == expected:
        later = states.loc[~states["signed_1992_tashkent"].astype(bool), "first_signed"].dt.year
        return True, f"Those are the original signatories; the other {len(later)} signed in {', '.join(map(str, sorted(set(later))))}."
    if got == len(states):
        return False, "That counts every state that ever signed; keep only those that signed in Tashkent on 1992-05-15."
    if got == len(states) - expected:
        return False, "That counts the states that signed later. Filter on signed_1992_tashkent being True."
    return False, "Count the rows of `states` where signed_1992_tashkent is True (a True counts as 1 in .sum())."


@exercise("origins-2", "In which year did the CSTO Charter enter into force?")
def _o2(answer: Any) -> tuple[bool, str]:
    timeline = load("timeline")
    got = as_int(answer, "a year")
    def year_of(kind: str) -> int:
        return int(timeline.loc[timeline["kind"] == kind, "date"].min().year)
    if got == year_of("charter_entry_into_force"):
        signed = timeline.loc[timeline["kind"] == "charter_signature", "date"].min()
        in_force = timeline.loc[timeline["kind"] == "charter_entry_into_force", "date"].min()
        return True, f"The Charter came into force {(in_force - signed).days} days after it was signed, once the six states had ratified it."
    if got == year_of("charter_signature"):
        return False, "That is the year the Charter was signed. Entry into force came after ratification: look for kind 'charter_entry_into_force'."
    if got == year_of("treaty_signature"):
        return False, "That is the year of the treaty, not of the Charter that created the organisation."
    return False, "Filter the timeline on kind == 'charter_entry_into_force' and read the year of its date."


@exercise("origins-3", "Count the members taking full part (status 'member') on 1 July of each year, from 1992 to the last year in the data.")
def _o3(answer: Any) -> tuple[bool, str]:
    got = _as_year_counts(answer)
    expected = members_per_year().to_dict()
    missing = sorted(set(expected) - set(got))
    if missing:
        return False, f"Some years are missing ({len(missing)}, the first is {missing[0]}); give a count for every year from {min(expected)} to {max(expected)}."
    wrong = [y for y in sorted(expected) if got[y] != expected[y]]
    if not wrong:
        years = sorted(expected)
        drops = [y for y, before in zip(years[1:], years[:-1]) if expected[y] < expected[before]]
        return True, f"All {len(expected)} years match. The count falls in {', '.join(map(str, drops))}: the chart below shows why."
    first = wrong[0]
    hint = "higher" if got[first] > expected[first] else "lower"
    return False, (
        f"{len(wrong)} year(s) differ; the first is {first}, where your count is {hint} than the data give. "
        "Check that a spell counts only if it covers 1 July (started on or before, not yet ended) and has status 'member'."
    )


@exercise("origins-4", "Which states have left the treaty at least once, and in which year did each first leave?")
def _o4(answer: Any) -> tuple[bool, str]:
    from .checks import WrongType

    if not isinstance(answer, (dict, pd.Series)):
        raise WrongType("Expected a dict mapping each state's ISO3 code to a year, e.g. {'XXX': 2000}.")
    aliases = _state_aliases()
    got = {aliases.get(str(k).strip().casefold(), str(k).strip().casefold()): v for k, v in dict(answer).items()}
    expected = {k.casefold(): v for k, v in departures(load("membership")).items()}
    spells = load("membership")
    changed_not_left = {
        str(r.iso3).casefold() for r in spells.itertuples() if pd.notna(r.end_date) and str(r.iso3).casefold() not in expected
    }
    extra = set(got) - set(expected)
    if extra & changed_not_left:
        return False, "One of your states changed status (a frozen or suspended spell began the same day) but did not leave. Leaving means no spell follows."
    ok, message = compare_labels(set(got), set(expected), "states")
    if not ok:
        return False, message + " A state left when one of its spells ended and no other spell of its began that day."
    wrong_year = [k for k in expected if as_int(got[k], "a year") != expected[k]]
    if wrong_year:
        return False, f"The states are right, but {len(wrong_year)} year(s) are not: give the year each state FIRST left."
    returned = sorted(
        k.upper() for k, year in expected.items()
        if (spells["iso3"].str.casefold().eq(k) & (spells["start_date"].dt.year > year)).any()
    )
    back = f" {', '.join(returned)} later came back." if returned else ""
    return True, f"All {len(expected)} left in {', '.join(map(str, sorted(set(expected.values()))))}.{back}"


@exercise("origins-5", "Which state has had the most membership spells?")
def _o5(answer: Any) -> tuple[bool, str]:
    counts = load("membership")["iso3"].astype(str).value_counts()
    top = counts[counts == counts.max()].index
    got = as_labels(answer, "a state (ISO3 code or name)")
    if len(got) != 1:
        return False, "Give one state, as its ISO3 code or its name."
    code = _state_aliases().get(next(iter(got)), next(iter(got)))
    if code in {t.casefold() for t in top}:
        spells = load("membership")
        history = spells[spells["iso3"].str.casefold() == code].sort_values("start_date")
        steps = ", then ".join(f"{r.status} from {r.start_date:%Y}" for r in history.itertuples())
        return True, f"{counts.max()} spells: {steps}."
    if code in _state_aliases().values():
        return False, "That state has fewer spells. Count the rows per state with value_counts() on the iso3 column."
    return False, "That is not one of the states in the data; use an ISO3 code from `states`."


@exercise("origins-6", "Which article of the 1992 Collective Security Treaty holds the mutual-defence promise?")
def _o6(answer: Any) -> tuple[bool, str]:
    provisions = load("provisions")
    got = as_int(answer, "an article number")
    cst = provisions[(provisions["instrument"] == "Collective Security Treaty") & (provisions["topic"] == "mutual_defence")]
    nato = provisions[(provisions["instrument"] == "North Atlantic Treaty") & (provisions["topic"] == "mutual_defence")]
    charter_forces = provisions[(provisions["instrument"] == "CSTO Charter") & (provisions["topic"] == "collective_security")]
    if got in set(cst["article"].astype(int)):
        return True, "Aggression against one party is aggression against all; the reading's 'Article Seven' is a different text."
    if got in set(nato["article"].astype(int)):
        return False, "That is NATO's article. Filter the provisions on the Collective Security Treaty."
    if got in set(charter_forces["article"].astype(int)):
        return False, "That is the number the reading gives, but it belongs to the 2002 Charter and concerns building collective forces. Look at the treaty's own articles."
    return False, "Filter `provisions` on instrument 'Collective Security Treaty' and topic 'mutual_defence'."


#: The right letter, stored only as a salted hash: the data cannot compute a reading of two texts.
_O7_ANSWER = "08730346f138345bdecec5930bac72ee2ab05118945f7c0745388f8a5f33a70c"
_O7_HINTS = {
    "a": "Read the paraphrases again: does either text say every ally must send troops?",
    "b": "Compare the two paraphrases line by line: who decides what help to give?",
    "c": "Look at the provisions table: the 1992 treaty has a row with topic 'mutual_defence'.",
    "d": "Neither article is about internal unrest; both concern attacks on a party.",
}


@exercise("origins-7", "Which statement compares the treaty's Article 4 with NATO's Article 5 accurately? (a letter)")
def _o7(answer: Any) -> tuple[bool, str]:
    from .checks import WrongType, hashed

    if not isinstance(answer, str) or answer.strip().casefold() not in {"a", "b", "c", "d"}:
        raise WrongType("Answer with one letter as text: 'a', 'b', 'c' or 'd'.")
    letter = answer.strip().casefold()
    if hashed(letter) == _O7_ANSWER:
        return True, "Both promise help to an attacked ally and cite the UN Charter's Article 51, but NATO leaves each ally to judge what action is necessary."
    return False, _O7_HINTS[letter]


# Lesson 2: a legacy of inaction --------------------------------------------------------------



def active_response_rate(crises: pd.DataFrame) -> pd.Series:
    """Share of crises with a request in which the alliance did more than issue a statement, by kind."""
    asked = crises[crises["request"] != "none"]
    active = asked["response"].isin(ACTIVE_RESPONSES)
    return active.groupby(asked["kind"].astype(str)).mean().rename("active_response_rate")


def csto_request_delays(crises: pd.DataFrame) -> pd.Series:
    """Days from a request to the alliance itself until its first response (negative: it spoke first)."""
    asked = crises[(crises["requested_of"] == "csto") & crises["request_date"].notna() & crises["response_date"].notna()]
    days = (asked["response_date"] - asked["request_date"]).dt.days
    return pd.Series(days.to_numpy(), index=asked["crisis_id"].astype(str), name="days")


def deployment_steps(crisis_id: str = "kaz-january-2022") -> dict[str, int]:
    """Days after the request at which each later step of a crisis happened (first occurrence)."""
    events = load("crisis_events")
    steps = events[events["crisis_id"] == crisis_id].sort_values("date")
    start = steps.loc[steps["step"] == "request", "date"].min()
    later = steps[(steps["date"] >= start) & (steps["step"] != "request")]
    return {str(step): int((group["date"].min() - start).days) for step, group in later.groupby(later["step"].astype(str))}


def _as_number_map(answer: Any, what: str) -> dict[str, float]:
    from .checks import WrongType

    if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
        answer = answer.iloc[:, 0]
    if isinstance(answer, pd.Series):
        answer = answer.to_dict()
    if not isinstance(answer, dict):
        raise WrongType(f"Expected {what}: a dict or a Series, got a {type(answer).__name__}.")
    try:
        return {str(k): float(v) for k, v in answer.items()}
    except (TypeError, ValueError):
        raise WrongType(f"Expected {what}; some values are not numbers.") from None


@exercise("inaction-1", "By kind of crisis: among crises with a request, the share in which the alliance did more than issue a statement.")
def _i1(answer: Any) -> tuple[bool, str]:
    got = _as_number_map(answer, "a share (0 to 1) for each kind of crisis")
    expected = active_response_rate(load("crises")).to_dict()
    if set(got) != set(expected):
        return False, f"Give one share for each kind that had a request: {len(expected)} kinds, named as in the `kind` column."
    if any(v > 1 for v in got.values()):
        return False, "Shares run from 0 to 1; divide by the number of crises, not multiply by 100."
    wrong = [k for k in expected if abs(got[k] - expected[k]) > 0.005]
    if wrong:
        return False, (
            f"{len(wrong)} kind(s) differ. Keep only crises whose request is not 'none', then take the share "
            f"whose response is one of {', '.join(ACTIVE_RESPONSES)}."
        )
    return True, "Notice how few crises of any kind got more than words, and which kind got the most."


@exercise("inaction-2", "For each request made to the alliance itself, the days from the request to the alliance's first response.")
def _i2(answer: Any) -> tuple[bool, str]:
    got = _as_number_map(answer, "a number of days for each crisis id")
    expected = csto_request_delays(load("crises")).to_dict()
    ok, message = compare_labels(set(got), set(expected), "crises")
    if not ok:
        return False, message + " Keep the crises whose requested_of is 'csto' and that have both dates."
    wrong = [k for k in expected if got[k] != expected[k]]
    if wrong:
        return False, f"{len(wrong)} delay(s) differ: subtract request_date from response_date and take .dt.days (negative values are allowed)."
    negative = sum(1 for v in expected.values() if v < 0)
    return True, f"In {negative} case(s) the alliance spoke before the formal request: a statement is cheap and quick."


@exercise("inaction-3", "Which crises set one member state against another?")
def _i3(answer: Any) -> tuple[bool, str]:
    crises = load("crises")
    got = as_labels(answer, "crisis ids")
    expected = {c.casefold() for c in crises.loc[crises["members_on_both_sides"].fillna(False).astype(bool), "crisis_id"].astype(str)}
    ok, message = compare_labels(got, expected, "crises")
    if ok:
        return True, message + " In each, both sides were allies, so Article 4 could not work as written."
    return False, message + " Keep the rows where members_on_both_sides is True and collect their crisis_id values."


@exercise("inaction-4", "The one collective deployment: days after the appeal of the decision, the arrival, the start and the end of the withdrawal, and the troops sent.")
def _i4(answer: Any) -> tuple[bool, str]:
    got = _as_number_map(answer, "a number for each step, and for 'personnel'")
    crises = load("crises")
    deployed = crises[crises["response"] == "collective_deployment"]
    crisis_id = str(deployed["crisis_id"].iloc[0])
    steps = deployment_steps(crisis_id)
    expected = {k: steps[k] for k in ("decision", "arrival", "withdrawal_start", "withdrawal_complete")}
    expected["personnel"] = int(deployed["personnel_deployed"].iloc[0])
    missing = set(expected) - set(got)
    if missing:
        return False, f"Give a value for each of: {', '.join(sorted(expected))}."
    wrong = [k for k in expected if k != "personnel" and got[k] != expected[k]]
    if wrong:
        return False, f"{len(wrong)} step(s) differ; count days from the date of the 'request' step, using the first event of each step."
    if got["personnel"] != expected["personnel"]:
        return False, "The days are right, but 'personnel' is not: read personnel_deployed for this crisis in `crises`."
    return True, f"From the appeal to the last of {expected['personnel']:,} troops leaving took {expected['withdrawal_complete']} days."


@exercise("inaction-5", "How many crises saw a member ask for troops, and in how many of those did the alliance send them? (a pair)")
def _i5(answer: Any) -> tuple[bool, str]:
    from .checks import WrongType

    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise WrongType("Expected a pair of numbers, e.g. (asked, sent).")
    crises = load("crises")
    troops = crises[crises["request"] == "troops"]
    asked, sent = len(troops), int((troops["response"] == "collective_deployment").sum())
    got = (as_int(answer[0], "crises"), as_int(answer[1], "crises"))
    if got == (asked, sent):
        return True, f"{asked - sent} of {asked} requests for troops got none from the alliance; look at whom they were addressed to."
    if got[0] != asked:
        return False, "The first number is off: count crises whose request is 'troops'."
    return False, "The second number is off: among those, count the ones whose response is 'collective_deployment'."


@exercise("inaction-6", "The reading says the alliance refused Kyrgyzstan's request in 2010. Of whom did Kyrgyzstan ask for troops?")
def _i6(answer: Any) -> tuple[bool, str]:
    from .checks import WrongType

    if not isinstance(answer, str):
        raise WrongType("Answer with text: 'csto' or 'russia'.")
    crises = load("crises").set_index("crisis_id")
    expected = str(crises.loc["kgz-osh-2010", "requested_of"])
    if answer.strip().casefold() == expected:
        return True, "The appeal went to Moscow, which called the violence an internal affair and referred it to the alliance."
    if answer.strip().casefold() in {"csto", "russia"}:
        return False, "Look at the requested_of column for crisis kgz-osh-2010, and read its record_summary."
    raise WrongType("Answer with text: 'csto' or 'russia'.")
