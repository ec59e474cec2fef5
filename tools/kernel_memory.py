"""How much memory a student's server needs: each lesson's kernel at its peak, and an idle JupyterLab server.

For a class on a shared JupyterHub the memory each student is guaranteed, and the limit they may
not pass, should come from a measurement, not a guess. This script:

1. runs every lesson top to bottom, as "Run All" in JupyterLab does, in both editions: the
   instructor edition (notebooks/, which computes every answer) and the student edition
   (_build/student/notebooks, written with csto_course.authoring.release if absent), with nbclient and the
   ``python3`` kernel of this environment;
2. while the cells run, samples the resident set size (RSS) of the kernel process and its
   children every 20 ms with psutil, and at the end reads the kernel's own high-water mark
   (``VmHWM`` in /proc/<pid>/status, Linux), which catches a peak between two samples;
3. starts a JupyterLab server (``jupyter lab --no-browser`` on 127.0.0.1) with no kernel, waits
   until it answers, and samples its RSS for a few seconds: the part of a student's server that
   is not a kernel;
4. writes everything, with the machine and the versions it ran on, to bench/kernel-memory.json.

Each lesson runs ``--repeat`` times (default 2) in a fresh kernel; the peak reported is the
highest. RSS counts the shared libraries each process maps, so it overstates what two kernels
cost together a little; a container's memory accounting (cgroups) also counts the page cache.
book/hub.md turns the figures into a recommendation.

Usage, from the repository root::

    python tools/kernel_memory.py            # both editions, writes bench/kernel-memory.json
    python tools/kernel_memory.py --repeat 1
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from importlib import metadata
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "kernel-memory.json"
STUDENT = ROOT / "_build" / "student"
MIB = 1024 * 1024
INTERVAL = 0.02


class PeakSampler:
    """Samples the RSS of a process and its children in a thread; ``peak`` is the highest sum seen."""

    def __init__(self, pid: int, interval: float = INTERVAL) -> None:
        self.process = psutil.Process(pid)
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> int:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):  # a child that ended between listing and reading
                total += proc.memory_info().rss
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.rss())
                self.samples += 1
            except psutil.Error:
                return
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def high_water_mark(pid: int) -> int | None:
    """The kernel's peak RSS since it started (Linux ``VmHWM``), in bytes; None elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def run_lesson(path: Path) -> dict:
    """Run one notebook in a fresh kernel; its kernel's memory and time."""
    nb = nbformat.read(path, as_version=4)
    # Errors are recorded, not raised: a student-edition exercise left as `...` must not stop the run.
    client = NotebookClient(
        nb, kernel_name="python3", timeout=300, allow_errors=True, resources={"metadata": {"path": str(path.parent)}}
    )
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.pid  # type: ignore[union-attr]
        sampler = PeakSampler(pid)
        started_rss = sampler.rss()
        with sampler:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
        final_rss = sampler.rss()
        hwm = high_water_mark(pid)
    seconds = time.perf_counter() - start
    errors = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error")
    peak = max(sampler.peak, final_rss, hwm or 0)
    return {
        "kernel_start_rss_mib": round(started_rss / MIB, 1),
        "sampled_peak_rss_mib": round(sampler.peak / MIB, 1),
        "vm_hwm_mib": round(hwm / MIB, 1) if hwm else None,
        "peak_rss_mib": round(peak / MIB, 1),
        "end_rss_mib": round(final_rss / MIB, 1),
        "samples": sampler.samples,
        "seconds": round(seconds, 1),
        "cells": len(nb.cells),
        "error_outputs": errors,
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def idle_server(seconds: float = 5.0) -> dict:
    """RSS of a JupyterLab server started on 127.0.0.1 with no kernel, sampled once it answers."""
    port = _free_port()
    token = os.urandom(12).hex()
    exe = Path(sys.executable).parent / "jupyter"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "JUPYTER_TOKEN": token, "JUPYTER_RUNTIME_DIR": home}
        command = [
            str(exe),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        ]
        if hasattr(os, "getuid") and os.getuid() == 0:
            command.append("--allow-root")
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/api/status?token={token}"
                    with urllib.request.urlopen(url, timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("the JupyterLab server did not start") from None
                    time.sleep(0.2)
            # Load the JupyterLab page once, as a browser opening the hub would.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}", timeout=10):
                pass
            with PeakSampler(server.pid) as sampler:
                time.sleep(seconds)
            return {"peak_rss_mib": round(sampler.peak / MIB, 1), "sampled_seconds": seconds}
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def student_notebooks() -> Path:
    folder = STUDENT / "notebooks"
    if not list(folder.glob("*.ipynb")):
        from csto_course.authoring import release

        if release.main([str(STUDENT)]) != 0:
            raise SystemExit(1)
    return folder


def machine() -> dict:
    return {
        "logical_cpus": psutil.cpu_count(logical=True),
        "memory_total_mib": round(psutil.virtual_memory().total / MIB),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "versions": {
            name: metadata.version(name)
            for name in ("ipykernel", "jupyterlab", "jupyter_server", "nbclient", "pandas", "altair", "psutil")
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs of each lesson, each in a fresh kernel (default 2)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write the results (default {OUT})")
    args = parser.parse_args(argv)

    editions = {"student": student_notebooks(), "instructor": ROOT / "notebooks"}
    results: dict[str, dict] = {}
    print(f"{'lesson':28} {'edition':10} {'start':>8} {'peak':>8} {'time':>7}")
    for path in sorted(editions["instructor"].glob("*.ipynb")):
        results[path.stem] = {}
        for edition, folder in editions.items():
            runs = [run_lesson(folder / path.name) for _ in range(max(1, args.repeat))]
            best = max(runs, key=lambda r: r["peak_rss_mib"])
            results[path.stem][edition] = {**best, "peak_rss_mib_each_run": [r["peak_rss_mib"] for r in runs]}
            print(
                f"{path.stem:28} {edition:10} {best['kernel_start_rss_mib']:>6.0f} MiB "
                f"{best['peak_rss_mib']:>6.0f} MiB {best['seconds']:>5.1f} s"
            )
    server = idle_server()
    print(f"JupyterLab server, no kernel: {server['peak_rss_mib']:.0f} MiB")
    report = {
        "what": "peak resident set size (RSS) of the kernel running each lesson top to bottom, by edition",
        "how": (
            "tools/kernel_memory.py: nbclient runs every cell in a fresh python3 kernel; psutil samples the RSS of "
            f"the kernel and its children every {INTERVAL * 1000:.0f} ms; peak_rss_mib is the highest of the samples "
            "and the kernel's VmHWM; the highest of the runs is kept"
        ),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "repeat": max(1, args.repeat),
        "lessons": results,
        "jupyterlab_server_idle": server,
        "max_kernel_peak_rss_mib": max(e["peak_rss_mib"] for lesson in results.values() for e in lesson.values()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
