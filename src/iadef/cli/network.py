"""Sub-commands ``viz``, ``analyze`` and ``path`` (registered by :mod:`iadef.cli.main`).

networkx, pyvis and rdflib are imported inside the handlers so that ``iadef --help``
stays fast. Names typed on the command line (``--focus``, ``A`` and ``B``, query
parameters) are resolved by :mod:`iadef.sparql.lookup`, as for ``iadef query``: labels,
aliases, acronyms or keys, case and accents ignored; class names by
:func:`iadef.sparql.lookup.resolve_class`. The library functions take node keys.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iadef.cli.options import integer
from iadef.cli.store import add_as_of_options, add_store_options
from iadef.errors import IadefError

FORMATS = ("table", "json", "csv")
LANGS = ("fr", "en")


def register(sub: Any) -> None:
    """Add ``viz``, ``analyze`` and ``path`` to the ``iadef`` sub-command parser."""
    viz = sub.add_parser("viz", help="write a self-contained interactive page of the network (no network access)")
    viz.add_argument("--out", help="page to write (default: graph/iadef.html); never inside the project's data")
    viz.add_argument("--force", action="store_true", help="replace --out even if it is not a page iadef wrote")
    viz.add_argument("--lang", choices=LANGS, default="fr", help="language of labels (default: fr)")
    viz.add_argument("--focus", metavar="NAME", help="show the ego network of this actor (name, alias or acronym)")
    viz.add_argument("--depth", type=integer(1, 20), default=1, metavar="N", help="hops around --focus (default: 1)")
    viz.add_argument(
        "--type", action="append", default=[], metavar="CLASS", help="keep nodes of this class (repeatable)"
    )
    viz.add_argument("--query", metavar="NAME", help="show the entities a named query (queries/NAME.rq) returns")
    viz.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="parameter of --query")
    viz.add_argument("--size-by", choices=("degree", "pagerank"), default="degree", help="node size (default: degree)")
    add_store_options(viz)
    add_as_of_options(viz)
    viz.set_defaults(handler=cmd_viz)

    analyze = sub.add_parser("analyze", help="centrality, communities, brokers and bridges of the network")
    analyze.add_argument("--format", choices=FORMATS, default="table")
    analyze.add_argument("--lang", choices=LANGS, default="fr")
    analyze.add_argument(
        "--top", type=integer(1, 100_000), default=10, metavar="N", help="rows per ranking (default: 10)"
    )
    add_store_options(analyze)
    add_as_of_options(analyze)
    analyze.set_defaults(handler=cmd_analyze)

    path = sub.add_parser("path", help="the shortest chains of relations between two actors, with sources")
    path.add_argument("start", metavar="A", help="an actor or thing, by name, alias, acronym or key")
    path.add_argument("end", metavar="B")
    path.add_argument("--format", choices=FORMATS, default="table")
    path.add_argument("--lang", choices=LANGS, default="fr")
    path.add_argument("--longer", type=integer(0, 10), default=0, metavar="K", help="also chains up to K hops longer")
    path.add_argument("--limit", type=integer(1, 1000), default=10, metavar="N", help="at most N chains (default: 10)")
    add_store_options(path)
    add_as_of_options(path)
    path.set_defaults(handler=cmd_path)


@dataclass
class Loaded:
    """The built graph, a SPARQL engine over it (for name look-ups) and its projection."""

    project: Any  # iadef.paths.Project
    engine: Any  # iadef.sparql.answer.Engine
    projection: Any  # iadef.network.projection.Projection

    def node(self, text: str, param: str) -> str:
        """The node key ``text`` names; an entity that is not a node is refused with the reason."""
        from iadef.namespaces import ID
        from iadef.sparql.lookup import resolve_entity

        key = str(resolve_entity(self.engine, text, param=param)).removeprefix(str(ID))
        if key not in self.projection.graph:
            cls = self.projection.classes.get(key, "?")
            raise IadefError(
                f"{param}: {self.projection.name(key)} ({key}) is a {self.projection.term(cls, 'en')}, "
                "not a node of the network",
                hint="posts and mandates are edges (holds post), topics and headcounts are shown on their nodes; "
                "name an actor, a place, an agreement, a programme, a budget, a facility, a product or an event",
            )
        return key

    def classes(self, names: list[str]) -> tuple[str, ...]:
        """Ontology local names of the classes the user typed (name or label)."""
        from iadef.namespaces import IADEF
        from iadef.sparql.lookup import resolve_class

        return tuple(str(resolve_class(self.engine, name, param="type")).removeprefix(str(IADEF)) for name in names)


def load(args: argparse.Namespace, *, focus: str | None = None, depth: int = 1) -> Loaded:
    """Open the store once, for both the engine (name look-ups) and the projection.

    With ``focus``, only the neighbourhood of that entity is read (:mod:`iadef.network.focus`),
    so that a page around one actor is quick on a large store.
    """
    from iadef.cli.store import open_from_args
    from iadef.curation.ontology import Ontology
    from iadef.network.projection import project_quads
    from iadef.paths import find_project
    from iadef.stores.opening import all_quads

    project = find_project(args.root)
    engine = open_from_args(args, project)
    ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    if focus is None:
        return Loaded(project, engine, project_quads(all_quads(engine), ontology))
    from iadef.network.focus import focused_projection  # and the SPARQL binding it needs: only here
    from iadef.sparql.lookup import resolve_entity

    entity = resolve_entity(engine, focus, param="focus")
    return Loaded(project, engine, focused_projection(engine, ontology, entity, depth))


def cmd_viz(args: argparse.Namespace) -> int:
    from iadef.network.destination import check_destination
    from iadef.network.page import build_page, write_page
    from iadef.paths import find_project

    if args.out:  # before the slow part
        check_destination(find_project(args.root).root, Path(args.out), force=args.force)
    neighbourhood = bool(args.focus) and not args.type and not args.query
    loaded = load(args, focus=args.focus if neighbourhood else None, depth=args.depth)
    focus = loaded.node(args.focus, "focus") if args.focus else None
    types = loaded.classes(args.type)
    keys = query_nodes(loaded, args.query, args.param) if args.query else None
    if keys is not None and (focus or types):
        raise IadefError("--query cannot be combined with --focus or --type", hint="use one view at a time")
    title = None
    if args.query:
        title = f"{'iadef network' if args.lang == 'en' else 'Réseau iadef'} — {args.query}"
        title += "".join(f" {pair}" for pair in args.param)
    content = build_page(
        loaded.projection,
        lang=args.lang,
        size_by=args.size_by,
        focus=focus,
        depth=args.depth,
        types=types,
        keys=keys,
        title=title,
    )
    project = loaded.project
    out = Path(args.out) if args.out else project.graph / "iadef.html"
    unchanged = out.is_file() and out.read_bytes() == content
    if not unchanged:
        write_page(out, content)
    state = "unchanged" if unchanged else "written"
    print(f"{project.relative(out)}  ({state}, {len(content) / 1024:.0f} KiB, self-contained)")
    return 0


def query_nodes(loaded: Loaded, name: str, params: list[str]) -> list[str]:
    """The nodes a named query returns (any column, and its entity parameters)."""
    from rdflib import URIRef

    from iadef.namespaces import ID
    from iadef.sparql.catalogue import bind, find, load_catalogue, parse_param_args, run_named

    project = loaded.project
    query = find(load_catalogue(project.queries, project.relative(project.queries)), name)
    raw = parse_param_args(params)
    answer = run_named(query, raw, loaded.engine)
    terms = [term for row in answer.rows for term in row]
    terms += [term for triple in answer.triples for term in triple]
    terms += list(bind(query, raw, loaded.engine).values())
    found = {str(t).removeprefix(str(ID)) for t in terms if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    keys = sorted(found & set(loaded.projection.graph.nodes))
    if not keys:
        raise IadefError(f"query {query.name} returned no node of the network", hint="try another query or parameter")
    return keys


def cmd_analyze(args: argparse.Namespace) -> int:
    from iadef.network.analytics import analyze

    result = analyze(load(args).projection, args.lang, args.top)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2, sort_keys=True))
    elif args.format == "csv":
        columns = ["key", "label", "type", "degree", "betweenness", "pagerank", "community", "broker"]
        print(_csv(columns, [[row[c] for c in columns] for row in result["all"]]), end="")
    else:
        print(_analysis_table(result, args.lang))
    return 0


def _csv(columns: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


WORDS = {
    "fr": {
        "summary": "{nodes} nœuds, {edges} relations",
        "degree": "Degré (voisins distincts)",
        "betweenness": "Intermédiarité",
        "pagerank": "PageRank",
        "communities": "Communautés (Louvain)",
        "brokers": "Courtiers (points d'articulation)",
        "bridges": "Ponts (liens dont la suppression coupe le réseau)",
        "pendant": "et {n} ponts vers des feuilles",
        "chains": "{a} → {b} : {n} chaîne(s) de {hops} relation(s)",
        "chain": "Chaîne {i}",
        "none": "aucune chaîne de relations entre {a} et {b}",
        "source": "source",
    },
    "en": {
        "summary": "{nodes} nodes, {edges} relations",
        "degree": "Degree (distinct neighbours)",
        "betweenness": "Betweenness",
        "pagerank": "PageRank",
        "communities": "Communities (Louvain)",
        "brokers": "Brokers (articulation points)",
        "bridges": "Bridges (ties whose removal splits the network)",
        "pendant": "and {n} bridges to leaves",
        "chains": "{a} → {b}: {n} chain(s) of {hops} relation(s)",
        "chain": "Chain {i}",
        "none": "no chain of relations between {a} and {b}",
        "source": "source",
    },
}


def _analysis_table(result: dict[str, Any], lang: str) -> str:
    words = WORDS[lang]
    lines = [words["summary"].format(nodes=result["nodes"], edges=result["edges"])]
    for measure in ("degree", "betweenness", "pagerank"):
        lines += ["", words[measure]]
        for rank, row in enumerate(result["top"][measure], start=1):
            value = f"{row[measure]:.0f}" if measure == "degree" else f"{row[measure]:.4f}"
            lines.append(f"  {rank:3d}. {value:>8}  {row['label']} ({row['type']})")
    lines += ["", words["communities"]]
    for group in result["communities"]:
        members = ", ".join(member["label"] for member in group["members"])
        lines.append(f"  {group['id']:3d}. [{group['size']}] {members}")
    lines += ["", words["brokers"]]
    lines += [f"  {row['betweenness']:.4f}  {row['label']} ({row['type']})" for row in result["brokers"]]
    lines += ["", words["bridges"]]
    pendant = 0
    for bridge in result["bridges"]:
        if bridge["pendant"]:
            pendant += 1
            continue
        lines.append(f"  {bridge['a']['label']} — {' / '.join(bridge['relations'])} — {bridge['b']['label']}")
    lines.append("  " + words["pendant"].format(n=pendant))
    return "\n".join(lines)


def cmd_path(args: argparse.Namespace) -> int:
    from iadef.network.analytics import paths

    loaded = load(args)
    start, end = loaded.node(args.start, "A"), loaded.node(args.end, "B")
    projection = loaded.projection
    if start == end:
        raise IadefError(
            f"A and B name the same entity: {projection.name(start, args.lang)} ({start})",
            hint="name two different actors to find the chains between them",
        )
    chains = paths(projection, start, end, lang=args.lang, longer=args.longer, limit=args.limit)
    a, b = projection.name(start, args.lang), projection.name(end, args.lang)
    if args.format == "json":
        print(json.dumps({"from": a, "to": b, "chains": chains}, ensure_ascii=False, indent=2, sort_keys=True))
    elif args.format == "csv":
        columns = ["chain", "hop", "subject", "relation", "object", "date", "source", "quote", "status"]
        rows = [
            [i, h, link["subject"]["label"], link["label"], link["object"]["label"], link["date"] or "",
             source["title"], source["quote"], source["status"] or ""]
            for i, chain in enumerate(chains, start=1)
            for h, hop in enumerate(chain, start=1)
            for link in hop["links"]
            for source in link["sources"]
        ]  # fmt: skip
        print(_csv(columns, rows), end="")
    else:
        print(_path_table(chains, a, b, args.lang))
    return 0 if chains else 1


def _path_table(chains: list[list[dict[str, Any]]], a: str, b: str, lang: str) -> str:
    words = WORDS[lang]
    if not chains:
        return words["none"].format(a=a, b=b)
    hops = sorted({len(chain) for chain in chains})
    span = str(hops[0]) if len(hops) == 1 else f"{hops[0]}–{hops[-1]}"
    lines = [words["chains"].format(a=a, b=b, n=len(chains), hops=span)]
    for i, chain in enumerate(chains, start=1):
        names = [chain[0]["from"]["label"], *(hop["to"]["label"] for hop in chain)]
        lines += ["", f"{words['chain'].format(i=i)}: {' → '.join(names)}"]
        for h, hop in enumerate(chain, start=1):
            for link in hop["links"]:
                date = f"  [{link['date']}]" if link["date"] else ""
                lines.append(f"  {h}. {link['subject']['label']} —{link['label']}→ {link['object']['label']}{date}")
                for source in link["sources"]:
                    status = f" ({source['status']})" if source["status"] else ""
                    lines.append(f"       {words['source']}: {source['title']}{status}")
                    lines.append(f"         « {source['quote']} »")
    return "\n".join(lines)
