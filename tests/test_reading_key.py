"""The capstone key holds itself to the course's rule: a verdict names the rows that decide it.

Every key row lists its evidence (dataset rows) and sources, and gives a counter-reading; every row
id its prose cites is among its evidence, and every piece of evidence exists. Where a lesson's
"The reading and the record" table gives a verdict on a claim, it names the claim and agrees with
the key; and each claim's `section` in `reading_claims` is a real heading of its lesson whose
text names the claim, one of its evidence rows, or one of its sources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from csto_course.authoring.lesson import read_lessons, source_of

from .conftest import ROOT

DATA = ROOT / "data"
NOT_EVIDENCE = {"sources", "states", "reading_claims", "reading_claims_key"}
VERDICTS = {
    "supported": "supported",
    "needs qualifying": "needs_qualifying",
    "contradicted": "contradicted",
    "cannot be verified": "cannot_be_verified",
}
CLAIM_ID = re.compile(r"\bR\d{2}\b")


def _split(cell: object) -> list[str]:
    return [] if pd.isna(cell) else [part.strip() for part in str(cell).split(";") if part.strip()]


@cache
def _row_ids() -> dict[str, set[str]]:
    """Each evidence dataset's row ids: the values of the first field of its primary key."""
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    ids: dict[str, set[str]] = {}
    for resource in package["resources"]:
        key = resource["schema"].get("primaryKey")
        first = key[0] if isinstance(key, list) else key
        table = pd.read_csv(DATA / resource["path"], dtype=str, keep_default_na=False)
        ids[resource["name"]] = set(table[first]) if resource["name"] not in NOT_EVIDENCE else set()
    return ids


def _key() -> pd.DataFrame:
    return pd.read_csv(DATA / "reading_claims_key.csv", dtype=str).set_index("claim_id")


def _claims() -> pd.DataFrame:
    return pd.read_csv(DATA / "reading_claims.csv", dtype=str).set_index("claim_id")


def _evidence(row: pd.Series) -> list[tuple[str, str | None]]:
    parts = []
    for token in _split(row["evidence"]):
        dataset, _, row_id = token.partition(":")
        parts.append((dataset, row_id or None))
    return parts


def _cited_ids(text: str) -> set[str]:
    """The course-data row ids a prose text cites, with ranges such as T10-T12 spelled out."""
    known = set().union(*_row_ids().values())
    tokens = re.findall(r"[A-Za-z0-9][A-Za-z0-9/-]*[A-Za-z0-9]", text)
    cited = {token for token in tokens if token in known and not token.isdigit()}  # a year is not a row id
    for prefix, first, last in re.findall(r"\b([A-Z]{1,2})(\d{2})-\1?(\d{2})\b", text):
        cited |= {f"{prefix}{n:02d}" for n in (int(first), int(last))}
    return cited & known


def test_every_key_row_names_existing_evidence_and_sources() -> None:
    ids, sources = _row_ids(), set(pd.read_csv(DATA / "sources.csv", dtype=str)["id"])
    for claim, row in _key().iterrows():
        assert _split(row["evidence"]) or _split(row["source_id"]), f"{claim} names no evidence and no source"
        for dataset, row_id in _evidence(row):
            assert dataset in ids and dataset not in NOT_EVIDENCE, f"{claim}: {dataset} is not an evidence dataset"
            assert row_id is None or row_id in ids[dataset], f"{claim}: {dataset} has no row {row_id}"
        for source in _split(row["source_id"]):
            assert source in sources, f"{claim}: no source {source}"


def test_every_row_the_key_cites_is_among_its_evidence() -> None:
    for claim, row in _key().iterrows():
        listed = {row_id for _, row_id in _evidence(row) if row_id}
        cited = _cited_ids(f"{row['explanation']} {row['counter_reading']}")
        assert cited <= listed, f"{claim} cites {sorted(cited - listed)} without listing them as evidence"


def test_a_wrong_id_in_the_evidence_is_caught() -> None:
    """The check above is not vacuous: the id extractor finds ranges and ids inside parentheses."""
    assert _cited_ids("(timeline T10-T12; crises kgz-osh-2010, 68/262)") >= {"T10", "T12", "kgz-osh-2010", "68/262"}
    assert "T99" not in _row_ids()["timeline"]


def test_every_verdict_gives_a_counter_reading() -> None:
    key = _key()
    missing = key.index[key["counter_reading"].fillna("").str.len() < 40].tolist()
    assert not missing, f"no counter-reading for {missing}"


