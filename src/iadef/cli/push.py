"""``iadef push``: load the built graph into a SPARQL 1.1 server (see :mod:`iadef.stores.push`).

The password is read from the environment (``IADEF_ENDPOINT_PASSWORD``), never from a flag,
so that it does not show in the shell history or the process list. The handler imports
rdflib and the push machinery only when it runs, so ``iadef --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os

from iadef.cli.options import http_url, seconds
from iadef.stores.setting import ENV_PASSWORD

PROVENANCE_IRI = "https://w3id.org/iadef/graph/provenance"  # namespaces.PROVENANCE_GRAPH, without importing rdflib
DEFAULT_TIMEOUT = 60.0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``push`` to the ``iadef`` command."""
    push = sub.add_parser(
        "push",
        help="load the built graph into a SPARQL 1.1 server (idempotent)",
        description=(
            "Make the server's graphs under https://w3id.org/iadef/ exactly the build: graph/iadef.nq with its "
            "named graphs, the ontology as <https://w3id.org/iadef/def/>, the default graph (provenance) as "
            "--default-graph. Unchanged graphs are not sent; graphs the build no longer has are dropped; other "
            f"graphs are left alone. The password is read from {ENV_PASSWORD}."
        ),
    )
    push.add_argument(
        "--endpoint",
        type=http_url,
        metavar="URL",
        help="the server's SPARQL endpoint, e.g. http://host:8890/sparql-auth (default: the store setting, "
        "IADEF_STORE or iadef.toml; an oxigraph:DIR store is loaded instead)",
    )
    push.add_argument(
        "--update-endpoint", type=http_url, metavar="URL", help="where updates go, when not the --endpoint URL"
    )
    push.add_argument(
        "--graph-store",
        type=http_url,
        metavar="URL",
        help="the server's SPARQL 1.1 Graph Store Protocol endpoint (Virtuoso: …/sparql-graph-crud-auth); large "
        "graphs are then sent whole with one PUT each, much faster than batched updates",
    )
    push.add_argument("--user", metavar="NAME", help=f"user for HTTP Basic or Digest authentication ({ENV_PASSWORD})")
    push.add_argument(
        "--default-graph",
        metavar="IRI",
        default=PROVENANCE_IRI,
        help=f"the graph that holds the build's default graph on the server (default {PROVENANCE_IRI})",
    )
    push.add_argument(
        "--timeout",
        type=seconds(low=0.001),
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"time limit of each request, in seconds (default {DEFAULT_TIMEOUT:g})",
    )
    push.set_defaults(handler=cmd_push)


def cmd_push(args: argparse.Namespace) -> int:
    from iadef.errors import EndpointError
    from iadef.graphset import check_graph_set
    from iadef.paths import find_project
    from iadef.stores.endpoint import Endpoint
    from iadef.stores.push import push

    project = find_project(args.root)
    check_graph_set(project.graph / "iadef.nq", project.relative(project.graph / "iadef.nq"))
    if not args.endpoint:
        from iadef.stores.setting import resolve

        spec = resolve(project)  # IADEF_STORE or iadef.toml
        if spec.kind == "oxigraph-disk":
            from iadef.stores.oxigraph_disk import open_disk_store

            assert spec.path is not None
            _, loaded = open_disk_store(project.graph / "iadef.nq", project.ontology, spec.path)
            state = "loaded" if loaded.loaded else "already up to date"
            print(f"oxigraph:{spec.path}: {state}, {loaded.quads} quads ({loaded.seconds:.2f} s)")
            return 0
        if spec.kind != "endpoint":
            raise EndpointError(
                "no SPARQL endpoint to push to",
                hint="pass --endpoint URL, e.g. --endpoint http://localhost:8890/sparql-auth --user dba "
                f"(Virtuoso), with the password in {ENV_PASSWORD}; or set the store (IADEF_STORE, iadef.toml)",
            )
        args.endpoint = spec.url
        args.update_endpoint = args.update_endpoint or spec.update_url
        args.graph_store = args.graph_store or spec.graph_store_url
        args.user = args.user or spec.user
        if spec.default_graph and args.default_graph == PROVENANCE_IRI:
            args.default_graph = spec.default_graph
    password = os.environ.get(ENV_PASSWORD)
    if args.user and password is None:
        raise EndpointError(f"--user {args.user} given but {ENV_PASSWORD} is not set", hint=f"export {ENV_PASSWORD}")
    endpoint = Endpoint(
        query_url=args.endpoint,
        update_url=args.update_endpoint,
        user=args.user,
        password=password if args.user else None,
        default_graph=args.default_graph,
        timeout=args.timeout,
        graph_store_url=args.graph_store,
    )
    report = push(endpoint, project.graph / "iadef.nq", project.ontology)
    print(f"pushed {project.relative(project.graph / 'iadef.nq')} to {args.endpoint}")
    print(f"  {report.summary()}")
    for label, graphs in (("added", report.added), ("replaced", report.replaced), ("removed", report.removed)):
        if 0 < len(graphs) <= 5:
            for graph in graphs:
                print(f"  {label}: {graph}")
    return 0
