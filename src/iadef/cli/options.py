"""The one checker of numeric and URL options: every command declares its options with these types.

A number must be finite and within its range, and a URL must be http(s); anything else
is refused by argparse with the option's name, what is wrong and what to give, and exit
code 2, before a command does anything. ``nan``, ``inf`` and ``1e300`` are not numbers a
time limit can hold, and a negative one is not "no limit".
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from iadef.errors import IadefError
from iadef.urls import check_http_url, check_origin

DAY = 86_400.0
"""The longest time limit an option accepts, in seconds."""


def number(low: float, high: float, *, what: str = "a number", zero: str | None = None) -> Callable[[str], float]:
    """An argparse type: a finite float within ``[low, high]`` (``zero`` says what 0 means)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            meaning = f" (0: {zero})" if zero else ""
            raise argparse.ArgumentTypeError(f"{text!r} is not {what} from {low:g} to {high:g}{meaning}")
        return value

    return parse


def seconds(*, low: float = 0.0, zero: str | None = "no limit") -> Callable[[str], float]:
    """A time limit in seconds: finite, from ``low`` to a day."""
    return number(low, DAY, what="a number of seconds", zero=zero if low == 0 else None)


def integer(low: int, high: int, *, what: str = "a whole number") -> Callable[[str], int]:
    """An argparse type: an int within ``[low, high]``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what} from {low} to {high}")
        return value

    return parse


def http_url(text: str) -> str:
    """An argparse type: an http(s) URL with a host (:func:`iadef.urls.check_http_url`)."""
    try:
        return check_http_url(text)
    except IadefError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def origin(text: str) -> str:
    """An argparse type: ``*`` or a web origin (:func:`iadef.urls.check_origin`)."""
    try:
        return check_origin(text)
    except IadefError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
