"""Load the built graph into a SPARQL 1.1 server with SPARQL Update, idempotently.

What the server holds afterwards, under https://w3id.org/iadef/ (and the stored default
graph), is exactly the build: every named graph of ``graph/iadef.nq`` as it is, the
ontology as ``<https://w3id.org/iadef/def/>``, and the file's default graph (provenance) as
``Endpoint.default_graph``. Graphs under https://w3id.org/iadef/ that the build no longer
has are dropped; graphs outside it are never touched.

How. The server's content of those graphs is read with one SELECT and compared with the
build graph by graph (terms in canonical form; isomorphism where blank nodes occur), so
only added and changed graphs are sent and a second push sends nothing. A changed graph
is cleared and refilled in the same request (``DELETE … WHERE { VALUES ?g {…} … } ;
INSERT DATA {…}``), batched by triples: Virtuoso compiles each request to SQL and slows
down past about 200 triples (and refuses past about 1,500), and many operations in one
request cost more than one operation over many graphs. Terms are written in N-Triples
form (:func:`~iadef.sparql.bind.nt_term`: rdflib's for IRIs, every special character of a
literal escaped), so values are never pasted; ``xsd:string`` literals are written as simple
literals (the same in RDF 1.1; Virtuoso keeps the two apart). Blank nodes
(the ontology's OWL axioms) go through ``INSERT { … } WHERE {}``, as Virtuoso refuses them
in ``INSERT DATA``; triples sharing a blank node are never split across requests. Blank
nodes are scoped to their graph (an iadef build shares none between graphs).

With a Graph Store Protocol endpoint (``Endpoint.graph_store_url``), a graph larger than one
batch (the provenance graph, most of a build's triples, and the ontology) is sent instead as
one ``PUT ?graph=IRI`` of its triples in N-Triples form (blank nodes included), which
replaces it whole; the one-triple fact graphs still go by batched updates, as one request
each would cost more.

After the push the triples of every graph are counted on the server and compared with the
build; a difference is an :class:`~iadef.errors.EndpointError`. A push cut short leaves the
server between the two states; the next push repairs it, as it compares content.
The server must return the whole content of the iadef graphs in one result (Virtuoso:
``[SPARQL] ResultSetMaxRows`` at least the build's number of quads; a cut result is refused).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from iadef.errors import EndpointError, IadefError
from iadef.namespaces import BASE, ONTOLOGY_GRAPH, PROVENANCE_GRAPH
from iadef.sparql.answer import Term, Triple, canonical
from iadef.sparql.bind import nt_term
from iadef.stores.endpoint import Endpoint, EndpointEngine
from iadef.stores.oxigraph_engine import term_converter

DEFAULT_BATCH = 200  # triples per request; measured on Virtuoso 7.2 (see tests/test_endpoint.py)
CLEAR_BATCH = 500  # graphs per request when only clearing

Content = dict[str, set[Triple]]


@dataclass(frozen=True)
class PushReport:
    """What a push changed on the server."""

    added: tuple[str, ...]
    replaced: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    triples: int  # in the build, all graphs
    sent: int  # triples sent
    requests: int  # update requests
    seconds: float

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"{len(self.added)} graph(s) added, {len(self.replaced)} replaced, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged; {self.sent} of {self.triples} triples sent "
            f"in {self.requests} request(s), {self.seconds:.2f} s"
        )


def push(endpoint: Endpoint, nquads: Path, ontology: Path, *, batch_triples: int = DEFAULT_BATCH) -> PushReport:
    """Make the server's iadef graphs exactly the build (``nquads`` + ``ontology``); see the module doc."""
    start = time.perf_counter()
    check_default_graph(endpoint.default_graph)
    wanted = read_build(nquads, ontology, endpoint.default_graph)
    engine = EndpointEngine(endpoint)
    current = read_server(engine, endpoint.default_graph)
    removed = sorted(set(current) - set(wanted))
    added = sorted(set(wanted) - set(current))
    replaced = sorted(g for g in set(wanted) & set(current) if not same_content(wanted[g], current[g]))
    requests = 0
    for chunk in _chunks(removed, CLEAR_BATCH):
        engine.update(_clear(chunk))
        requests += 1
    sent = 0
    changed = added + replaced
    whole = [g for g in changed if endpoint.graph_store_url and len(wanted[g]) > batch_triples]
    for graph in whole:
        engine.put_graph(graph, ntriples(wanted[graph]))
        requests += 1
        sent += len(wanted[graph])
    batched = {g: wanted[g] for g in changed if g not in whole}
    for text, count in update_requests(batched, set(replaced), batch_triples):
        engine.update(text)
        requests += 1
        sent += count
    verify(engine, wanted, endpoint.default_graph)
    return PushReport(
        added=tuple(added),
        replaced=tuple(replaced),
        removed=tuple(removed),
        unchanged=len(wanted) - len(added) - len(replaced),
        triples=sum(len(t) for t in wanted.values()),
        sent=sent,
        requests=requests,
        seconds=time.perf_counter() - start,
    )


