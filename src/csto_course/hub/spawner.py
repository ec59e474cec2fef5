"""A local-process spawner that holds each student's server, kernels included, to ``mem_limit``.

JupyterHub's local-process spawners pass ``mem_limit`` to the server as the ``MEM_LIMIT``
variable and enforce nothing (https://jupyterhub.readthedocs.io/en/stable/reference/api/spawner.html,
``Spawner.mem_limit``: "not all spawners support"). On one machine shared by a class, one
student's runaway cell could then take the memory of everyone's. Linux's control groups
(cgroups) enforce a limit on a group of processes, as systemd, The Littlest JupyterHub's
spawner and Kubernetes do: here each server gets a group of its own, ``csto-hub/<user>`` under
the hub's own group, with the limit written to it; the server joins the group before it runs
anything, so the kernels it starts are in it too. Past the limit the kernel's out-of-memory
killer ends a process of that group only, usually the kernel that asked (the largest); the
student's server and saved files stay (tests/test_hub.py shows it).

Creating a group needs the right to write under ``/sys/fs/cgroup`` (root, or a group delegated
to the hub's user). Where the hub lacks it, the server starts without a limit and the hub's log
says so: :func:`memory_cgroup_root` returns None.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from jupyterhub.spawner import SimpleLocalProcessSpawner

CGROUP_FS = Path("/sys/fs/cgroup")
#: The folder, under the hub's own group, that holds one group per student's server.
GROUP = "csto-hub"


def memory_cgroup_root(proc_cgroup: str, fs: Path = CGROUP_FS) -> tuple[Path, str] | None:
    """The hub's own memory group and the name of its limit file, from ``/proc/self/cgroup``'s text.

    cgroup v1 has a ``memory`` hierarchy (``N:memory:/path``, limit in ``memory.limit_in_bytes``);
    cgroup v2 one unified tree (``0::/path``, limit in ``memory.max``) whose memory controller
    must be listed in ``cgroup.controllers``. None if neither is there.
    """
    lines = [line.split(":", 2) for line in proc_cgroup.splitlines() if line.count(":") >= 2]
    for _, controllers, path in lines:
        if "memory" in controllers.split(","):
            return fs / "memory" / path.lstrip("/"), "memory.limit_in_bytes"
    for _, controllers, path in lines:
        base = fs / path.lstrip("/")
        if controllers == "" and "memory" in _read(base / "cgroup.controllers").split():
            return base, "memory.max"
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def limit_group(root: Path, limit_file: str, user: str, limit: int) -> Path:
    """Create (or reuse) ``root/csto-hub/<user>`` with ``limit`` bytes; its folder. Raises OSError if not allowed.

    On cgroup v2 the memory controller must be switched on for the children of each level
    (``+memory`` in ``cgroup.subtree_control``), which the kernel refuses for a group that holds
    processes of its own; on v1 every group has it.
    """
    group = root / GROUP / user
    group.mkdir(parents=True, exist_ok=True)
    if limit_file == "memory.max":
        for level in (root, root / GROUP):
            if "memory" not in _read(level / "cgroup.subtree_control").split():
                (level / "cgroup.subtree_control").write_text("+memory")
    (group / limit_file).write_text(str(limit))
    return group


class ClassSpawner(SimpleLocalProcessSpawner):
    """Each student's server as a local process in its own home folder, held to ``mem_limit``.

    ``SimpleLocalProcessSpawner`` runs every server as the hub's own user: no system accounts
    to create, which is what a test needs and what the hub page warns about for a real class
    (hub/jupyterhub_config.py, "Who may log in").
    """

    def _group(self) -> Path | None:
        """The student's memory group, made now; None (with a warning in the hub's log) if it cannot be."""
        if not self.mem_limit:
            return None
        found = memory_cgroup_root(_read(Path("/proc/self/cgroup")))
        if found is None:
            self.log.warning("No memory cgroup here: %s's server runs without a memory limit", self.user.name)
            return None
        try:
            return limit_group(*found, self.user.name, int(self.mem_limit))
        except OSError as error:
            self.log.warning("Cannot set %s's memory limit (%s): the server runs without one", self.user.name, error)
            return None

    def make_preexec_fn(self, name: str) -> Callable[[], None]:
        """Join the student's memory group in the new process, before it runs the server."""
        prepare = super().make_preexec_fn(name)
        group = self._group()

        def preexec() -> None:
            prepare()
            if group is not None:
                (group / "cgroup.procs").write_text(str(os.getpid()))

        return preexec

    async def stop(self, now: bool = False) -> None:
        await super().stop(now=now)
        # The emptied group is removed, so a culled or stopped server leaves nothing behind.
        found = memory_cgroup_root(_read(Path("/proc/self/cgroup")))
        if found is not None:
            with contextlib.suppress(OSError):
                (found[0] / GROUP / self.user.name).rmdir()
