"""A Fading Alliance? Shared code for the CSTO data course.

Notebooks start with ``from csto_course import *``: that gives ``load``, ``cite``,
``describe``, ``datasets`` and ``check``, pandas as ``pd`` and Altair as ``alt``, and switches
on the course's chart settings.
"""

from __future__ import annotations

from .data import DataError, UnknownDatasetError, cite, datasets, describe, load
from .exercises.check import check
from .views import charts

__version__ = "0.1.0"
__all__ = ["load", "cite", "describe", "datasets", "check", "DataError", "UnknownDatasetError", "alt", "pd"]

import altair as alt  # re-exported so lessons need one import line
import pandas as pd

charts.enable()
