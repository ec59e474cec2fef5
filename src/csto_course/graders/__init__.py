"""Each lesson's graders, in a module of its own: adding a lesson adds one file here.

A module writes each exercise as a :class:`csto_course.grading.Spec` (read, expected, compare,
likely mistakes with their hints) and reads the data only through :mod:`csto_course.measures`.

Importing this package registers every exercise with :mod:`csto_course.grading`; the ids
follow the labels in the lessons (Exercise 1.3 is ``origins-3``).
"""

from . import capstone, decline, futures, getting_started, inaction, origins, ukraine  # noqa: F401  (importing registers the exercises)

#: Lesson notebook stem -> the id prefix of its exercises, in course order.
LESSONS = {
    "00_getting_started": "getting-started",
    "01_origins": "origins",
    "02_legacy_of_inaction": "inaction",
    "03_ukraine_and_division": "ukraine",
    "04_crisis_to_decline": "decline",
    "05_futures": "futures",
    "06_capstone": "capstone",
}
