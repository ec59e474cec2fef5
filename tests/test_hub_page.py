"""book/hub.md's claims about the course's files, read from the page and checked against them.

The page tells an instructor what the hub's image is built from and which link gives students
the lessons. Each file, command and setting it names must exist; each package it says the image
needs must be pinned in binder/requirements.txt; its example link and repo2docker command must
name the repository and branch that _config.yml sets and the Publish workflow pushes; and its
memory table must be bench/kernel-memory.json's figures.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

from csto_course.website import russian_site

from .conftest import ROOT

PAGE = (ROOT / "book" / "hub.md").read_text(encoding="utf-8")
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
_spec = importlib.util.spec_from_file_location("student_routes", ROOT / "tools" / "student_routes.py")
assert _spec and _spec.loader
student_routes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student_routes)

#: Names in code spans that are not the course's files: the hub's own configuration file
#: (Zero to JupyterHub's), a program repo2docker brings, and the chart's schema.
NOT_COURSE_FILES = {"config.yaml", "jupyterhub-singleuser", "values.schema.yaml"}
_PATH = re.compile(r"[\w.*-]+(?:/[\w.*-]*)+|[\w-]+\.(?:py|json|yml|yaml|toml|lock|txt|md|cfg)")


def code_spans(text: str = PAGE) -> list[str]:
    """The page's inline code, outside fenced blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return re.findall(r"`([^`\n]+)`", prose)


def fenced(language: str, text: str = PAGE) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def test_every_file_the_page_names_exists() -> None:
    named = []
    for span in code_spans():
        for word in span.split():
            if word not in NOT_COURSE_FILES and _PATH.fullmatch(word) and "://" not in word:
                named.append(word)
    assert {"binder/requirements.txt", "binder/postBuild", "tools/student_routes.py"} <= set(named)
    missing = [path for path in named if not any(ROOT.glob(path.rstrip("/")))]
    assert not missing, f"book/hub.md names files the course does not have: {missing}"


def test_every_make_command_and_setting_the_page_names_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for span in code_spans():
        if span.startswith("make "):
            target = span.split()[1]
            assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"book/hub.md names `{span}`: no such target"
    settings = [s for s in code_spans() if re.fullmatch(r"[a-z_]+\.[a-z_]+", s) and not _PATH.fullmatch(s)]
    assert settings, "the page names _config.yml's settings"
    for setting in settings:
        section, key = setting.split(".")
        assert key in (CONFIG.get(section) or {}), f"book/hub.md names `{setting}`, which _config.yml lacks"
    for span in code_spans():
        if span.endswith("()"):
            assert hasattr(student_routes, span[:-2]), f"book/hub.md names `{span}`, not in tools/student_routes.py"


def _pins() -> set[str]:
    text = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    return {line.split("==")[0].lower() for line in text.splitlines() if "==" in line and not line.startswith(" ")}


def test_each_package_the_page_says_the_image_needs_is_pinned_for_binder() -> None:
    # "The hub also needs [nbgitpuller](...) in the image", "Open JupyterLab, the interface ...".
    needed = re.findall(r"needs\s+\[([\w-]+)\]\([^)]*\)\s+in\s+the\s+image", PAGE)
    assert needed == ["nbgitpuller"], f"the page's list of what the image needs changed: {needed}"
    if "Open JupyterLab" in PAGE:
        needed.append("jupyterlab")
    pins = _pins()
    assert [name for name in needed if name.lower() not in pins] == [], "run `make binder` after adding them"
    # The page once said binder/requirements.txt lacked nbgitpuller while it pinned it.
    lacks = re.search(r"binder/requirements\.txt`?\s+(?:does not|doesn't)\s+(?:list|pin|include|have)", PAGE)
    assert lacks is None, f"book/hub.md says {lacks and lacks.group(0)!r}, but it pins what the image needs"
    groups = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["dependency-groups"]
    assert any(r.startswith("nbgitpuller") for r in groups["lab"]), "the page says the `lab` group has nbgitpuller"


