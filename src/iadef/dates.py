"""Dates at the precision a source gives them, and how they compare with a day.

The graph keeps dates as their sources write them: a day (``2024-04-04``), a month
(``2024-04``), a year (``2024``), an EDTF season (``2025-23``, autumn 2025) or a day of an
unknown year (``--11-19``). :func:`parse` reads any of them into a :class:`PartialDate`;
a day of an unknown year gives None, since it cannot be placed in time.

**Comparing at the precision given.** A partial date is a period; it is *not after* a day
D when the period has begun by D at that precision: D is cut to the date's precision and
compared. So a fact dated 2024-04 is in on 2024-04-30 and on 2024-04-15 (April 2024 has
begun: the source does not say which day, and iadef does not exclude what it cannot place
after D), and out on 2024-03-31. A season begins with its first month (spring March,
summer June, autumn September, winter December).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from iadef.errors import IadefError

_FORMS = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SEASON_START = {"21": 3, "22": 6, "23": 9, "24": 12}


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a month or a day: ``parts`` holds 1, 2 or 3 numbers; ``text`` is the form read."""

    parts: tuple[int, ...]
    text: str

    @property
    def precision(self) -> int:
        """1 for a year, 2 for a month, 3 for a day."""
        return len(self.parts)

    def not_after(self, day: dt.date) -> bool:
        """True if this period has begun by ``day``, compared at this date's precision."""
        return self.parts <= (day.year, day.month, day.day)[: self.precision]

    def start(self) -> str:
        """The first day of the period, ``YYYY-MM-DD``."""
        year, month, day = (*self.parts, 1, 1)[:3]
        return f"{year:04d}-{month:02d}-{day:02d}"

    def key(self) -> tuple[int, int, int]:
        """A sort key: the first day of the period."""
        year, month, day = (*self.parts, 1, 1)[:3]
        return (year, month, day)


def parse(text: str) -> PartialDate | None:
    """A date of the graph at its precision; None for a day of an unknown year or any other form."""
    text = text.strip()
    season = re.fullmatch(r"(\d{4})-(2[1-4])", text)
    if season:
        return PartialDate((int(season.group(1)), _SEASON_START[season.group(2)]), text)
    match = _FORMS.match(text)
    if not match:
        return None
    parts = tuple(int(p) for p in match.groups() if p is not None)
    try:
        dt.date(*(*parts, 1, 1)[:3])
    except ValueError:
        return None
    return PartialDate(parts, text)


def parse_day(text: str, option: str = "--as-of") -> dt.date:
    """The day an option names (``YYYY-MM-DD``); an error says what to write otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise IadefError(
            f"{option}: {text!r} is not a day",
            hint=f"write it as YYYY-MM-DD, e.g. {option} 2024-04-05",
        ) from None


def latest(dates: list[PartialDate]) -> PartialDate | None:
    """The date whose period begins last (ties: the most precise)."""
    return max(dates, key=lambda d: (d.key(), d.precision)) if dates else None
