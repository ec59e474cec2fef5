"""``make loadtest``: how many students the class hub holds on this machine, and what runs out first.

locust (https://docs.locust.io/en/stable/use-as-lib.html) drives a class of N simulated students
against the hub of hub/jupyterhub_config.py, started on 127.0.0.1 as ``make hub`` starts it, with
the student branch written from this clone served locally. The class arrives over a minute, as
students do after "open Lesson 1", and each student (:mod:`.student`) clicks the lesson's
JupyterHub link, logs in, waits for their server, lets nbgitpuller pull the course, opens the
lesson, then runs every code cell in order with a pause to read before each, and answers one
exercise wrong, then right.

The class size steps up, 10, 20, 40, ... (doubling), each step a new class on a hub with no
server running, until the 95th percentile of the time to run a cell passes 5 s, or a request
fails. Memory is never allowed to run out: a step is made smaller, or not run, if the memory it
would take (from the step before, per student) would leave less than a fifth of the machine's
memory free; the results then say that memory is what ran out, as a projection.

Each step records the time to reach the server (login and spawn) and to run a cell (median and
95th percentile), failures, the memory of each student's server and of each kernel (peak resident
memory, sampled every 2 s), the machine's memory in use and its CPU. The results go to
bench/hub-load.json, which book/hub.md shows (:mod:`csto_course.website.hubreport`).

    python -m csto_course.hub.loadtest [--steps 10,20,40,...] [--out bench/hub-load.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gevent
import psutil
from locust import User, constant, events, task
from locust.env import Environment
from locust.exception import StopUser

from csto_course.authoring.lesson import read_lesson, solution_blocks, source_of

from .launch import ROOT, ClassHub, course_repository, free_port, lesson_link, local_student_repo
from .spawner import GROUP, memory_cgroup_root
from .student import Student, code_cells

LESSON = "notebooks/01_origins.ipynb"
EXERCISE = "origins-1"
PASSWORD = "load-test-password"
OUT = ROOT / "bench" / "hub-load.json"
#: The rule that ends the stepping: a cell's 95th-percentile time above this many seconds.
CELL_P95_LIMIT_S = 5.0
#: Leave at least this share of the machine's memory free (the stepping never exhausts it).
MEMORY_RESERVE = 0.2
MIB = 1024**2


@dataclass
class Plan:
    """One step's settings, read by every simulated student."""

    hub_url: str
    link: str
    step: int
    think: tuple[float, float]
    cells: list[tuple[int, str]]
    check_cell: int
    right_answer: str


@dataclass
class Record:
    """What the students of one step measured."""

    reach: list[float] = field(default_factory=list)
    pull: list[float] = field(default_factory=list)
    cells: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    done: int = 0


PLAN: Plan | None = None
RECORD = Record()


def _fire(name: str, seconds: float, error: Exception | None = None) -> None:
    """Tell locust's statistics (its console and CSV reports) what a student measured."""
    events.request.fire(
        request_type="hub", name=name, response_time=seconds * 1000, response_length=0, exception=error, context={}
    )


class ClassStudent(User):
    """A student of the step: the whole lesson once, then they stop."""

    wait_time = constant(0)
    _count = 0

    @task
    def lesson(self) -> None:
        assert PLAN is not None
        ClassStudent._count += 1
        student = Student(PLAN.hub_url, f"s{PLAN.step}-{ClassStudent._count}", PASSWORD, timeout=300)
        step = "login and spawn"
        try:
            began = time.monotonic()
            student.open_link(PLAN.link)
            RECORD.reach.append(time.monotonic() - began)
            _fire("login and spawn", RECORD.reach[-1])
            step = "pull"
            began = time.monotonic()
            student.pull(PLAN.link)
            RECORD.pull.append(time.monotonic() - began)
            _fire("pull", RECORD.pull[-1])
            step = "open the lesson"
            path = f"csto-course/{LESSON}"
            student.open_lab(path)
            kernel = student.kernel(path)
            for index, source in PLAN.cells:
                step = f"cell {index}"
                gevent.sleep(random.uniform(*PLAN.think))
                if index == PLAN.check_cell:
                    # The exercise's check: first a wrong answer, then the right one, as students do.
                    for answer, verdict in (("answer = 0\n", "Not yet"), (PLAN.right_answer, "Correct")):
                        run = kernel.execute(answer + source)
                        self._cell(run.seconds, run.status, index)
                        if verdict not in run.text():
                            raise RuntimeError(f"the check said {run.text()[:80]!r}, not {verdict!r}")
                        gevent.sleep(random.uniform(*PLAN.think))
                    continue
                run = kernel.execute(source)
                self._cell(run.seconds, run.status, index)
            kernel.close()
        except Exception as error:
            RECORD.failures.append(f"{student.name}, {step}: {error}")
            _fire(step, 0, error)
        finally:
            RECORD.done += 1
        raise StopUser()

    def _cell(self, seconds: float, status: str, index: int) -> None:
        RECORD.cells.append(seconds)
        _fire("cell", seconds, None if status == "ok" else RuntimeError(f"cell {index} raised"))
        if status != "ok":
            raise RuntimeError(f"cell {index} raised")


