"""Start the class hub: the proxy, then JupyterHub with hub/jupyterhub_config.py (``make hub``).

The proxy (configurable-http-proxy, from npm, pinned in hub/package.json) runs as a process of
its own rather than as the hub's child, so that the hub can be restarted during a class while
every student's server, and every open lesson's connection through the proxy, keeps running
(JupyterHub's "Running proxy separately from the hub"). :class:`ClassHub` owns both processes;
the tests and the load test use it as ``make hub`` does.

    python -m csto_course.hub.launch [--local] [--ip IP] [--port PORT] [--state DIR]

``--local`` serves the website's nbgitpuller links from a student branch written from this
clone (:func:`local_student_repo`) instead of GitHub, for trying the hub offline. Stop with
Ctrl-C: every student's server is stopped, then the hub and the proxy. ``kill -HUP`` the
launcher's process (its id is in ``<state>/launcher.pid``) to restart the hub alone.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import requests
import yaml

ROOT = Path(__file__).resolve().parents[3]
HUB = ROOT / "hub"
CONFIG = HUB / "jupyterhub_config.py"
PROXY = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
STATE = ROOT / "_build" / "hub"


class HubError(RuntimeError):
    """The hub or the proxy did not start, or stopped; the message says which and ends with its log."""


def course_repository(root: Path = ROOT) -> tuple[str, str]:
    """The course's address and student branch, as the website's launch links name them (_config.yml)."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]["url"], config["repository"]["branch"]


def lesson_link(hub_url: str, notebook: str, root: Path = ROOT) -> str:
    """A lesson's JupyterHub button for a hub at ``hub_url``, as `make book` writes it (tools/student_routes.py)."""
    spec = importlib.util.spec_from_file_location("student_routes", root / "tools" / "student_routes.py")
    assert spec and spec.loader
    routes = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(routes)
    return str(routes.launch_urls(routes.load_config(root), notebook, hub_url)["JupyterHub"])


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether ``port`` can be bound now: the tests check that a stopped hub released its ports."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def git(folder: Path, *args: str) -> str:
    """Run git in ``folder`` with a fixed identity (a test machine may have none); its output."""
    identity = ["-c", "user.name=Course hub", "-c", "user.email=hub@course.invalid"]
    done = subprocess.run(["git", *identity, *args], cwd=folder, check=True, capture_output=True, text=True)
    return done.stdout


def local_student_repo(folder: Path, branch: str, root: Path = ROOT) -> Path:
    """A git folder holding the student branch written from ``root``, as the Publish workflow commits it.

    ``tools/student_branch.py`` writes the branch's files (the lessons without solutions, the
    package, ``binder/``), then they are committed on ``branch``. Its name is the course
    repository's, so nbgitpuller clones it into the same folder as from GitHub.
    """
    url, _ = course_repository(root)
    repo = folder / url.rstrip("/").split("/")[-1]
    subprocess.run(
        [sys.executable, str(root / "tools" / "student_branch.py"), str(repo)], check=True, capture_output=True
    )
    git(repo, "init", "--quiet", f"--initial-branch={branch}")
    git(repo, "add", "--all")
    git(repo, "commit", "--quiet", "-m", "Student edition")
    return repo


