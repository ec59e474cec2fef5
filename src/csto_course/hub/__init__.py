"""The class hub on one machine (``hub/jupyterhub_config.py``, ``make hub``, book/hub.md).

- :mod:`.spawner`: the spawner that holds each student's server to a memory limit, since
  JupyterHub's local-process spawners record ``mem_limit`` but do not enforce it;
- :mod:`.launch`: starts the proxy and the hub as separate processes, so the hub can restart
  while students' servers and their connections keep running; ``make hub`` runs it;
- :mod:`.student`: a simulated student, driving the hub over HTTP and the kernel's websocket
  as JupyterLab does (the smoke test in tests/test_hub.py and ``make loadtest`` use it);
- :mod:`.loadtest`: ``make loadtest``, locust stepping the class size up until it breaks.

None of it is in the student's package (``csto_course.authoring.release.STUDENT_MODULES``) or the
course's wheel: it runs the hub, which a student never installs.
"""