def _published_branches() -> list[str]:
    """The branches publish.yml pushes (its step calls ``publish BRANCH FOLDER`` for each)."""
    publish = (ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    assert 'HEAD:refs/heads/$branch"' in publish, "publish.yml's publish() should push to the branch it is given"
    pushed = re.findall(r'^\s*publish ([\w-]+) "', publish, re.M)
    assert len(pushed) == 2, f"publish.yml should push the student branch and the Russian one, found {pushed}"
    return pushed


def _published_branch() -> str:
    """The English lessons' branch, which the page's examples use: the one _config.yml names."""
    branch = CONFIG["repository"]["branch"]
    assert branch in _published_branches()
    return str(branch)


def test_the_example_link_opens_the_published_student_branch_of_the_configured_repository() -> None:
    links = [line for block in fenced("text") for line in block.splitlines() if "git-pull?" in line]
    assert len(links) == 1, "the page shows one nbgitpuller link"
    link = urlparse(links[0].strip())
    query = {key: values[0] for key, values in parse_qs(link.query).items()}
    branch = CONFIG["repository"]["branch"]
    assert query["repo"] == CONFIG["repository"]["url"]
    assert query["branch"] == branch == _published_branch()
    hub = f"{link.scheme}://{link.netloc}"
    notebook = query["urlpath"].split("/", 3)[3]  # lab/tree/<folder>/<notebook>
    assert (ROOT / notebook).is_file()
    expected = student_routes.jupyterhub_link(hub, CONFIG["repository"]["url"], branch, notebook)
    assert links[0].strip() == expected, "the page's link is not the one tools/student_routes.py builds"
    # The hub's address in the example is the one the page sets in its _config.yml example.
    assert any(f'jupyterhub_url: "{hub}"' in block for block in fenced("yaml"))


def test_the_repo2docker_command_builds_the_published_branch_of_the_configured_repository() -> None:
    block = next(block for block in fenced("bash") if "repo2docker" in block)
    words = shlex.split(block.replace("\\\n", " ").splitlines()[0])
    assert words[words.index("--ref") + 1] == CONFIG["repository"]["branch"] == _published_branch()
    assert words[-1] == CONFIG["repository"]["url"]
    # The Russian class's image: the branch the Russian pages open, which the workflow publishes too.
    russian = russian_site.student_branch(CONFIG["repository"]["branch"])
    assert f"--ref {russian}" in code_spans() and russian in _published_branches()


def test_the_memory_table_is_the_measured_figures() -> None:
    measured = json.loads((ROOT / "bench" / "kernel-memory.json").read_text(encoding="utf-8"))
    rows = re.findall(r"^\| (\d) [^|]+\| ([\d.]+) \| ([\d.]+) \|$", PAGE, re.M)
    lessons = list(measured["lessons"])
    assert [int(number) for number, _, _ in rows] == list(range(len(lessons)))
    for (_, student, instructor), lesson in zip(rows, lessons, strict=True):
        figures = measured["lessons"][lesson]
        assert float(student) == figures["student"]["peak_rss_mib"], lesson
        assert float(instructor) == figures["instructor"]["peak_rss_mib"], lesson
    server = measured["jupyterlab_server_idle"]["peak_rss_mib"]
    assert f"no kernel used {server:.0f} MiB" in PAGE
    versions = measured["machine"]["versions"]
    for name in ("ipykernel", "jupyterlab", "pandas", "altair"):
        shown = re.search(rf"{name} (\d+(?:\.\d+)*)", PAGE, re.I)
        assert shown and shown.group(1) == versions[name], f"the page's {name} version is not the measured one"


# --- The class hub: load test, sizing and Kubernetes ------------------------------------------

LOAD = json.loads((ROOT / "bench" / "hub-load.json").read_text(encoding="utf-8"))
VALUES = yaml.safe_load((ROOT / "hub" / "z2jh" / "values.yaml").read_text(encoding="utf-8"))
HUB_CONFIG = (ROOT / "hub" / "jupyterhub_config.py").read_text(encoding="utf-8")


def _mebibytes(size: str) -> float:
    """A Kubernetes or JupyterHub size ("320M", "1G") in MiB: JupyterHub and the chart read M and G as 1024-based."""
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([MG])", size).groups()  # type: ignore[union-attr]
    return float(number) * (1024 if unit == "G" else 1)


def test_the_page_shows_the_last_load_test_and_states_its_verdict() -> None:
    assert "% csto:generate hub-load" in PAGE
    from csto_course.website.hubreport import report_markdown

    report = report_markdown(ROOT / "bench" / "hub-load.json")
    assert f"Largest class held: {LOAD['supported']} students" in report
    assert report.count("\n| ") == len(LOAD["steps"]) + 1, "one table row per step, under the header"
    assert "<svg" in report and "<title" in report, "the chart, with a text alternative"
    # What the page says in its own words is the measurement's.
    assert f"holds **{LOAD['supported']} students**" in PAGE
    assert LOAD["steps"], "the load test ran at least one step"


def test_the_load_report_says_when_there_is_nothing_to_show(tmp_path: Path) -> None:
    from csto_course.website.hubreport import report_markdown

    assert "has not been run yet" in report_markdown(tmp_path / "missing.json")


def test_the_memory_settings_follow_from_the_measurement() -> None:
    memory = VALUES["singleuser"]["memory"]
    peak = max(step["student_rss_mib_max"] for step in LOAD["steps"])
    # The guarantee: the measured peak of a student with one lesson open, plus half, rounded up to 64 MiB.
    assert _mebibytes(memory["guarantee"]) == -(-peak * 1.5 // 64) * 64
    assert f"**One student, one lesson: {peak:.0f} MiB**" in PAGE
    # The limit is the one the single-machine hub enforces (and tests/test_hub.py exceeds).
    default_limit = re.search(r'"CSTO_HUB_MEM_LIMIT", "(\w+)"', HUB_CONFIG)
    assert default_limit and memory["limit"] == default_limit.group(1)
    assert f"guarantee: {memory['guarantee']}" in PAGE and f"limit: {memory['limit']}" in PAGE


def test_the_cpu_settings_follow_from_the_measurement() -> None:
    cpu = VALUES["singleuser"]["cpu"]
    mean = max(step["cpu_cores_per_student_mean"] for step in LOAD["steps"])
    peak = max(step["cpu_cores_per_student_peak"] for step in LOAD["steps"])
    # The guarantee: the measured average per student, rounded up to a twentieth of a core.
    assert cpu["guarantee"] == -(-mean // 0.05) * 0.05
    assert peak <= cpu["limit"] == 1, "a cell runs on one core"
    assert f"guarantee: {cpu['guarantee']}" in PAGE and re.search(rf"{mean:.3f}\s+of a core", PAGE)


def test_the_kubernetes_values_name_the_image_the_page_builds_and_the_published_branch() -> None:
    block = next(block for block in fenced("bash") if "repo2docker" in block)
    words = shlex.split(block.replace("\\\n", " ").splitlines()[0])
    name, tag = words[words.index("--image-name") + 1].rsplit(":", 1)
    assert VALUES["singleuser"]["image"] == {"name": name, "tag": tag}
    pull = VALUES["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"][-1].split()
    assert pull[:4] == ["gitpuller", CONFIG["repository"]["url"], _published_branch(), "csto-course"]
    assert VALUES["singleuser"]["defaultUrl"] == "/lab"
    culler = re.search(r'"CSTO_HUB_CULL_TIMEOUT", (\d+)', HUB_CONFIG)
    assert culler and VALUES["cull"]["timeout"] == int(culler.group(1)), "the same idle timeout on both hubs"