# --- Measuring the machine --------------------------------------------------------------------------


def _servers(homes: Path) -> dict[str, psutil.Process]:
    """Each running student's server process, by user name (its working folder is the student's home)."""
    found = {}
    for process in psutil.process_iter(["cmdline", "cwd"]):
        cmdline = process.info["cmdline"] or []
        cwd = process.info["cwd"] or ""
        if any(part.endswith("jupyterhub-singleuser") for part in cmdline) and cwd.startswith(str(homes)):
            found[Path(cwd).name] = process
    return found


@dataclass
class Sampler:
    """Samples memory and CPU every ``every`` seconds while a step runs (a greenlet)."""

    homes: Path
    hub: ClassHub
    every: float = 2.0
    server_peak: dict[str, float] = field(default_factory=dict)
    kernel_peak: dict[int, float] = field(default_factory=dict)
    student_peak: dict[str, float] = field(default_factory=dict)
    used: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    #: CPU seconds each student's process has used (server and kernels, by pid), and when last read.
    cpu_seconds: dict[int, float] = field(default_factory=dict)
    student_cpu_peak: dict[str, float] = field(default_factory=dict)
    last_read: float = 0.0
    group_peak: dict[str, float] = field(default_factory=dict)
    groups_total_peak: float = 0.0
    hub_peak: float = 0.0
    running: bool = True

    def _group_usage(self, name: str) -> float | None:
        """The memory the student's control group is charged (what the limit holds), in MiB; None without one."""
        if self.cgroup is None:
            return None
        root, limit_file = self.cgroup
        usage = "memory.usage_in_bytes" if limit_file == "memory.limit_in_bytes" else "memory.current"
        try:
            return int((root / GROUP / name / usage).read_text()) / MIB
        except (OSError, ValueError):
            return None

    @property
    def cgroup(self) -> tuple[Path, str] | None:
        return memory_cgroup_root(Path("/proc/self/cgroup").read_text())

    def sample(self) -> None:
        total = 0.0
        now = time.monotonic()
        interval = now - self.last_read if self.last_read else 0.0
        self.last_read = now
        for name, server in _servers(self.homes).items():
            try:
                own = server.memory_info().rss
                children = server.children(recursive=True)
                # The kernels only: nbgitpuller's git commands are children of the server too.
                kernels = {k.pid: k.memory_info().rss for k in children if "ipykernel_launcher" in k.cmdline()}
                used = {p.pid: sum(p.cpu_times()[:2]) for p in (server, *children)}
            except psutil.Error:
                continue
            # The student's CPU over the last interval, in cores (1.0 = one core busy all the time).
            if interval:
                rate = sum(seconds - self.cpu_seconds.get(pid, 0.0) for pid, seconds in used.items()) / interval
                self.student_cpu_peak[name] = max(self.student_cpu_peak.get(name, 0.0), rate)
            self.cpu_seconds.update(used)
            self.server_peak[name] = max(self.server_peak.get(name, 0), own / MIB)
            for pid, rss in kernels.items():
                self.kernel_peak[pid] = max(self.kernel_peak.get(pid, 0), rss / MIB)
            self.student_peak[name] = max(self.student_peak.get(name, 0), (own + sum(kernels.values())) / MIB)
            charged = self._group_usage(name)
            if charged is not None:
                self.group_peak[name] = max(self.group_peak.get(name, 0), charged)
                total += charged
        self.groups_total_peak = max(self.groups_total_peak, total)
        memory = psutil.virtual_memory()
        self.used.append((memory.total - memory.available) / MIB)
        self.cpu.append(psutil.cpu_percent(None))
        for process in (self.hub.hub, self.hub.proxy):
            if process is not None:
                with contextlib.suppress(psutil.Error):
                    self.hub_peak = max(self.hub_peak, psutil.Process(process.pid).memory_info().rss / MIB)

    def run(self) -> None:
        psutil.cpu_percent(None)  # the first reading starts the interval
        while self.running:
            gevent.sleep(self.every)
            self.sample()