def check_default_graph(iri: str) -> None:
    """The stored default graph must not pass for a graph of the build."""
    if iri.startswith(BASE) and iri != str(PROVENANCE_GRAPH):
        raise IadefError(
            f"default graph {iri} is under {BASE} but is not {PROVENANCE_GRAPH}",
            hint=f"use {PROVENANCE_GRAPH} (the default) or an IRI outside {BASE}",
        )


def read_build(nquads: Path, ontology: Path, default_graph: str) -> Content:
    """The build's graphs by IRI: the N-Quads file's (the ontology among them), its default graph under
    ``default_graph``; the ontology from ``ontology`` when the file does not hold it."""
    import pyoxigraph

    if not nquads.is_file():
        raise IadefError(f"{nquads} not found", hint="run `iadef build` first")
    content: Content = {}
    convert = term_converter(canonical_literals=False)
    reserved = {default_graph}
    try:
        for quad in pyoxigraph.parse(path=nquads, format=pyoxigraph.RdfFormat.N_QUADS):
            name = quad.graph_name
            if isinstance(name, pyoxigraph.DefaultGraph):
                graph = default_graph
            elif (graph := str(name.value)) in reserved:
                raise IadefError(
                    f"{nquads} has a named graph {graph}, which the push reserves",
                    hint="choose another --default-graph, or rename that graph in the build",
                )
            content.setdefault(graph, set()).add(_triple(quad, convert))
        if str(ONTOLOGY_GRAPH) not in content:  # a build holds it; an older or synthetic file may not
            content[str(ONTOLOGY_GRAPH)] = {
                _triple(t, convert) for t in pyoxigraph.parse(path=ontology, format=pyoxigraph.RdfFormat.TURTLE)
            }
    except (SyntaxError, OSError) as exc:
        raise IadefError(f"cannot read the build: {exc}", hint="run `iadef build` again") from None
    return content


def _triple(quad: Any, convert: Callable[[Any], Term]) -> Triple:
    return convert(quad.subject), convert(quad.predicate), convert(quad.object)


def read_server(engine: EndpointEngine, default_graph: str) -> Content:
    """The content of the server's iadef graphs (and of the stored default graph), in one query."""
    text = (
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER (STRSTARTS(STR(?g), "{BASE}") || ?g = {URIRef(default_graph).n3()}) }}'
    )
    content: Content = {}
    for g, s, p, o in engine.run(text).rows:
        if g is None or s is None or p is None or o is None:
            raise EndpointError(f"{engine.endpoint.query_url} returned an incomplete quad")
        content.setdefault(str(g), set()).add((s, p, o))
    return content


def same_content(build: set[Triple], server: set[Triple]) -> bool:
    """Whether a graph of the build and the server's graph hold the same triples."""
    if len(build) != len(server):
        return False
    if build == server:  # the usual case, without normalising a term
        return True
    ours, theirs = ({tuple(_norm(t) for t in triple) for triple in side} for side in (build, server))
    if not any(isinstance(t, BNode) for triple in ours | theirs for t in triple):
        return ours == theirs
    return isomorphic(_graph(ours), _graph(theirs))


def _norm(term: Term) -> Term:
    """The form in which a term is compared: canonical, language tags lower-case, floats by value."""
    term = canonical(term)
    if isinstance(term, Literal):
        if term.language is not None:
            return Literal(str(term), lang=term.language.lower())
        if term.datatype in (XSD.double, XSD.float) and isinstance(term.value, float):
            return Literal(repr(term.value), datatype=term.datatype)
    return term


def _graph(triples: Iterable[tuple[Term, ...]]) -> Graph:
    graph = Graph()
    for s, p, o in triples:
        graph.add((s, p, o))
    return graph


