"""A simulated student on the class hub: what JupyterLab and nbgitpuller's page do, over HTTP and websocket.

A student clicks a lesson's JupyterHub button (the nbgitpuller link the website shows), logs
in, waits while the hub starts their server, lets nbgitpuller pull the student branch, opens
the lesson in JupyterLab, and runs its cells one by one in a kernel. :class:`Student` does the
same requests a browser does, in the same order; :class:`Kernel` speaks the Jupyter messaging
protocol over the kernel's websocket, as JupyterLab does
(https://jupyter-client.readthedocs.io/en/stable/messaging.html). The smoke test
(tests/test_hub.py) and the load test (:mod:`.loadtest`) use them; both are blocking code,
which locust's gevent makes cooperative.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import requests
import websocket


class StudentError(RuntimeError):
    """A step a student takes failed: the message names the step and what the hub answered."""


@dataclass
class CellRun:
    """One cell run in a kernel: how long it took, whether it raised, and its outputs."""

    seconds: float
    status: str  # "ok" or "error", as the kernel's execute_reply says
    outputs: list[dict[str, Any]] = field(default_factory=list)

    def text(self) -> str:
        """Everything the cell showed as plain text (streams, results, displays, errors)."""
        parts = []
        for output in self.outputs:
            if output.get("name") in ("stdout", "stderr"):
                parts.append(output.get("text", ""))
            elif "data" in output:
                parts.append(str(output["data"].get("text/plain", "")))
            elif "ename" in output:
                parts.append(f"{output['ename']}: {output['evalue']}")
        return "\n".join(parts)


class Kernel:
    """A kernel of the student's server, reached through the hub's proxy over its websocket."""

    def __init__(self, url: str, cookies: str, kernel_id: str, timeout: float) -> None:
        self.id = kernel_id
        self.session = uuid.uuid4().hex
        self.timeout = timeout
        self.socket = websocket.create_connection(
            f"{url}/api/kernels/{kernel_id}/channels?session_id={self.session}", cookie=cookies, timeout=timeout
        )

    def _message(self, code: str) -> dict[str, Any]:
        header = {
            "msg_id": uuid.uuid4().hex,
            "username": "student",
            "session": self.session,
            "msg_type": "execute_request",
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}

    def execute(self, code: str) -> CellRun:
        """Run ``code`` as a cell; return once the kernel has replied and gone idle (as JupyterLab waits)."""
        message = self._message(code)
        msg_id = message["header"]["msg_id"]
        began = time.monotonic()
        self.socket.send(json.dumps(message))
        outputs: list[dict[str, Any]] = []
        status, idle = None, False
        while status is None or not idle:
            if time.monotonic() - began > self.timeout:
                raise StudentError(f"a cell did not finish within {self.timeout:.0f} s")
            try:
                frame = self.socket.recv()
            except websocket.WebSocketException as error:
                raise StudentError(f"the kernel's connection closed: {error}") from error
            if not isinstance(frame, str):
                continue  # a binary frame: a widget's comm message with buffers, no cell output
            reply = json.loads(frame)
            kind = reply["msg_type"]
            # The server announces a kernel that died (out of memory, say) with no parent message.
            if kind == "status" and reply["content"]["execution_state"] in ("dead", "restarting"):
                raise StudentError(f"the kernel was {reply['content']['execution_state']}")
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "execute_reply":
                status = reply["content"]["status"]
            elif kind == "status":
                idle = reply["content"]["execution_state"] == "idle"
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append(reply["content"])
        return CellRun(time.monotonic() - began, status, outputs)

    def close(self) -> None:
        self.socket.close()


class Student:
    """One student's browser: a cookie jar on the hub, and the steps they take.

    ``timeout`` bounds every step, so a broken hub fails a test instead of hanging it.
    """

    def __init__(self, hub_url: str, name: str, password: str = "", timeout: float = 120) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.name = name
        self.password = password
        self.timeout = timeout
        self.http = requests.Session()

    @property
    def server(self) -> str:
        """The address of this student's server, through the proxy."""
        return f"{self.hub_url}/user/{self.name}"

    def _get(self, url: str, **kwargs: Any) -> requests.Response:
        response = self.http.get(url, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            raise StudentError(f"GET {urlparse(url).path} answered {response.status_code}")
        return response

    def open_link(self, link: str) -> requests.Response:
        """Click a link to the hub: log in if the hub asks, wait while it starts the server; the page reached.

        The hub answers a student whose server is starting with its "spawn pending" page, which
        redirects to the link's target once the server is ready; a browser reloads it, so this
        does too, twice a second.
        """
        deadline = time.monotonic() + self.timeout
        response = self._get(link)
        if urlparse(response.url).path.endswith("/hub/login"):
            xsrf = self.http.cookies.get("_xsrf", path="/hub/") or ""
            form = {"username": self.name, "password": self.password, "_xsrf": xsrf}
            response = self.http.post(response.url, data=form, timeout=self.timeout)
            if urlparse(response.url).path.endswith("/hub/login"):
                raise StudentError(f"{self.name} could not log in (status {response.status_code})")
            if response.status_code >= 400:
                where = urlparse(response.url).path
                raise StudentError(f"after {self.name}'s login, {where} answered {response.status_code}")
        while "/hub/spawn-pending/" in response.url:
            if time.monotonic() > deadline:
                raise StudentError(f"{self.name}'s server did not start within {self.timeout:.0f} s")
            time.sleep(0.5)
            response = self._get(response.url)
        return response

    def pull(self, link: str) -> list[str]:
        """What nbgitpuller's page does next: call its API, which clones or merges; its messages.

        The API streams events (``data: {...}``) until ``finished``, or ``error`` with git's output.
        """
        query = {key: values[0] for key, values in parse_qs(urlparse(link).query).items()}
        params = urlencode([(key, query[key]) for key in ("repo", "branch") if key in query])
        messages = []
        with self.http.get(f"{self.server}/git-pull/api?{params}", stream=True, timeout=self.timeout) as response:
            for raw in response.iter_lines():
                line = raw.decode()
                if not line.startswith("data:"):
                    continue
                event = json.loads(line[len("data:") :])
                messages.append(event.get("output") or event.get("message") or event["phase"])
                if event.get("phase") == "error":
                    raise StudentError(f"nbgitpuller failed: {event.get('message')}\n{event.get('output', '')}")
                if event.get("phase") == "finished":
                    return messages
        raise StudentError("nbgitpuller's stream ended before it finished")

    def click(self, link: str) -> tuple[float, float]:
        """A lesson's JupyterHub button, end to end: the seconds to reach the server, and to pull the course."""
        began = time.monotonic()
        self.open_link(link)
        reached = time.monotonic()
        self.pull(link)
        return reached - began, time.monotonic() - reached

    def open_lab(self, path: str) -> None:
        """Load JupyterLab's page for ``path`` (the link's ``urlpath``), which also sets the server's _xsrf cookie."""
        self._get(f"{self.server}/lab/tree/{path}")

    def _api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """The server's REST API, with the _xsrf header that JupyterLab sends with each change."""
        headers = {"X-XSRFToken": self.http.cookies.get("_xsrf", path=f"/user/{self.name}/") or ""}
        url = f"{self.server}/api{path}"
        response = self.http.request(method, url, headers=headers, timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            raise StudentError(f"{method} /api{path} answered {response.status_code}: {response.text[:200]}")
        return response

    def read(self, path: str) -> dict[str, Any]:
        """A notebook from the student's home, as JupyterLab opens it."""
        return dict(self._api("GET", f"/contents/{path}", params={"content": 1}).json()["content"])

    def save(self, path: str, notebook: dict[str, Any]) -> None:
        """Save a notebook, as JupyterLab's save (or its autosave) does."""
        self._api("PUT", f"/contents/{path}", json={"type": "notebook", "format": "json", "content": notebook})

    def delete(self, path: str) -> None:
        """Delete a file from the student's home, as JupyterLab's file browser does."""
        self._api("DELETE", f"/contents/{path}")

    def kernel(self, path: str) -> Kernel:
        """Start a kernel for the notebook at ``path`` (a session, as JupyterLab makes on opening it)."""
        body = {"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook", "kernel": {"name": "python3"}}
        kernel_id = self._api("POST", "/sessions", json=body).json()["kernel"]["id"]
        cookies = "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)
        return Kernel(self.server.replace("http", "ws", 1), cookies, kernel_id, self.timeout)

    def kernels(self) -> list[dict[str, Any]]:
        """The kernels running in the student's server."""
        return list(self._api("GET", "/kernels").json())


def code_cells(notebook: dict[str, Any]) -> Iterator[tuple[int, str]]:
    """(index, source) of each code cell with code, in order, as Run All runs them."""
    for index, cell in enumerate(notebook["cells"]):
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        if cell["cell_type"] == "code" and source.strip():
            yield index, source
