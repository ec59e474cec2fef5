"""Check hub/z2jh/values.yaml against the Zero to JupyterHub chart's own schema (a maintainer's step).

The chart validates the values it is given with its ``values.schema.yaml`` (JSON Schema, which
refuses unknown keys at most levels) after merging them over its default ``values.yaml``. This
script does the same, offline, with a copy of the chart's folder (``jupyterhub/`` of
https://github.com/jupyterhub/zero-to-jupyterhub-k8s, or ``helm pull jupyterhub/jupyterhub --untar``):

    python tools/check_z2jh_values.py path/to/chart/jupyterhub [hub/z2jh/values.yaml]

It prints each problem with its key path and exits 1, or says the values are valid. The chart's
files are not kept in the course (they are the chart's); book/hub.md names the chart version the
values were last checked against.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[1]
VALUES = ROOT / "hub" / "z2jh" / "values.yaml"


def merged(defaults: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` over ``defaults``, key by key, as Helm merges a values file over a chart's defaults."""
    out = dict(defaults)
    for key, value in values.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def problems(chart: Path, values_file: Path = VALUES) -> list[str]:
    """Each way ``values_file``, merged over the chart's defaults, breaks the chart's schema."""
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))
    values = yaml.safe_load(values_file.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    return [
        f"{'.'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(merged(defaults, values))
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check hub/z2jh/values.yaml against the chart's schema.")
    parser.add_argument("chart", type=Path, help="the chart's folder, with values.yaml and values.schema.yaml")
    parser.add_argument("values", type=Path, nargs="?", default=VALUES)
    args = parser.parse_args(argv)
    found = problems(args.chart, args.values)
    for problem in found:
        print(problem, file=sys.stderr)
    print(f"{args.values}: {'valid' if not found else f'{len(found)} problem(s)'} against {args.chart}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
