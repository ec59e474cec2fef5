"""Lesson 2, A legacy of inaction: requests, responses, delays and the one deployment.

The ids follow the lesson's labels: Exercise 2.1 is ``inaction-1``, and so on.
"""

from __future__ import annotations

from .. import measures
from ..data import load
from ..language import N_, _, number
from . import answers, worked
from .specs import (
    All,
    AllIn,
    AnyAbove,
    Extra,
    HasAny,
    KeysDiffer,
    Missing,
    Mistake,
    Not,
    Off,
    OffBy,
    PartDiffers,
    PartIs,
    PerKey,
    Read,
    Say,
    Spec,
    as_code,
    as_labels,
    as_number_map,
    as_pair,
    close,
    other_keys,
    per_check,
    same_labels,
    tally,
)


@per_check
def expected_troops_asked_and_sent() -> tuple[int, int]:
    """Inaction 1: (crises whose request is 'troops', those of them whose response is 'collective_deployment')."""
    return answers.troops_asked_and_sent(load("crises"))


def _troops_unsent(answer: tuple[int, int]) -> str:
    asked, sent = expected_troops_asked_and_sent()
    return _(
        "{unsent} of {asked} requests for troops got none from the alliance; look at whom they were addressed to."
    ).format(unsent=asked - sent, asked=asked)


Spec(
    "inaction-1",
    N_("How many crises saw a member ask for troops, and in how many of those did the alliance send them? (a pair)"),
    read=Read(
        as_pair, N_("a pair of numbers in brackets, (asked, sent)"), N_("a number of crises"), N_("a number of crises")
    ),
    expected=expected_troops_asked_and_sent,
    right=_troops_unsent,
    mistakes=[
        Mistake(
            N_(
                "Both numbers are there, in the wrong order: first the crises with a request for troops, then those "
                "that got them."
            ),
            value=lambda: expected_troops_asked_and_sent()[::-1],
        ),
        Mistake(
            N_("The first number counts every request; keep only those whose request is 'troops'."),
            when=PartIs(0, lambda: len(answers.with_request(load("crises")))),
        ),
        Mistake(
            N_("The first number is off: count the crises whose request is 'troops'."),
            when=PartDiffers(0),
        ),
    ],
    otherwise=N_(
        "The second number is off: among those crises, count the ones whose response is 'collective_deployment'."
    ),
).register()


@per_check
def expected_active_share() -> dict[str, float]:
    """Inaction 2: by kind, the share of crises with a request whose response is one of ACTIVE_RESPONSES."""
    return {str(k): float(v) for k, v in answers.active_response_rate(load("crises")).items()}


Spec(
    "inaction-2",
    N_(
        "By kind of crisis: among crises with a request, the share in which the alliance did more than issue a "
        "statement."
    ),
    read=Read(as_number_map, N_("a share (0 to 1) for each kind of crisis"), "kind"),
    expected=expected_active_share,
    matches=close(0.005),
    before=[
        other_keys(
            expected_active_share,
            N_("Give one share for each kind that had a request: {n} kinds, named as in the `kind` column."),
        ),
        Mistake(
            N_("Shares run from 0 to 1: divide by the number of crises, and do not multiply by 100."),
            when=AnyAbove(1),
        ),
    ],
    right=N_("Notice how few crises of any kind got more than words, and how small each group is."),
    mistakes=[
        Mistake(
            N_(
                "These are shares of every crisis, including those in which nobody asked. Keep only the crises whose "
                "request is not 'none' first."
            ),
            value=lambda: answers.response_share(load("crises"), asked_only=False)[list(expected_active_share())],
        ),
        Mistake(
            N_("A statement is words only: leave 'statement' out of the responses that count as doing more."),
            value=lambda: answers.response_share(load("crises"), (*measures.ACTIVE_RESPONSES, "statement")),
        ),
    ],
    otherwise=Say(
        N_(
            "{off} kind(s) differ. Keep only the crises whose request is not 'none', then take the share whose "
            "response is one of {responses}."
        ),
        facts={"responses": lambda: ", ".join(measures.ACTIVE_RESPONSES)},
    ),
    worked=lambda: worked.response_rates(load("crises")),
).register()


def _conflicts(column: str) -> list[str]:
    return answers.member_conflicts(load("crises"))[column].astype(str).tolist()


@per_check
def expected_member_against_member() -> list[str]:
    """Inaction 3: the crisis_id of each crisis whose members_on_both_sides is True."""
    return _conflicts("crisis_id")


Spec(
    "inaction-3",
    N_("Which crises set one member state against another?"),
    read=Read(as_labels, N_("a list of crisis ids")),
    expected=expected_member_against_member,
    matches=same_labels,
    before=[
        Mistake(
            N_("Those are the crises' names; collect their crisis_id values instead."), value=lambda: _conflicts("name")
        )
    ],
    preface=tally(N_("crises")),
    right=(
        N_(
            "In each, both sides were allies: whether a promise of defence applies when the attacker is a member "
            "is the question section 4 takes up."
        )
    ),
    otherwise=N_("Keep the rows where members_on_both_sides is True and collect their crisis_id values."),
).register()


