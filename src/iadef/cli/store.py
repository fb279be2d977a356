"""The ``--store`` / ``--endpoint`` options every graph-reading command shares.

See :mod:`iadef.stores.setting` for the forms of the setting and the order in which the
command line, ``IADEF_STORE`` and ``iadef.toml`` are consulted.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from iadef.cli.options import http_url

if TYPE_CHECKING:
    from iadef.paths import Project
    from iadef.sparql.answer import Engine
    from iadef.stores.setting import StoreSpec


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--store SPEC`` and ``--endpoint URL``."""
    parser.add_argument(
        "--store",
        metavar="SPEC",
        help="where the graph is read: oxigraph (pyoxigraph in memory, default), memory (rdflib), oxigraph:DIR "
        "or a SPARQL endpoint URL "
        "(also IADEF_STORE or store = in iadef.toml)",
    )
    parser.add_argument("--endpoint", type=http_url, metavar="URL", help="a SPARQL 1.1 endpoint: short for --store URL")


def add_as_of_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--as-of DATE`` and ``--include-undated`` (:mod:`iadef.stores.asof`)."""
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        help="the graph as it stood on this day (YYYY-MM-DD): only facts whose source was issued by then "
        "and whose own date is not after it",
    )
    parser.add_argument(
        "--include-undated",
        action="store_true",
        help="with --as-of: keep sources that give no date at all (left out by default)",
    )


def store_spec(args: argparse.Namespace, project: Project) -> StoreSpec:
    """The store setting for this command."""
    from iadef.stores.setting import resolve

    return resolve(project, getattr(args, "store", None), endpoint=getattr(args, "endpoint", None))


def open_from_args(args: argparse.Namespace, project: Project, *, timeout: float | None = None) -> Engine:
    """The engine over the store this command reads."""
    from iadef.stores.opening import open_store

    return as_of(args, open_store(project, store_spec(args, project), timeout=timeout))


def as_of(args: argparse.Namespace, engine: Engine) -> Engine:
    """``engine`` itself, or with ``--as-of`` an engine over the slice of that day; the notes go to stderr."""
    from iadef.errors import IadefError

    day = getattr(args, "as_of", None)
    if day is None:
        if getattr(args, "include_undated", False):
            raise IadefError("--include-undated only applies with --as-of", hint="add --as-of YYYY-MM-DD")
        return engine
    from iadef.dates import parse_day
    from iadef.stores.asof import AsOf, at_date

    sliced_engine, sliced = at_date(engine, AsOf(parse_day(day), include_undated=args.include_undated))
    for note in sliced.notes:
        print(f"note: {note}", file=sys.stderr)
    print(
        f"note: as of {day}: {sliced.kept_facts} sourced facts kept, {sliced.dropped_facts} left out",
        file=sys.stderr,
    )
    return sliced_engine
