"""What authors and instructors run, never a student: the lesson format, the student edition,
nbgrader's metadata, the answer key and the scaffold for a new lesson.

None of it ships in the student's wheel (``pyproject.toml`` leaves this package out, and
``tests/test_handout.py`` lists the wheel's files to prove it).
"""