def update_requests(graphs: Mapping[str, set[Triple]], clear: set[str], batch: int) -> Iterator[tuple[str, int]]:
    """SPARQL Update requests filling ``graphs``, each ``clear`` graph cleared in the request that starts it.

    Yields (request text, triples in it); a request holds about ``batch`` triples.
    """
    pending: list[tuple[str, list[Triple]]] = []
    to_clear: list[str] = []
    size = 0
    for graph in graphs:
        starts = graph in clear
        for molecule in _molecules(graphs[graph]):
            if size and size + len(molecule) > batch:
                yield _request(pending, to_clear), size
                pending, size, to_clear = [], 0, []
            if starts:  # cleared in the request that holds its first triples: never seen empty
                to_clear.append(graph)
                starts = False
            pending.append((graph, molecule))
            size += len(molecule)
    if pending or to_clear:
        yield _request(pending, to_clear), size


def _molecules(triples: set[Triple]) -> Iterator[list[Triple]]:
    """The triples in sorted order, those sharing blank nodes grouped (a group is never split)."""
    parent: dict[BNode, BNode] = {}

    def root(node: BNode) -> BNode:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    plain: list[Triple] = []
    linked: list[Triple] = []
    for triple in sorted(triples):
        nodes = [t for t in triple if isinstance(t, BNode)]
        if not nodes:
            plain.append(triple)
            continue
        linked.append(triple)
        for node in nodes[1:]:
            parent[root(node)] = root(nodes[0])
    for triple in plain:
        yield [triple]
    groups: dict[BNode, list[Triple]] = {}
    for triple in linked:
        groups.setdefault(root(next(t for t in triple if isinstance(t, BNode))), []).append(triple)
    yield from groups.values()


def _request(pending: list[tuple[str, list[Triple]]], to_clear: list[str]) -> str:
    operations = [_clear(to_clear)] if to_clear else []
    data = [(g, m) for g, m in pending if not _has_bnode(m)]
    blank = [(g, m) for g, m in pending if _has_bnode(m)]
    if data:
        operations.append(f"INSERT DATA {{\n{_blocks(data)}\n}}")
    if blank:  # Virtuoso refuses blank nodes in INSERT DATA; a template with an empty WHERE is standard too
        operations.append(f"INSERT {{\n{_blocks(blank)}\n}} WHERE {{}}")
    return " ;\n".join(operations)


def ntriples(triples: set[Triple]) -> bytes:
    """The triples as an N-Triples document (valid Turtle), sorted, terms escaped as in updates."""
    return "".join(" ".join(map(_nt, triple)) + " .\n" for triple in sorted(triples)).encode("utf-8")


def _has_bnode(molecule: list[Triple]) -> bool:
    return any(isinstance(t, BNode) for triple in molecule for t in triple)


def _blocks(pending: list[tuple[str, list[Triple]]]) -> str:
    by_graph: dict[str, list[str]] = {}
    for graph, molecule in pending:
        by_graph.setdefault(graph, []).extend(" ".join(map(_nt, triple)) + " ." for triple in molecule)
    return "\n".join(f"GRAPH {URIRef(g).n3()} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())


def _nt(term: Term) -> str:
    return term.n3() if isinstance(term, BNode) else nt_term(term)


def _clear(graphs: list[str]) -> str:
    """One operation emptying ``graphs`` (cheaper on Virtuoso than one DROP per graph)."""
    values = " ".join(URIRef(g).n3() for g in graphs)
    return f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def verify(engine: EndpointEngine, wanted: Content, default_graph: str) -> None:
    """Count the triples of every iadef graph on the server; any difference with the build is an error."""
    text = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER (STRSTARTS(STR(?g), "{BASE}") || ?g = {URIRef(default_graph).n3()}) }} GROUP BY ?g'
    )
    counts = {str(g): int(str(n)) for g, n in engine.run(text).rows}
    expected = {g: len(t) for g, t in wanted.items() if t}
    wrong = sorted(g for g in set(counts) | set(expected) if counts.get(g, 0) != expected.get(g, 0))
    if wrong:
        shown = "; ".join(f"{g}: {counts.get(g, 0)} on the server, {expected.get(g, 0)} built" for g in wrong[:5])
        raise EndpointError(
            f"after the push {len(wrong)} graph(s) differ from the build: {shown}",
            hint="push again; if it persists, the server changes the data (see its log)",
        )
