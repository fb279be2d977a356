"""Sub-command ``export`` (registered by :mod:`iadef.cli.main`): the network or the dataset as files.

The library (:mod:`iadef.network.exports`) makes the bytes; this module reads the options,
opens the store and writes the files atomically, or a single file to standard output.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from iadef.cli.network import LANGS
from iadef.cli.store import add_as_of_options, add_store_options
from iadef.errors import IadefError

FORMATS = ("gexf", "graphml", "csv", "jsonld", "cypher")


def register(sub: Any) -> None:
    """Add ``export`` to the ``iadef`` sub-command parser."""
    export = sub.add_parser(
        "export", help="write the network (GEXF, GraphML, CSV, Cypher) or the dataset (JSON-LD) for other tools"
    )
    export.add_argument("--format", choices=FORMATS, required=True, help="file format")
    export.add_argument(
        "--out", metavar="PATH", help="file to write (default: standard output); for csv, a folder (required)"
    )
    export.add_argument("--lang", choices=LANGS, default="fr", help="language of the label column (default: fr)")
    export.add_argument("--focus", metavar="NAME", help="only the ego network of this actor (name, alias or acronym)")
    export.add_argument("--depth", type=int, default=1, metavar="N", help="hops around --focus (default: 1)")
    export.add_argument(
        "--type", action="append", default=[], metavar="CLASS", help="keep nodes of this class (repeatable)"
    )
    export.add_argument("--bom", action="store_true", help="csv: start each file with a UTF-8 BOM (for Excel)")
    add_store_options(export)
    add_as_of_options(export)
    export.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from iadef.output import write_all

    if args.format == "csv" and not args.out:
        raise IadefError("--format csv writes nodes.csv and edges.csv", hint="give the folder: --out DIR")
    files, project = (_dataset if args.format == "jsonld" else _network)(args)
    if not args.out:
        (content,) = files.values()
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return 0
    out = Path(args.out)
    if args.format == "csv":
        if out.exists() and not out.is_dir():
            raise IadefError(f"--out {args.out}: not a folder", hint="csv writes two files: give a folder")
        targets = {out / name: content for name, content in files.items()}
    else:
        if out.is_dir():
            raise IadefError(f"--out {args.out}: is a folder", hint=f"give a file name, e.g. {out / next(iter(files))}")
        targets = {out: next(iter(files.values()))}
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.format == "csv":
        out.mkdir(exist_ok=True)
    changed = write_all(targets)
    for path in sorted(targets):
        state = "written" if path in changed else "unchanged"
        print(f"{project.relative(path)}  ({state}, {len(targets[path]):,} bytes)")
    return 0


def _network(args: argparse.Namespace) -> tuple[dict[str, bytes], Any]:
    from iadef.cli.network import load
    from iadef.network.exports import network_files
    from iadef.network.page import select

    neighbourhood = bool(args.focus) and not args.type
    loaded = load(args, focus=args.focus if neighbourhood else None, depth=args.depth)
    focus = loaded.node(args.focus, "focus") if args.focus else None
    keys = select(loaded.projection, focus=focus, depth=args.depth, types=loaded.classes(args.type))
    view = "whole network" if not (focus or args.type) else "view:"
    if focus:
        view += f" {args.depth} hop(s) around {focus}"
    if args.type:
        view += f" classes {', '.join(args.type)}"
    description = f"iadef network ({view}); every edge with its sources and quotes"
    return network_files(args.format, loaded.projection, keys, lang=args.lang, bom=args.bom, description=description), (
        loaded.project
    )


def _dataset(args: argparse.Namespace) -> tuple[dict[str, bytes], Any]:
    from iadef.cli.store import open_from_args
    from iadef.namespaces import ONTOLOGY_GRAPH
    from iadef.network.exports import dataset_files
    from iadef.paths import find_project

    if args.focus or args.type or args.bom:
        raise IadefError(
            "--focus, --type and --bom apply to the network formats, not to jsonld (the whole dataset)",
            hint="drop them, or use --format gexf, graphml, csv or cypher",
        )
    from iadef.stores.opening import whole_dataset
    from iadef.stores.rdflib_engine import dataset_quads

    project = find_project(args.root)
    # the terms as stored (an engine's quads() reports "x"^^xsd:string as "x", the same RDF 1.1 term)
    quads = dataset_quads(whole_dataset(open_from_args(args, project)))
    quads = (q for q in quads if q[3] != ONTOLOGY_GRAPH)  # the build only (the ontology is ontology/iadef.ttl)
    return dataset_files(quads), project
