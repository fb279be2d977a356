"""``iadef serve``: the thin command over :mod:`iadef.serve.server` (imported when the command runs)."""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from iadef.cli.options import integer, origin, seconds
from iadef.cli.store import add_store_options

DESCRIPTION = """\
A local SPARQL 1.1 Protocol endpoint over the built graph, with the graph page.

  /        the interactive graph page (graph/iadef.html: run `iadef viz` first)
  /sparql  the endpoint: GET ?query=…, POST query=… (form) or POST application/sparql-query;
           in a browser (no query): a query form; with Accept: text/turtle: the service description
  /review  the review queues of `iadef ingest`; /review/SOURCE the review page of one article
           (accept, reject, edit, merge, apply): it writes seeds/review/SOURCE.yaml and, on apply,
           seeds/facts/SOURCE.yaml and seeds/entities.yaml, each write with the server's per-run
           token, from this server's own page only (Origin checked, --cors ignored)

The graph is read-only: there is no write mode. Updates (update=…, application/sparql-update) answer 403;
the graph changes through seeds/ and `iadef build` (and `iadef push` for a server).
SERVICE, FROM and LOAD are refused (403). The dataset is fixed (default graph: provenance;
one named graph per sourced fact): named-graph-uri and default-graph-uri are refused (400),
except default-graph-uri=https://w3id.org/iadef/graph/provenance, the name iadef's own client
gives the default graph (the answer is then the same as without it).

Answers follow Accept (q-values honoured):
  SELECT     application/sparql-results+json (default), application/sparql-results+xml,
             text/csv, text/tab-separated-values
  ASK        application/sparql-results+json (default), application/sparql-results+xml
  CONSTRUCT, DESCRIBE  text/turtle (default), application/n-triples, application/ld+json,
             application/rdf+xml
Errors are text/plain: 400 syntax (the parser's message), a query nested too deeply, a body
shorter than its Content-Length or a Content-Length repeated or not a number, 403 update,
SERVICE/FROM, or a Host or Origin that is not this server, 404, 405, 406 (lists the acceptable
types), 408 a body that stops arriving for 10 s, 411, 413 body over --max-body, 415, 422 answer
over --max-rows (never truncated: add LIMIT), 503 query over --timeout (its worker is killed and
replaced) or every worker busy for 30 s.

Queries run in --workers processes, each holding the store (oxigraph:DIR is loaded first,
then opened read-only by each). After `iadef build` the server reloads by itself: it looks
at graph/iadef.nq and the ontology every --reload-interval seconds (default 2; 0: never).
An in-memory store is reloaded by new workers while the old ones answer; oxigraph:DIR is
reloaded once running queries end, requests waiting meanwhile. A build that does not
parse is logged with its line, and the previous one stays served.
--store oxigraph answers far faster than the default memory (rdflib).
A SPARQL endpoint URL cannot be served. Requests whose Host is not this server (DNS
rebinding) or whose Origin is another site (unless given with --cors) are refused; no CORS
header is sent without --cors. One access-log line per request (no query text) goes to stderr.
"""


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``serve`` to the ``iadef`` command."""
    serve = sub.add_parser(
        "serve",
        help="a local read-only SPARQL endpoint and the graph page (http://127.0.0.1:8077/)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, loopback only)")
    serve.add_argument(
        "--port", type=integer(0, 65535), default=8077, help="port (default 8077; 0 picks a free one and prints it)"
    )
    serve.add_argument(
        "--workers", type=integer(1, 256), default=2, metavar="N", help="query worker processes (default 2)"
    )
    serve.add_argument(
        "--timeout", type=seconds(), default=30.0, metavar="S", help="time limit per query (default 30; 0 for none)"
    )
    serve.add_argument(
        "--max-rows",
        type=integer(1, 10**9),
        default=10_000,
        metavar="N",
        help="largest answer, in rows or triples (default 10000); a larger one is a 422 error, not cut",
    )
    serve.add_argument(
        "--max-body",
        type=integer(1, 1 << 30),
        default=1 << 20,
        metavar="BYTES",
        help="largest POST body (default 1048576)",
    )
    serve.add_argument(
        "--cors",
        type=origin,
        metavar="ORIGIN",
        help="let pages from ORIGIN (e.g. http://localhost:3000, or *) read answers",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also accept this Host name (with --host 0.0.0.0; others are refused against DNS rebinding)",
    )
    serve.add_argument(
        "--reload-interval",
        type=seconds(zero="never reload"),
        default=2.0,
        metavar="S",
        help="seconds between looks for a new build to reload (default 2; 0: never reload)",
    )
    serve.add_argument("--quiet", action="store_true", help="no access log")
    add_store_options(serve)
    serve.set_defaults(handler=cmd_serve)


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def cmd_serve(args: argparse.Namespace) -> int:
    from iadef.cli.store import store_spec
    from iadef.paths import find_project
    from iadef.serve.server import ServeConfig, open_server

    project = find_project(args.root)
    spec = store_spec(args, project)
    config = ServeConfig(
        host=args.host,
        port=args.port,
        workers=args.workers,
        timeout=args.timeout,
        max_rows=args.max_rows,
        max_body=args.max_body,
        cors=args.cors,
        allowed_hosts=tuple(args.allow_host),
        quiet=args.quiet,
        reload_interval=args.reload_interval,
    )
    server, loaded = open_server(project, spec, config)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        print(f"iadef serve: SPARQL endpoint {server.url}sparql", flush=True)
        print(f"  query form   {server.url}sparql  (in a browser)")
        print(f"  graph page   {server.url}")
        print(f"  reconcile    {server.url}reconcile  (OpenRefine: add it as a standard service)")
        print(f"  review       {server.url}review  (the queues of `iadef ingest`)")
        print(f"  store        {spec.describe()} ({loaded}), read-only, {config.workers} worker(s)")
        print(f"  limits       {config.limits()}")
        if config.reload_interval > 0:
            print(f"  reload       after each build (looks every {config.reload_interval:g} s)")
        if config.cors:
            print(f"  CORS         {config.cors}")
        print("  Ctrl-C to stop", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("iadef serve: stopped", file=sys.stderr)
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
    return 0
