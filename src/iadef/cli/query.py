"""``iadef queries``, ``iadef query NAME`` and ``iadef sparql QUERY_OR_FILE``.

The handlers import rdflib, pyoxigraph and the query modules only when they run, so
``iadef --help`` stays fast. Everything a user can get wrong (an unknown query name, a
missing or unknown parameter, a name that matches no actor or several, a syntax error,
a refused SERVICE/FROM/LOAD, a query past its time limit) is a :class:`QueryError` that
the CLI prints with a non-zero exit. A ``*-violation`` query that returns rows exits 1.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from iadef.cli.options import seconds
from iadef.cli.store import add_as_of_options, add_store_options

if TYPE_CHECKING:
    from iadef.paths import Project
    from iadef.sparql.answer import Answer, Engine

DEFAULT_TIMEOUT = 30.0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``queries``, ``query`` and ``sparql`` to the ``iadef`` command."""
    listing = sub.add_parser("queries", help="list the named SPARQL queries of queries/")
    listing.set_defaults(handler=cmd_queries)

    query = sub.add_parser(
        "query",
        help="run a named query of queries/ (see `iadef queries`)",
        description="Run a named query. Parameters are bound by the engine, or written in as escaped terms by a "
        "SPARQL lexer (pyoxigraph, servers); never pasted in by string formatting.",
    )
    query.add_argument("name", metavar="NAME", help="query name, e.g. partners")
    query.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help='a parameter, e.g. --param actor="ministere des armees" (repeatable)',
    )
    _output_options(query)
    query.set_defaults(handler=cmd_query)

    sparql = sub.add_parser(
        "sparql",
        help="run an ad-hoc SPARQL query (text, a .rq file, or - for stdin) on the built graph",
        description="SELECT and ASK print a result table; CONSTRUCT and DESCRIBE print Turtle.",
    )
    sparql.add_argument("query", metavar="QUERY_OR_FILE", help="the query text, a file holding it, or - for stdin")
    _output_options(sparql)
    sparql.set_defaults(handler=cmd_sparql)


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json", "md"),
        default="table",
        help="table (labels, default), csv or json (W3C SPARQL 1.1 results), md (Markdown)",
    )
    parser.add_argument(
        "--spreadsheet-safe",
        action="store_true",
        help="with --format csv: prefix cells starting with = + - @ by an apostrophe (no longer strict W3C CSV)",
    )
    parser.add_argument(
        "--allow-network",
        action="store_true",
        help="allow SERVICE and FROM / FROM NAMED, which reach other endpoints or files",
    )
    parser.add_argument(
        "--timeout",
        type=seconds(),
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"stop the query after S seconds (default {DEFAULT_TIMEOUT:g}; 0 for no limit)",
    )
    parser.add_argument(
        "--engine",
        choices=("rdflib", "oxigraph"),
        help="in-memory engine: rdflib (--store memory) or oxigraph (--store oxigraph); same rows, oxigraph is faster",
    )
    add_store_options(parser)
    add_as_of_options(parser)


def cmd_queries(args: argparse.Namespace) -> int:
    from iadef.paths import find_project
    from iadef.sparql.catalogue import load_catalogue

    catalogue = load_catalogue(find_project(args.root).queries)
    width = max((len(name) for name in catalogue), default=0)
    for name, query in catalogue.items():
        params = " ".join(f"--param {p.name}=…" for p in query.parameters)
        line = f"{name.ljust(width)}  {query.title}"
        print(f"{line}  [{params}]" if params else line)
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from iadef.paths import find_project
    from iadef.sparql.catalogue import bind, check_parameters, execute, find, load_catalogue, parse_param_args
    from iadef.sparql.guard import check

    project = find_project(args.root)
    query = find(load_catalogue(project.queries), args.name)
    raw = parse_param_args(args.param)
    check_parameters(query, raw)
    shown = f"queries/{query.path.name}"
    started = time.monotonic()
    checked = check(
        query.text, name=shown, allow_network=args.allow_network, timeout=args.timeout, parse=_on_rdflib(project, args)
    )
    left = _left(args.timeout, started)
    engine = _engine(project, args)
    answer = execute(checked, engine, bind(query, raw, engine), timeout=left, limit=args.timeout)
    _print(answer, args, engine)
    if query.is_check and answer.rows:
        print(f"iadef: {query.name}: {len(answer.rows)} violation(s); this check must return no rows", file=sys.stderr)
        return 1
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    from iadef.errors import QueryError
    from iadef.paths import find_project
    from iadef.sparql.catalogue import execute, read_query_file
    from iadef.sparql.guard import MAX_QUERY_CHARS, check

    text, name = args.query, None
    if text == "-":
        text = sys.stdin.read(MAX_QUERY_CHARS + 1)
    elif "\n" not in text and len(text) < 4096 and (Path(text).is_file() or Path(text).exists()):
        name = text
        text = read_query_file(Path(text), text)
    elif "\n" not in text and text.strip().endswith((".rq", ".sparql")) and " " not in text.strip():
        raise QueryError(f"query file {text} not found")
    project = find_project(args.root)
    started = time.monotonic()
    checked = check(
        text, name=name, allow_network=args.allow_network, timeout=args.timeout, parse=_on_rdflib(project, args)
    )
    left = _left(args.timeout, started)
    engine = _engine(project, args)
    _print(execute(checked, engine, timeout=left, limit=args.timeout), args, engine)
    return 0


def _left(timeout: float, started: float) -> float:
    """What is left of ``timeout`` (0: no limit) after parsing, which counts in it (loading the store does not)."""
    if timeout <= 0:
        return 0
    return max(timeout - (time.monotonic() - started), 0.001)


def _on_rdflib(project: Project, args: argparse.Namespace) -> bool:
    """Whether the query will run on rdflib, which reuses the guard's parse (other engines need none)."""
    from iadef.cli.store import store_spec

    if args.engine is not None:
        return bool(args.engine == "rdflib")
    return store_spec(args, project).kind == "memory"


def _engine(project: Project, args: argparse.Namespace) -> Engine:
    """The engine over the store setting; ``--engine`` picks one of the two in-memory stores."""
    from iadef.cli.store import as_of, open_from_args
    from iadef.errors import StoreError
    from iadef.stores.opening import open_engine

    if args.engine is None:
        return open_from_args(args, project, timeout=args.timeout)
    if args.store is not None or args.endpoint is not None:
        raise StoreError("--engine chooses an in-memory store; it cannot be combined with --store or --endpoint")
    return as_of(args, open_engine(project, args.engine))


def _print(answer: Answer, args: argparse.Namespace, engine: Engine) -> None:
    from iadef.sparql.results import labels_for, render

    labels = labels_for(engine) if args.format in ("table", "md") and answer.form == "SELECT" else None
    text = render(answer, args.format, labels=labels, spreadsheet_safe=args.spreadsheet_safe)
    sys.stdout.write(text)
    sys.stdout.flush()
