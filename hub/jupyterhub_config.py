# The course's JupyterHub for a class on one machine: `make hub` starts it (with the proxy, see
# src/csto_course/hub/launch.py), tests/test_hub.py starts it for the smoke test, `make
# loadtest` measures it, and book/hub.md says what it holds. Every setting below is read from an
# environment variable that the launcher sets (CSTO_HUB_*), so the tests, the load test and a
# class run this one file. JupyterHub's settings: https://jupyterhub.readthedocs.io/en/stable/reference/api/app.html
# The `c` object is JupyterHub's configuration, which JupyterHub passes to this file.
# ruff: noqa: F821

import os
import secrets
import sys
from pathlib import Path

# The course's clone (this file is hub/jupyterhub_config.py in it), for the JupyterLab settings.
COURSE = Path(__file__).resolve().parents[1]
# Everything the hub writes (its database, cookie secret, the students' home folders) goes in one
# folder, so a test can throw it away and a class's hub can be backed up by copying it.
STATE = Path(os.environ.get("CSTO_HUB_STATE", COURSE / "_build" / "hub")).resolve()
STATE.mkdir(parents=True, exist_ok=True)


def env_int(name: str, default: int) -> int:
    """An integer setting from the environment, so that tests can shorten the culler's times."""
    return int(os.environ.get(name, default))


# --- Network ------------------------------------------------------------------------------------
# The proxy (configurable-http-proxy) is a process of its own, started by the launcher before the
# hub, not by the hub: then restarting the hub (a change of settings, a crash) leaves the proxy and
# every student's open lesson running. That is how Zero to JupyterHub runs it too.
# https://jupyterhub.readthedocs.io/en/stable/howto/separate-proxy.html
c.ConfigurableHTTPProxy.should_start = False
# Where the hub reaches the proxy's REST API to add and remove the route to each student's server.
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env_int('CSTO_HUB_PROXY_API_PORT', 8001)}"
# The secret the hub and the proxy share; the launcher makes one and gives it to both.
c.ConfigurableHTTPProxy.auth_token = os.environ["CONFIGPROXY_AUTH_TOKEN"]
# The address students open: 127.0.0.1 (this machine only) unless the launcher is told otherwise.
# For a class, put it behind HTTPS (a reverse proxy such as nginx or Caddy, or bind_url with
# ssl_cert and ssl_key): logins and notebooks must not cross a network in clear text.
c.JupyterHub.bind_url = f"http://{os.environ.get('CSTO_HUB_IP', '127.0.0.1')}:{env_int('CSTO_HUB_PORT', 8000)}"
# The hub's own port, which only the proxy and the students' servers use.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env_int('CSTO_HUB_HUB_PORT', 8081)}"

# --- State ---------------------------------------------------------------------------------------
# SQLite is enough for one machine; the file lives in the state folder.
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
# The key that signs login cookies, kept across restarts so students stay logged in.
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# A restarted hub finds the students' servers still running (it stored each server's process id
# in its database) and carries on with them: stopping the hub stops neither them nor the proxy.
c.JupyterHub.cleanup_servers = False
c.JupyterHub.cleanup_proxy = False

# --- Who may log in ------------------------------------------------------------------------------
# CSTO_HUB_AUTH picks the authenticator:
# - "dummy" (the tests, and trying the hub on your own computer): any name, with the password
#   CSTO_HUB_PASSWORD if one is set. Never for a class.
# - "shared-password" (a workshop or a short class): JupyterHub's own SharedPasswordAuthenticator.
#   Each student picks a user name and logs in with the one password you give the class
#   (CSTO_HUB_PASSWORD, 8 characters or more); anyone with it can log in as any student, so use
#   it only where that does not matter. https://jupyterhub.readthedocs.io/en/stable/reference/api/authenticators.html
# For a class that lasts a term, log students in with your institution's accounts: install
# `oauthenticator` and set, for example, c.JupyterHub.authenticator_class = "generic-oauth" with
# your identity provider's addresses (https://oauthenticator.readthedocs.io/en/latest/), or use
# NativeAuthenticator, with which students sign up and you approve them
# (https://native-authenticator.readthedocs.io/). Those are not installed or tested here.
AUTH = os.environ.get("CSTO_HUB_AUTH", "dummy")
PASSWORD = os.environ.get("CSTO_HUB_PASSWORD", "")
if AUTH == "shared-password":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = PASSWORD
    # Anyone with the password may choose a user name: a class has no list of names in advance.
    c.SharedPasswordAuthenticator.allow_all = True
elif AUTH == "dummy":
    c.JupyterHub.authenticator_class = "dummy"
    # Any user name may log in (the tests make up their students' names).
    c.DummyAuthenticator.allow_all = True
    # A password, if set, keeps strangers out of a test hub that listens beyond this machine.
    c.DummyAuthenticator.password = PASSWORD
else:
    sys.exit(f"CSTO_HUB_AUTH={AUTH!r}: use 'dummy' (tests) or 'shared-password' (a class)")

