"""When each node and edge of the page became known: the data of the page's date slider.

The slider replays the network through time by the rule of ``--as-of``
(:mod:`iadef.stores.asof`): an element is known from the earliest date among the sources
that state it, each source dated by its issue date or, failing that, by the latest date its
own facts give. A partial date opens on its first day (2024-04 on 2024-04-01), which is
how ``--as-of`` compares it (a month is in once it has begun). An element stated only by
sources that give no date at all has no such day: the slider's last position ("all")
shows it, as ``--include-undated`` does.

One difference with ``--as-of``: a fact whose own date is after the source's (a
signature date announced beforehand) is placed at its source's date here; edges have no
own date (their date is their agreement's, a separate fact).
"""

from __future__ import annotations

from collections.abc import Iterable

from iadef.dates import parse
from iadef.network.projection import Evidence, Projection


def since(projection: Projection, evidence: Iterable[Evidence]) -> str | None:
    """The first day (``YYYY-MM-DD``) on which one of the sources of ``evidence`` is known, or None."""
    days = []
    for item in evidence:
        date = parse(projection.source_dates.get(item["source"], ""))
        if date is not None:
            days.append(date.start())
    return min(days) if days else None


def days(values: Iterable[str | None]) -> list[str]:
    """The slider's positions: every distinct day, sorted (the page adds "all" after them)."""
    return sorted({value for value in values if value})
