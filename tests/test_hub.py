"""The class hub's smoke test: a real JupyterHub on 127.0.0.1, three students, and what goes wrong in class.

hub/jupyterhub_config.py is started by the launcher ``make hub`` uses (:class:`ClassHub`), with
the proxy from hub/node_modules (``make test`` installs it with npm ci), on free ports, in a
temporary folder. The student branch is written from this clone into a local git folder, and
git fetches it in place of the course's GitHub address, so the students click the very link the
website shows (``launch_urls`` of tools/student_routes.py) and nothing leaves the machine.

In order, sharing one hub (each test goes on from where the one before left the class):

1. three students click the link at once: log in, the hub starts their servers, nbgitpuller
   clones the student branch, JupyterLab opens the lesson (with the course's settings), and
   every code cell runs over the kernel's websocket; one answers a check wrong, then right;
2. a cell that asks for more memory than the limit loses its kernel, not the server;
3. a pull that meets the student's own edits keeps them, brings in the rest, and restores a
   lesson the student deleted;
4. the hub restarts while a student's kernel runs: the lesson keeps running meanwhile, and the
   server, its kernel and the kernel's variables are the same afterwards;
5. the idle culler stops idle servers; the student comes back to their saved notebook;
6. stopping the hub stops every server and frees every port.

The servers run in this clone's environment (``make env``), where the course's full package is
installed; tests/test_student_branch.py runs the lessons in the student's package instead.
Without npm's proxy the tests are skipped and say so; CI sets CSTO_REQUIRE_HUB=1, which turns
that skip into a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import psutil
import pytest
import requests

from csto_course.authoring.lesson import read_lesson, solution_blocks, source_of
from csto_course.hub.launch import PROXY, ClassHub, free_port, git, local_student_repo, port_is_free
from csto_course.hub.spawner import GROUP, memory_cgroup_root
from csto_course.hub.student import Kernel, Student, StudentError, code_cells

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("student_routes", ROOT / "tools" / "student_routes.py")
assert _spec and _spec.loader
student_routes = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(student_routes)

#: Starts a JupyterHub, its proxy and students' servers of its own (make test runs it; make check does not).
pytestmark = pytest.mark.slow

LESSON = "notebooks/01_origins.ipynb"
#: Where nbgitpuller puts the lesson in a student's home: the repository's folder, then its path.
IN_HOME = f"csto-course/{LESSON}"
STUDENTS = ("ada", "bo", "chen")
PASSWORD = "smoke-test-password"
#: The memory limit the test hub sets (the config's default, written out so the test can exceed it):
#: JupyterHub reads "1G" as 1024**3 bytes.
LIMIT_SETTING, LIMIT = "1G", 1024**3


def _unavailable(reason: str) -> None:
    if os.environ.get("CSTO_REQUIRE_HUB") == "1":
        pytest.fail(f"{reason} (CSTO_REQUIRE_HUB=1: the hub's smoke test is required here)")
    pytest.skip(f"{reason}. To run the hub's smoke test: install Node.js and npm, then make test.")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassHub]:
    """The class hub, serving the student branch written from this clone, on free ports of 127.0.0.1."""
    if not PROXY.exists():
        _unavailable("configurable-http-proxy is not installed in hub/node_modules (make test installs it with npm)")
    folder = tmp_path_factory.mktemp("hub")
    repo = local_student_repo(folder / "remote", student_routes.student_branch(student_routes.load_config()))
    settings = {
        "CSTO_HUB_STUDENT_REPO": str(repo),
        "CSTO_HUB_PASSWORD": PASSWORD,
        "CSTO_HUB_MEM_LIMIT": LIMIT_SETTING,
        # Servers report their use to the hub every second, so the culler (test 5) sees at once
        # who is working; a class's hub reports every minute.
        "CSTO_HUB_ACTIVITY_INTERVAL": "1",
    }
    running = ClassHub(folder / "state", port=free_port(), proxy_api_port=free_port(), hub_port=free_port())
    running.settings.update(settings)
    with running:
        yield running


@pytest.fixture(scope="module")
def link(hub: ClassHub) -> str:
    """Lesson 1's JupyterHub button, as `make book` writes it for a hub at this address."""
    return student_routes.launch_urls(student_routes.load_config(), LESSON, hub.url)["JupyterHub"]