@dataclass
class ClassHub:
    """The proxy and the hub of one class, on 127.0.0.1 unless ``ip`` says otherwise.

    ``settings`` are CSTO_HUB_* variables for hub/jupyterhub_config.py (CSTO_HUB_AUTH,
    CSTO_HUB_CULL_TIMEOUT, ...). :meth:`start` starts both and waits until the hub answers
    through the proxy; :meth:`restart_hub` restarts the hub alone; :meth:`stop` stops every
    student's server, the hub and the proxy, and waits until their ports are free.
    """

    state: Path = STATE
    ip: str = "127.0.0.1"
    port: int = 8000
    proxy_api_port: int = 8001
    hub_port: int = 8081
    settings: dict[str, str] = field(default_factory=dict)
    proxy: subprocess.Popen[bytes] | None = None
    hub: subprocess.Popen[bytes] | None = None
    #: Secrets made at the first start and kept for restarts (the proxy's, and the admin token).
    proxy_token: str = field(default_factory=lambda: secrets.token_hex(32))
    admin_token: str = field(default_factory=lambda: secrets.token_hex(32))

    @property
    def url(self) -> str:
        """The address students open (through the proxy)."""
        host = "127.0.0.1" if self.ip in ("0.0.0.0", "") else self.ip
        return f"http://{host}:{self.port}"

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The hub's environment: this process's, the ports and secrets, then the settings."""
        url, _ = course_repository()
        env = dict(os.environ)
        env.update(
            {
                "CSTO_HUB_STATE": str(self.state),
                "CSTO_HUB_IP": self.ip,
                "CSTO_HUB_PORT": str(self.port),
                "CSTO_HUB_PROXY_API_PORT": str(self.proxy_api_port),
                "CSTO_HUB_HUB_PORT": str(self.hub_port),
                "CSTO_HUB_COURSE_URL": url,
                "CONFIGPROXY_AUTH_TOKEN": self.proxy_token,
                "CSTO_HUB_ADMIN_TOKEN": self.admin_token,
            }
        )
        env.update(self.settings)
        env.update(extra or {})
        return env

    def start(self, timeout: float = 60) -> ClassHub:
        """Start the proxy, then the hub; return once the hub answers through the proxy."""
        if not PROXY.exists():
            raise HubError(f"{PROXY.relative_to(ROOT)} is missing: run `npm ci` in hub/ (make hub does)")
        self.state.mkdir(parents=True, exist_ok=True)
        log = (self.state / "proxy.log").open("ab")
        self.proxy = subprocess.Popen(
            [
                str(PROXY),
                f"--ip={self.ip}",
                f"--port={self.port}",
                "--api-ip=127.0.0.1",
                f"--api-port={self.proxy_api_port}",
                # Requests for no student's server go to the hub; while the hub restarts, to its error page.
                f"--default-target=http://127.0.0.1:{self.hub_port}",
                f"--error-target=http://127.0.0.1:{self.hub_port}/hub/error",
            ],
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.start_hub(timeout)
        return self

    def start_hub(self, timeout: float = 60, settings: Mapping[str, str] | None = None) -> None:
        """Start JupyterHub (the proxy must be running); ``settings`` change CSTO_HUB_* from now on."""
        self.settings.update(settings or {})
        log = (self.state / "jupyterhub.log").open("ab")
        self.hub = subprocess.Popen(
            [str(Path(sys.executable).with_name("jupyterhub")), "-f", str(CONFIG)],
            cwd=self.state,
            env=self.environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_up(timeout)

    def wait_until_up(self, timeout: float) -> None:
        """Wait until the hub's API answers through the proxy, or raise HubError with the logs' ends."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, process in (("proxy", self.proxy), ("hub", self.hub)):
                if process is not None and process.poll() is not None:
                    raise HubError(f"the {name} stopped with status {process.returncode}\n{self.logs()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise HubError(f"the hub did not answer at {self.url} within {timeout:.0f} s\n{self.logs()}")

    def logs(self, lines: int = 30) -> str:
        """The last lines of the hub's and the proxy's logs, to say why something failed."""
        out = []
        for name in ("jupyterhub.log", "proxy.log"):
            path = self.state / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                out.append(f"--- {name}\n" + "\n".join(tail))
        return "\n".join(out)

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """A request to the hub's REST API with the launcher's admin token."""
        headers = {"Authorization": f"token {self.admin_token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=30, **kwargs)

    def servers(self) -> dict[str, dict[str, Any]]:
        """Each user's default server as the hub sees it (ready, pending, last activity), by user name."""
        users = self.api("GET", "/users", params={"state": "active"}).json()
        items = users["items"] if isinstance(users, dict) else users
        return {user["name"]: user["servers"][""] for user in items if "" in user.get("servers", {})}

    def stop_hub(self) -> None:
        """Stop JupyterHub alone: students' servers and the proxy keep running (jupyterhub_config.py)."""
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)
            try:
                self.hub.wait(30)
            except subprocess.TimeoutExpired:
                self.hub.kill()
                self.hub.wait()
        self.hub = None

    def restart_hub(self, timeout: float = 60, settings: Mapping[str, str] | None = None) -> float:
        """Stop and start the hub, as an instructor does to change a setting; the seconds it was away."""
        began = time.monotonic()
        self.stop_hub()
        self.start_hub(timeout, settings)
        return time.monotonic() - began

    def stop_servers(self, timeout: float = 30) -> None:
        """Stop every student's server through the hub, all at once (each takes seconds to shut down)."""
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda name: self.api("DELETE", f"/users/{name}/server"), self.servers()))
        deadline = time.monotonic() + timeout
        while self.servers() and time.monotonic() < deadline:
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop every student's server (through the hub), then the hub and the proxy; wait for the ports."""
        if self.hub is not None and self.hub.poll() is None:
            with contextlib.suppress(requests.RequestException):  # a hub that is going cannot answer
                self.stop_servers()
        self.stop_hub()
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.terminate()
            self.proxy.wait(10)
        self.proxy = None
        for port in (self.port, self.proxy_api_port, self.hub_port):
            deadline = time.monotonic() + 10
            while not port_is_free(port) and time.monotonic() < deadline:
                time.sleep(0.1)

    def __enter__(self) -> ClassHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Start the class hub (make hub).")
    parser.add_argument("--ip", default=os.environ.get("CSTO_HUB_IP", "127.0.0.1"), help="the address to listen on")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CSTO_HUB_PORT", 8000)))
    parser.add_argument("--state", type=Path, default=STATE, help=f"the hub's own files (default {STATE})")
    parser.add_argument("--local", action="store_true", help="serve the lessons' links from this clone's edition")
    args = parser.parse_args(argv)
    hub = ClassHub(
        state=args.state.resolve(),
        ip=args.ip,
        port=args.port,
        proxy_api_port=int(os.environ.get("CSTO_HUB_PROXY_API_PORT", 8001)),
        hub_port=int(os.environ.get("CSTO_HUB_HUB_PORT", 8081)),
    )
    if args.local:
        remote = hub.state / "remote"
        shutil.rmtree(remote, ignore_errors=True)
        remote.mkdir(parents=True)
        repo = local_student_repo(remote, course_repository()[1])
        hub.settings["CSTO_HUB_STUDENT_REPO"] = str(repo)
    (hub.state / "launcher.pid").parent.mkdir(parents=True, exist_ok=True)
    (hub.state / "launcher.pid").write_text(str(os.getpid()))
    restart = False

    def on_hangup(signum: int, frame: FrameType | None) -> None:
        nonlocal restart
        restart = True

    def on_terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # as Ctrl-C: stop every server, then the hub and the proxy

    signal.signal(signal.SIGHUP, on_hangup)
    signal.signal(signal.SIGTERM, on_terminate)
    hub.start()
    print(f"The class hub is at {hub.url} (logs in {hub.state}).")
    print(f"Ctrl-C stops it; kill -HUP {os.getpid()} restarts the hub alone.")
    try:
        while True:
            time.sleep(0.5)
            if restart:
                restart = False
                print(f"Hub restarted in {hub.restart_hub():.1f} s; students' servers kept running.")
            elif hub.hub is not None and hub.hub.poll() is not None:
                print(f"The hub stopped with status {hub.hub.returncode}:\n{hub.logs()}", file=sys.stderr)
                return 1
    except KeyboardInterrupt:
        print("Stopping every student's server, the hub and the proxy.")
    finally:
        hub.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