def _p(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) of ``values``, by the inclusive method; None if there are none."""
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 3)


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


# --- The stepping -----------------------------------------------------------------------------------


def run_step(hub: ClassHub, plan: Plan, students: int, arrival_s: float, timeout_s: float) -> dict[str, Any]:
    """One class of ``students`` arriving over ``arrival_s``; its figures."""
    global PLAN, RECORD
    PLAN, RECORD = plan, Record()
    ClassStudent._count = 0
    baseline = psutil.virtual_memory()
    sampler = Sampler(hub.state / "home", hub)
    watcher = gevent.spawn(sampler.run)
    env = Environment(user_classes=[ClassStudent], events=events)
    runner = env.create_local_runner()
    began = time.monotonic()
    runner.start(students, spawn_rate=students / arrival_s)
    while RECORD.done < students and time.monotonic() - began < timeout_s:
        gevent.sleep(1)
    finished = RECORD.done
    runner.quit()
    sampler.running = False
    watcher.join()
    used_before = (baseline.total - baseline.available) / MIB
    servers = list(sampler.server_peak.values())
    kernels = list(sampler.kernel_peak.values())
    per_student = list(sampler.student_peak.values())
    failures = RECORD.failures + [f"{students - finished} students had not finished after {timeout_s:.0f} s"] * (
        finished < students
    )
    return {
        "students": students,
        "wall_s": round(time.monotonic() - began, 1),
        "reach_p50_s": _p(RECORD.reach, 50),
        "reach_p95_s": _p(RECORD.reach, 95),
        "pull_p50_s": _p(RECORD.pull, 50),
        "pull_p95_s": _p(RECORD.pull, 95),
        "cells_run": len(RECORD.cells),
        "cell_p50_s": _p(RECORD.cells, 50),
        "cell_p95_s": _p(RECORD.cells, 95),
        "cell_max_s": round(max(RECORD.cells), 3) if RECORD.cells else None,
        "failures": len(failures),
        "failure_examples": failures[:5],
        "server_rss_mib_median": _median(servers),
        "server_rss_mib_max": round(max(servers), 1) if servers else None,
        "kernel_rss_mib_median": _median(kernels),
        "kernel_rss_mib_max": round(max(kernels), 1) if kernels else None,
        "student_rss_mib_max": round(max(per_student), 1) if per_student else None,
        "student_group_mib_median": _median(list(sampler.group_peak.values())),
        "student_group_mib_max": round(max(sampler.group_peak.values()), 1) if sampler.group_peak else None,
        "students_total_mib_peak": round(sampler.groups_total_peak),
        "hub_and_proxy_rss_mib_max": round(sampler.hub_peak, 1),
        "memory_used_before_mib": round(used_before),
        "memory_used_peak_mib": round(max(sampler.used, default=used_before)),
        "memory_per_student_mib": round((max(sampler.used, default=used_before) - used_before) / students, 1),
        # The students' processes' CPU: seconds used in all, per student per second of the step
        # (in cores), and the busiest student's busiest 2 s; the machine's CPU, which other
        # programs and the load generator share, is beside it.
        "students_cpu_s": round(sum(sampler.cpu_seconds.values()), 1),
        "cpu_cores_per_student_mean": round(
            sum(sampler.cpu_seconds.values()) / (time.monotonic() - began) / students, 4
        ),
        "cpu_cores_per_student_peak": round(max(sampler.student_cpu_peak.values(), default=0.0), 2),
        "cpu_percent_mean": round(statistics.fmean(sampler.cpu), 1) if sampler.cpu else None,
        "cpu_percent_max": round(max(sampler.cpu), 1) if sampler.cpu else None,
        "load_average_1min_after": round(os.getloadavg()[0], 2),
    }


def next_size(current: int, per_student_mib: float) -> tuple[int | None, str]:
    """The next class size (double the last, less if memory would not hold it); None, and why, if none fits."""
    memory = psutil.virtual_memory()
    budget = memory.available / MIB - MEMORY_RESERVE * memory.total / MIB
    wanted = current * 2
    if wanted * per_student_mib <= budget:
        return wanted, ""
    fits = int(budget // per_student_mib) if per_student_mib > 0 else wanted
    if fits >= current * 1.25:
        return fits, f"{wanted} students would need {wanted * per_student_mib / 1024:.1f} GiB; {fits} fit"
    return None, (
        f"memory: {wanted} students would need {wanted * per_student_mib / 1024:.1f} GiB "
        f"({per_student_mib:.0f} MiB each, measured at {current}), more than the "
        f"{budget / 1024:.1f} GiB free beyond a reserve of a fifth of the machine's memory"
    )


def lesson_plan(hub: ClassHub, step: int, think: tuple[float, float]) -> Plan:
    """The step's lesson: the student edition's code cells, and exercise 1.1's check and right answer."""
    lesson = read_lesson(ROOT / LESSON)
    exercise = lesson.exercise(EXERCISE)
    assert exercise and exercise.solution_cells and exercise.check_cells
    right = "".join(b.body for b in solution_blocks(source_of(lesson.cells[exercise.solution_cells[0]])))
    repo = Path(hub.settings["CSTO_HUB_STUDENT_REPO"])
    student_edition = json.loads((repo / LESSON).read_text(encoding="utf-8"))
    link = lesson_link(hub.url, LESSON)
    return Plan(hub.url, link, step, think, list(code_cells(student_edition)), exercise.check_cells[0], right)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Step a simulated class up until the hub breaks (make loadtest).")
    parser.add_argument("--steps", help="class sizes to try, e.g. 10,20 (default: 10, doubling until it breaks)")
    parser.add_argument("--think", default="2,8", help="seconds a student reads before each cell: min,max")
    parser.add_argument("--arrival", type=float, default=60, help="seconds over which a class arrives")
    parser.add_argument("--max-students", type=int, default=320)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    # Stopped with SIGTERM (or Ctrl-C), it still stops every server it started, then the hub.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    low, high = (float(x) for x in args.think.split(","))
    fixed = [int(n) for n in args.steps.split(",")] if args.steps else None
    folder = Path(tempfile.mkdtemp(prefix="csto-loadtest-"))
    repo = local_student_repo(folder / "remote", course_repository()[1])
    settings = {"CSTO_HUB_STUDENT_REPO": str(repo), "CSTO_HUB_PASSWORD": PASSWORD}
    memory = psutil.virtual_memory()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "machine": {
            "cores": psutil.cpu_count(),
            "memory_gib": round(memory.total / 1024**3, 1),
            "processor": _processor(),
            "system": f"{platform.system()} {platform.release()}",
            "load_average_1min_before": round(os.getloadavg()[0], 2),
        },
        "settings": {
            "lesson": LESSON,
            "think_s": [low, high],
            "arrival_s": args.arrival,
            "cell_p95_limit_s": CELL_P95_LIMIT_S,
            "memory_limit": os.environ.get("CSTO_HUB_MEM_LIMIT", "1G"),
        },
        "steps": [],
    }
    stopped = "the largest class size asked for ran"
    try:
        hub = ClassHub(folder / "state", port=free_port(), proxy_api_port=free_port(), hub_port=free_port())
        hub.settings.update(settings)
        with hub:
            size: int | None = fixed[0] if fixed else 10
            index = 0
            while size is not None:
                plan = lesson_plan(hub, index, (low, high))
                cells = len(plan.cells) + 1
                timeout = args.arrival + 300 + cells * (high + 60)
                print(f"Step {index + 1}: {size} students ...", flush=True)
                step = run_step(hub, plan, size, args.arrival, timeout)
                results["steps"].append(step)
                print(json.dumps(step), flush=True)
                hub.stop_servers(timeout=120)  # the next step starts from an empty hub
                _write(args.out, results, stopped)
                if step["failures"]:
                    stopped = f"{step['failures']} failed request(s) at {size} students"
                    break
                if (step["cell_p95_s"] or 0) > CELL_P95_LIMIT_S:
                    stopped = f"cells' 95th percentile {step['cell_p95_s']} s > {CELL_P95_LIMIT_S} s at {size} students"
                    break
                index += 1
                if fixed:
                    size = fixed[index] if index < len(fixed) else None
                    continue
                # Per student: their control groups' total at its peak (what they hold), else the
                # machine's memory in use (which other programs on the machine move too).
                per_student = (step["students_total_mib_peak"] / size) or step["memory_per_student_mib"]
                size, why = next_size(size, per_student * 1.1)
                if size is None:
                    stopped = why
                elif size > args.max_students:
                    size, stopped = None, f"the next step ({size}) is above --max-students {args.max_students}"
                elif why:
                    results.setdefault("notes", []).append(why)
                time.sleep(10)  # let the machine settle between classes
    finally:
        _write(args.out, results, stopped)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Stopped: {stopped}. Results in {args.out}")
    return 0


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _write(out: Path, results: dict[str, Any], stopped: str) -> None:
    passing = [
        s["students"] for s in results["steps"] if not s["failures"] and (s["cell_p95_s"] or 0) <= CELL_P95_LIMIT_S
    ]
    results["supported"] = max(passing, default=0)
    results["stopped"] = stopped
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
