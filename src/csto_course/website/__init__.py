"""What builds and serves the website, never a student: the Sphinx extension and the pages it
writes from the data, the renderer that draws the lessons' charts on the page, the status
page's benchmark report, and the local server the tests, ``make pdf``, ``make shots`` and the
benchmarks share.

None of it ships in the student's wheel (``pyproject.toml`` leaves this package out).
"""