@per_check
def expected_delays() -> dict[str, int]:
    """Inaction 4: for each crisis requested of 'csto' with both dates, response_date minus request_date in days."""
    return {str(k): int(v) for k, v in answers.response_delays(load("crises")).items()}


def _negative_delays(answer: dict[str, float]) -> str:
    negative = sum(1 for v in expected_delays().values() if v < 0)
    return _("In {count} case(s) the alliance spoke before the formal request: a statement is cheap and quick.").format(
        count=negative
    )


Spec(
    "inaction-4",
    N_("For each request made to the alliance itself, the days from the request to the alliance's first response."),
    read=Read(as_number_map, N_("a number of days for each crisis id"), "crisis_id"),
    expected=expected_delays,
    matches=close(0),
    right=_negative_delays,
    mistakes=[
        Mistake(
            N_(
                "You have crises whose request went to someone else, or that lack a date. Keep requested_of == "
                "'csto' and both dates."
            ),
            when=All(Not(Missing()), Extra(), AllIn(lambda: load("crises")["crisis_id"].astype(str))),
        ),
        Mistake(
            Say(
                N_("{tally} Keep the crises whose requested_of is 'csto' and that have both dates."), noun=N_("crises")
            ),
            when=KeysDiffer(),
        ),
        Mistake(
            N_("Every sign is flipped: subtract the request date from the response date, not the other way round."),
            value=lambda: {k: -v for k, v in expected_delays().items()},
        ),
    ],
    otherwise=Say(
        N_(
            "{off} delay(s) differ: subtract request_date from response_date and take .dt.days (negative values are "
            "allowed)."
        )
    ),
    worked=lambda: worked.response_delay_table(load("crises"), load("crisis_events")),
).register()


_DEPLOYMENT_STEPS = ("decision", "arrival", "withdrawal_start", "withdrawal_complete")


@per_check
def expected_deployment() -> dict[str, int]:
    """Inaction 5: for the crisis with a collective deployment, the days from the appeal to each step (from
    `crisis_events`), and personnel_deployed."""
    deployed = answers.deployments(load("crises"))
    steps = answers.step_days(load("crisis_events"), str(deployed["crisis_id"].iloc[0]))
    expected = {k: steps[k] for k in _DEPLOYMENT_STEPS}
    expected["personnel"] = int(deployed["personnel_deployed"].iloc[0])
    return expected


Spec(
    "inaction-5",
    N_(
        "The one collective deployment: days after the appeal of the decision, the arrival, the start and the end of "
        "the withdrawal, and the troops sent."
    ),
    read=Read(as_number_map, N_("a number for each step, and for 'personnel'"), "step"),
    expected=expected_deployment,
    matches=PerKey(extra=True),
    right=lambda answer: _("From the appeal to the last of {troops} troops leaving took {days} days.").format(
        troops=number(expected_deployment()["personnel"]), days=expected_deployment()["withdrawal_complete"]
    ),
    mistakes=[
        Mistake(
            Say(
                N_("Give a value for each of: {steps} ({missing} missing)."),
                facts={"steps": lambda: ", ".join(sorted((*_DEPLOYMENT_STEPS, "personnel")))},
            ),
            when=Missing(),
        ),
        Mistake(
            N_(
                "Each differing step is one day too many: count the days between two dates (the appeal's day is day 0)."
            ),
            when=OffBy(1, only=_DEPLOYMENT_STEPS),
        ),
        Mistake(
            Say(
                N_(
                    "{off} step(s) differ; count days from the date of the 'request' step, using the first event of "
                    "each step."
                ),
                only=_DEPLOYMENT_STEPS,
            ),
            when=Off(only=_DEPLOYMENT_STEPS),
        ),
    ],
    otherwise=N_("The days are right, but 'personnel' is not: read personnel_deployed for this crisis in `crises`."),
).register()


@per_check
def expected_asked_whom() -> str:
    """Inaction 6: the requested_of code of crisis kgz-osh-2010."""
    return str(load("crises").set_index("crisis_id").loc["kgz-osh-2010", "requested_of"])


Spec(
    "inaction-6",
    N_("The reading says the alliance refused Kyrgyzstan's request in 2010. Of whom did Kyrgyzstan ask for troops?"),
    read=Read(as_code),
    expected=expected_asked_whom,
    right=N_(
        "The appeal went to Moscow, which called the violence an internal affair and referred it to the alliance."
    ),
    mistakes=[
        Mistake(
            N_("Look at the requested_of column for crisis kgz-osh-2010 once more, and read its record_summary."),
            when=HasAny(lambda: set(load("crises")["requested_of"].astype(str))),
        )
    ],
    otherwise=N_("Answer with one of the codes used in the requested_of column, exactly as it appears there."),
).register()