@pytest.fixture(scope="module")
def students(hub: ClassHub) -> dict[str, Student]:
    return {name: Student(hub.url, name, PASSWORD, timeout=90) for name in STUDENTS}


@pytest.fixture(scope="module")
def kernels() -> dict[str, Kernel]:
    """Each student's open lesson kernel, kept from one test to the next."""
    return {}


def alive(pid: int) -> bool:
    """Whether a process runs (an ended one that no parent has reaped yet does not)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def server_pid(hub: ClassHub, name: str) -> int:
    """The process id of ``name``'s server, from the hub's stored state."""
    user = hub.api("GET", f"/users/{name}").json()
    return int(user["servers"][""]["state"]["pid"])


def exercise_one() -> tuple[int, str]:
    """Exercise 1.1's answer cell in the lesson, and the instructor's solution to it (the right answer)."""
    lesson = read_lesson(ROOT / LESSON)
    exercise = lesson.exercise("origins-1")
    assert exercise and exercise.solution_cells
    cell = exercise.solution_cells[0]
    return cell, "".join(block.body for block in solution_blocks(source_of(lesson.cells[cell])))


def run_lesson(student: Student, link: str) -> tuple[Kernel, list[str]]:
    """One student's class: click the link, open the lesson, run every code cell; the kernel and each cell's text."""
    student.click(link)
    student.open_lab(IN_HOME)
    kernel = student.kernel(IN_HOME)
    texts = []
    for index, source in code_cells(student.read(IN_HOME)):
        run = kernel.execute(source)
        assert run.status == "ok", f"{student.name}: cell {index} raised\n{run.text()}"
        texts.append(run.text())
    return kernel, texts


# --- 1. A class of three -------------------------------------------------------------------------


def test_three_students_log_in_pull_the_course_and_run_a_lesson(
    hub: ClassHub, link: str, students: dict[str, Student], kernels: dict[str, Kernel]
) -> None:
    with ThreadPoolExecutor(len(students)) as pool:
        runs = dict(zip(students, pool.map(lambda s: run_lesson(s, link), students.values()), strict=True))
    servers = hub.servers()
    assert sorted(servers) == sorted(STUDENTS) and all(server["ready"] for server in servers.values())
    assert len({server_pid(hub, name) for name in STUDENTS}) == 3, "each student has a server of their own"
    for name, (kernel, texts) in runs.items():
        kernels[name] = kernel
        # The student edition: each check says the exercise is not attempted yet, never an answer.
        assert sum("Not attempted yet" in text for text in texts) == 7, name
        assert not any("Correct." in text for text in texts), name
        home = hub.state / "home" / name / "csto-course"
        assert git(home, "rev-parse", "--abbrev-ref", "HEAD").strip() == "student"
        assert "# BEGIN SOLUTION" not in (home / LESSON).read_text(), "the student branch holds no solution"


def test_a_check_answered_wrong_then_right_says_so(kernels: dict[str, Kernel]) -> None:
    _, right = exercise_one()
    kernel = kernels["ada"]
    wrong = kernel.execute("answer = 0\ncheck('origins-1', answer)").text()
    assert wrong.startswith("✘ origins-1: Not yet."), wrong
    correct = kernel.execute(f"{right}\ncheck('origins-1', answer)").text()
    assert correct.startswith("✔ origins-1: Correct."), correct


def test_jupyterlab_has_the_courses_settings(students: dict[str, Student]) -> None:
    student = students["bo"]
    plugin = "@jupyterlab/apputils-extension:notification"
    settings = student.http.get(f"{student.server}/lab/api/settings/{plugin}", timeout=30).json()
    course = json.loads((ROOT / "lab" / "settings" / "overrides.d" / "csto-course.json").read_text())[plugin]
    for key, value in course.items():
        assert settings["schema"]["properties"][key]["default"] == value, key


# --- 2. The memory limit -------------------------------------------------------------------------


def test_a_cell_past_the_memory_limit_loses_its_kernel_not_the_server(
    hub: ClassHub, students: dict[str, Student]
) -> None:
    found = memory_cgroup_root(Path("/proc/self/cgroup").read_text())
    group = found[0] / GROUP / "chen" if found else None
    if group is None or not (group / "cgroup.procs").exists():
        _unavailable("No memory control group could be made for the students' servers (it needs root)")
    assert group is not None
    limit_file = found[1] if found else ""
    assert int((group / limit_file).read_text()) == LIMIT
    pid = server_pid(hub, "chen")
    assert pid in {int(p) for p in (group / "cgroup.procs").read_text().split()}, "the server is in its group"
    student = students["chen"]
    runaway = student.kernel(IN_HOME)
    assert {int(p) for p in (group / "cgroup.procs").read_text().split()} > {pid}, "its kernels are in it too"
    with pytest.raises(StudentError, match=r"kernel was|connection closed"):
        runaway.execute(f"hog = b'x' * {LIMIT + 256 * 1024**2}")
    runaway.close()
    assert alive(pid) and server_pid(hub, "chen") == pid, "the server outlived its kernel"
    assert student.read(IN_HOME)["cells"], "and still serves the student's files"


# --- 3. A pull that meets the student's edits ----------------------------------------------------


def test_a_pull_keeps_the_students_edits_and_brings_the_rest(
    hub: ClassHub, link: str, students: dict[str, Student]
) -> None:
    student = students["ada"]
    cell, _ = exercise_one()
    notebook = student.read(IN_HOME)
    mine = "# My answer, kept by nbgitpuller.\nanswer = 41\n"
    notebook["cells"][cell]["source"] = mine
    student.save(IN_HOME, notebook)
    # The instructor changes the same cell (a conflict) and the lesson's title (no conflict).
    repo = Path(hub.settings["CSTO_HUB_STUDENT_REPO"])
    upstream = nbformat.read(repo / LESSON, as_version=4)
    upstream.cells[cell].source = "# Instructor's new hint.\nanswer = ...\n"
    title = upstream.cells[0].source.splitlines()[0]
    upstream.cells[0].source = upstream.cells[0].source.replace(title, title + " (revised)", 1)
    nbformat.write(upstream, repo / LESSON)
    git(repo, "commit", "--quiet", "-am", "Revise lesson 1")

    # The student also deleted another lesson by mistake.
    other = "csto-course/notebooks/00_getting_started.ipynb"
    student.delete(other)

    student.click(link)
    assert student.read(other)["cells"], "a deleted lesson comes back with the next click"
    merged = student.read(IN_HOME)
    nbformat.validate(nbformat.from_dict(merged))  # the merged file is still a notebook
    assert merged["cells"][cell]["source"] == mine, "the student's answer is kept"
    assert merged["cells"][0]["source"].startswith(title + " (revised)"), "the instructor's other change arrives"


# --- 4. The hub restarts during the class --------------------------------------------------------


def test_a_hub_restart_leaves_running_lessons_running(
    hub: ClassHub, link: str, students: dict[str, Student], kernels: dict[str, Kernel]
) -> None:
    kernel = kernels["bo"]
    assert kernel.execute("progress = 42").status == "ok"
    pids = {name: server_pid(hub, name) for name in STUDENTS}
    hub.stop_hub()
    # With the hub down, the open lesson still runs: the proxy routes the kernel's websocket to the server.
    assert kernel.execute("print(progress + 1)").text().strip() == "43"
    with pytest.raises(StudentError):  # a student who logs in now waits for the hub (the proxy's error page)
        Student(hub.url, "dara", PASSWORD, timeout=10).open_link(link)
    hub.start_hub()
    assert {name: server_pid(hub, name) for name in STUDENTS} == pids, "the same servers, not new ones"
    assert kernel.execute("print(progress)").text().strip() == "42", "the kernel kept its variables"
    assert sorted(hub.servers()) == sorted(STUDENTS)


# --- 5. The idle culler ----------------------------------------------------------------------------


def test_a_culled_student_finds_their_saved_notebook(
    hub: ClassHub, link: str, students: dict[str, Student], kernels: dict[str, Kernel]
) -> None:
    student = students["chen"]
    notebook = student.read(IN_HOME)
    notebook["cells"][0]["source"] += "\n\nMy note, halfway through the lesson."
    student.save(IN_HOME, notebook)
    saved = student.read(IN_HOME)
    pids = [server_pid(hub, name) for name in STUDENTS]
    for kernel in kernels.values():
        kernel.close()
    # An instructor shortens the culler's timeout to 4 s, and restarts the hub to apply it.
    hub.restart_hub(settings={"CSTO_HUB_CULL_TIMEOUT": "4", "CSTO_HUB_CULL_EVERY": "1"})
    deadline = time.monotonic() + 45
    while hub.servers() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert hub.servers() == {}, "every idle server was culled"
    assert not any(alive(pid) for pid in pids), "and its processes ended"
    on_disk = nbformat.read(hub.state / "home" / "chen" / IN_HOME, as_version=4)
    assert [cell.source for cell in on_disk.cells] == [cell["source"] for cell in saved["cells"]], (
        "the saved notebook is as the student left it"
    )
    # The student clicks the lesson's link again: a new server, their files (nbgitpuller merges
    # test 3's revision of the lesson into them, and keeps their note).
    student.click(link)
    assert student.read(IN_HOME)["cells"][0]["source"].endswith("My note, halfway through the lesson.")
    kernel = student.kernel(IN_HOME)
    first = next(code_cells(saved))[1]
    assert kernel.execute(first).status == "ok", "and runs again in a new kernel"
    kernel.close()


# --- 6. Stopping ------------------------------------------------------------------------------------


def test_stopping_the_hub_stops_every_server_and_frees_every_port(hub: ClassHub) -> None:
    pids = [server_pid(hub, name) for name in hub.servers()]
    hub.stop()
    assert not any(alive(pid) for pid in pids)
    for port in (hub.port, hub.proxy_api_port, hub.hub_port):
        assert port_is_free(port), f"port {port} is still in use"
    with pytest.raises(requests.ConnectionError):
        requests.get(hub.url, timeout=5)


# --- make hub's own command ---------------------------------------------------------------------


def test_make_hubs_launcher_restarts_the_hub_on_hangup_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    """`python -m csto_course.hub.launch`, which `make hub` runs: kill -HUP restarts the hub, Ctrl-C stops all."""
    if not PROXY.exists():
        _unavailable("configurable-http-proxy is not installed in hub/node_modules (make test installs it with npm)")
    ports = {"CSTO_HUB_PROXY_API_PORT": str(free_port()), "CSTO_HUB_HUB_PORT": str(free_port())}
    port = free_port()
    command = [sys.executable, "-u", "-m", "csto_course.hub.launch", "--port", str(port), "--state", str(tmp_path)]
    launcher = subprocess.Popen(command, env={**os.environ, **ports}, stdout=subprocess.PIPE, text=True)
    try:
        assert launcher.stdout is not None
        assert "The class hub is at" in launcher.stdout.readline()
        launcher.stdout.readline()  # how to stop and restart it
        assert (tmp_path / "launcher.pid").read_text() == str(launcher.pid)
        first = requests.get(f"http://127.0.0.1:{port}/hub/api/", timeout=10).json()
        launcher.send_signal(signal.SIGHUP)
        assert "Hub restarted" in launcher.stdout.readline()
        assert requests.get(f"http://127.0.0.1:{port}/hub/api/", timeout=10).json() == first
        launcher.send_signal(signal.SIGINT)
        assert "Stopping" in launcher.stdout.readline()
        assert launcher.wait(60) == 0
    finally:
        if launcher.poll() is None:
            launcher.kill()
    for used in (port, *map(int, ports.values())):
        assert port_is_free(used), f"port {used} is still in use"
