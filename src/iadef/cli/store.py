"""The ``--store`` / ``--endpoint`` options every graph-reading command shares.

See :mod:`iadef.stores.setting` for the forms of the setting and the order in which the
command line, ``IADEF_STORE`` and ``iadef.toml`` are consulted.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

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
    parser.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 endpoint: short for --store URL")


def store_spec(args: argparse.Namespace, project: Project) -> StoreSpec:
    """The store setting for this command."""
    from iadef.stores.setting import resolve

    return resolve(project, getattr(args, "store", None), endpoint=getattr(args, "endpoint", None))


def open_from_args(args: argparse.Namespace, project: Project, *, timeout: float | None = None) -> Engine:
    """The engine over the store this command reads."""
    from iadef.stores.opening import open_store

    return open_store(project, store_spec(args, project), timeout=timeout)