def _tables(text: str) -> Iterator[list[list[str]]]:
    """The Markdown tables in a cell, as rows of stripped cells (the separator row dropped)."""
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if len(block) > 2:
            rows = [[cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]] for line in block]
            yield [rows[0], *rows[2:]]
        block = []


def _lesson_tables() -> Iterator[tuple[str, list[list[str]]]]:
    for lesson in read_lessons(ROOT):
        for cell in lesson.cells:
            if cell["cell_type"] == "markdown":
                for table in _tables(source_of(cell)):
                    yield lesson.name, table


def _verdict(text: str) -> str | None:
    lowered = text.lower().rstrip(".")
    return VERDICTS.get(lowered)


def test_lesson_tables_of_the_reading_name_their_claims_and_agree_with_the_key() -> None:
    key, claims = _key(), _claims()
    judged: list[str] = []
    for lesson, table in _lesson_tables():
        header = table[0]
        if "The reading says" not in header:
            continue
        assert header[0] == "Claim", f"{lesson}: a table of the reading's claims needs a Claim column"
        for row in table[1:]:
            ids = CLAIM_ID.findall(row[0])
            assert ids and all(i in claims.index for i in ids), f"{lesson}: unknown claim in {row[0]!r}"
            assert all(claims.loc[i, "lesson"] == Path(lesson).stem for i in ids), (
                f"{lesson}: {ids} are taught in another lesson, by reading_claims"
            )
            if "Verdict" in header:
                verdict = _verdict(row[header.index("Verdict")])
                assert verdict, f"{lesson}: {ids}: the verdict {row[header.index('Verdict')]!r} is not one of the four"
                for i in ids:
                    assert verdict == key.loc[i, "verdict"], (
                        f"{lesson}: {i} is {verdict} here, {key.loc[i, 'verdict']} in the key"
                    )
                    judged.append(i)
    assert len(judged) >= 20 and len(judged) == len(set(judged))


def _section_text(cells: list[dict], heading: str) -> str | None:
    """The text, Markdown and code, from `## heading` to the next `## ` heading."""
    out: list[str] = []
    inside = False
    for cell in cells:
        for line in source_of(cell).splitlines():
            if line.startswith("## "):
                inside = line[3:].strip() == heading
            if inside:
                out.append(line)
    return "\n".join(out) if out else None


def test_each_claim_is_taught_in_a_section_that_names_it_or_its_evidence() -> None:
    lessons = {Path(lesson.name).stem: list(lesson.cells) for lesson in read_lessons(ROOT)}
    key = _key()
    for claim, row in _claims().iterrows():
        text = _section_text(lessons[row["lesson"]], row["section"])
        assert text is not None, f"{claim}: {row['lesson']} has no heading '## {row['section']}'"
        rows = {row_id for _, row_id in _evidence(key.loc[claim]) if row_id}
        sources = set(_split(row["source_id"]) + _split(key.loc[claim, "source_id"])) - {
            "aviles-mccabe-fading-alliance"
        }
        cited = set(re.findall(r'data-keys="([^"]+)"', text))
        cited_sources = {s.strip() for group in cited for s in group.split(";")}
        named = claim in CLAIM_ID.findall(text) or rows & _cited_ids(text) or sources & cited_sources
        assert named, (
            f"{claim}: section '{row['section']}' of {row['lesson']} names neither the claim, "
            "its evidence nor its sources"
        )


@pytest.mark.parametrize("verdict", sorted(VERDICTS))
def test_verdict_words_are_read_as_the_key_spells_them(verdict: str) -> None:
    assert _verdict(verdict.capitalize()) == VERDICTS[verdict]


def test_the_instructor_guide_names_the_capstone_claims_that_lessons_already_judge() -> None:
    """The guide warns that some of the capstone's nine have verdicts in lesson tables; its list is
    the one the tables give, not one typed from memory."""
    from csto_course.exercises.capstone import JUDGED

    in_tables = {
        i
        for _, table in _lesson_tables()
        if "Verdict" in table[0]
        for row in table[1:]
        for i in CLAIM_ID.findall(row[0])
    }
    guide = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    named = re.search(r"of the capstone's\s+nine \(([^)]*)\)", guide)
    assert named, "the instructor guide no longer lists the capstone claims that lessons judge"
    assert set(CLAIM_ID.findall(named.group(1))) == set(JUDGED) & in_tables