# --- Each student's server -----------------------------------------------------------------------
# A local process per student, in a home folder of its own under the state folder, held to the
# memory limit below by a Linux control group (csto_course.hub.spawner explains why and how).
# It runs as the hub's own user, like JupyterHub's SimpleLocalProcessSpawner it is built on: so
# students can read each other's files. Where that matters, run one system account per student
# (JupyterHub's LocalProcessSpawner with a PAM or OAuth login, or The Littlest JupyterHub,
# https://tljh.jupyter.org/), or Zero to JupyterHub (book/hub.md); not tested here.
c.JupyterHub.spawner_class = "csto_course.hub.spawner.ClassSpawner"
c.ClassSpawner.home_dir_template = str(STATE / "home" / "{username}")
# The single-user server of the environment the hub runs in: the course's own (`make env`), where
# the course package, JupyterLab and nbgitpuller are installed.
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
# JupyterLab, the interface the lessons are written for, is what a student sees after logging in.
c.Spawner.default_url = "/lab"
c.Spawner.args = [
    # The course's JupyterLab settings (lab/settings: no news pop-up), as `make lab` installs them.
    f"--LabApp.app_settings_dir={COURSE / 'lab' / 'settings'}",
    # Students cannot install JupyterLab extensions: every server shares the hub's environment.
    "--LabApp.extension_manager=readonly",
    # Jupyter servers refuse to run as root unless told to; a container or a test machine may be root.
    *(["--allow-root"] if os.geteuid() == 0 else []),
]
# Memory per student's server, its kernels included (book/hub.md, "Sizing each student's server":
# the measured server and three of the largest lesson's kernels, plus half again). Past it, a
# kernel is stopped; the student restarts it. An empty value means no limit.
c.Spawner.mem_limit = os.environ.get("CSTO_HUB_MEM_LIMIT", "1G") or None
# A server must start within this many seconds; the load test shows how long spawning takes.
c.Spawner.start_timeout = env_int("CSTO_HUB_START_TIMEOUT", 120)
# A server must answer within this many seconds of starting.
c.Spawner.http_timeout = env_int("CSTO_HUB_HTTP_TIMEOUT", 60)
# Each server tells the hub it is in use this often (seconds), which the idle culler reads.
c.Spawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": str(env_int("CSTO_HUB_ACTIVITY_INTERVAL", 60))}
# How often the hub asks the proxy which servers were used (seconds): the culler's other source.
c.JupyterHub.last_activity_interval = env_int("CSTO_HUB_ACTIVITY_INTERVAL", 60)

# --- The course, pulled with nbgitpuller ---------------------------------------------------------
# nbgitpuller (in the course's `lab` dependencies, and so in the image) serves the link that each
# lesson's JupyterHub button opens: it clones the student branch into the student's home, or on
# later clicks merges what changed without overwriting their work
# (https://nbgitpuller.readthedocs.io/en/latest/topic/automatic-merging.html). The link names the
# course's address on GitHub. CSTO_HUB_STUDENT_REPO, if set, is a local git folder with the
# student branch that git fetches instead, with the same link (git's url.<base>.insteadOf,
# https://git-scm.com/docs/git-config#Documentation/git-config.txt-urlltbasegtinsteadOf): the tests
# and `make hub LOCAL=1` use it, so they need no network.
LOCAL_REPO = os.environ.get("CSTO_HUB_STUDENT_REPO")
if LOCAL_REPO:
    c.Spawner.environment.update(
        {
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"url.{Path(LOCAL_REPO).resolve()}.insteadOf",
            "GIT_CONFIG_VALUE_0": os.environ["CSTO_HUB_COURSE_URL"],
        }
    )

# --- Services: the idle culler, and the launcher's admin token ----------------------------------
# The idle culler stops a student's server after CSTO_HUB_CULL_TIMEOUT seconds without use (one
# hour by default), so forgotten servers give their memory back; the student's files stay, and the
# next click on a lesson link starts the server again. https://github.com/jupyterhub/jupyterhub-idle-culler
CULL_TIMEOUT = env_int("CSTO_HUB_CULL_TIMEOUT", 3600)
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            # How often it looks (seconds): a tenth of the timeout, at least once a second.
            f"--cull-every={env_int('CSTO_HUB_CULL_EVERY', max(1, CULL_TIMEOUT // 10))}",
        ],
    },
    # The launcher's token: it stops every student's server when you stop `make hub`, and the
    # tests read the hub's view of each server with it. A new token at each start, unless given.
    {"name": "course-admin", "api_token": os.environ.get("CSTO_HUB_ADMIN_TOKEN") or secrets.token_hex(32)},
]
# What each service may do, and nothing more. https://jupyterhub.readthedocs.io/en/stable/rbac/scopes.html
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
    {
        "name": "course-admin",
        "scopes": ["list:users", "read:users", "read:servers", "servers", "admin:users", "admin:server_state"],
        "services": ["course-admin"],
    },
]
