"""Altair, imported without jsonschema's rfc3987 grammar: about 1.5 s of every lesson's first cell.

Altair imports jsonschema, whose format checkers load the ``rfc3987_syntax`` grammar when that
package is installed (it comes with JupyterLab's event schemas, not with the course), for an
"iri" format that no course chart uses. Hiding the module while Altair loads skips that one
checker; anything imported later finds ``rfc3987_syntax`` as usual.
https://github.com/python-jsonschema/jsonschema/blob/main/jsonschema/_format.py
"""

from __future__ import annotations

import sys

_hidden = "rfc3987_syntax" not in sys.modules
if _hidden:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
try:
    import altair as alt
finally:
    if _hidden:
        del sys.modules["rfc3987_syntax"]

__all__ = ["alt"]
