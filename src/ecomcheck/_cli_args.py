"""Argument types shared by the command lines (``check``, ``scan``, the Spark job)."""

from __future__ import annotations

import argparse
import datetime as dt


def iso_date(s: str) -> dt.date:
    """An ``--as-of`` value: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(s)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {s!r}") from exc


def split_ids(values: list[str]) -> tuple[str, ...]:
    """Rule ids or prefixes from repeated, comma-separated ``--select``/``--ignore``."""
    return tuple(x.strip() for v in values for x in v.split(",") if x.strip())
