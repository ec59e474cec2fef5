"""How long each lesson takes to run top to bottom, as "Run All" in JupyterLab does (run: make bench).

For each notebook: the kernel's start-up, then every cell in order. Target (lesson issues):
each lesson runs in under 10 s on the course's reference machine (2 cores). Exits 1 if a
lesson misses it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]

TARGET_SECONDS = 10.0


def main() -> int:
    failed = False
    print(f"{'lesson':32} {'kernel start':>12} {'all cells':>10} {'total':>8}")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        with client.setup_kernel():
            ready = time.perf_counter()
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
            done = time.perf_counter()
        total = done - start
        failed |= total > TARGET_SECONDS
        flag = "  <- over target" if total > TARGET_SECONDS else ""
        print(f"{path.stem:32} {ready - start:>10.1f} s {done - ready:>8.1f} s {total:>6.1f} s{flag}")
    print(f"\nTarget: each lesson under {TARGET_SECONDS:.0f} s from kernel start to the last cell.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
