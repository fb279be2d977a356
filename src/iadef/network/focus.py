"""The neighbourhood of one actor, read from any store, for a focused page.

Projecting the whole graph (:func:`iadef.network.projection.project_dataset`) is fine for the
seed graph but reads every quad; on a store of millions of quads a page around one
actor should read only what it shows. :func:`focused_quads` walks the store with
:meth:`Engine.quads` from the focus outwards, in the projection's terms:

* a hop goes from a *node* (an entity whose class is one of
  :data:`iadef.network.projection.KINDS`) to the entities its sourced facts link it to, in
  either direction;
* mandates and posts are not nodes but the middle of a ``holdsPost`` edge (person →
  mandate → post → organisation), so the walk passes through them without counting a
  hop;
* other entities (topics…) are kept for their labels, never walked through.

Nodes up to ``depth`` hops are expanded, so every relation of every node shown is read
and a node's degree is the same as in the whole graph; nodes at ``depth + 1`` are read
so that the edges towards them are counted, then :func:`iadef.network.page.select` cuts the ego
network exactly as for the whole graph.

The quads are what the page can show (see :func:`_dataset`), projected as they are
(:func:`iadef.network.projection.project_quads`, no rdflib dataset is built): the facts of the
expanded nodes and of the mandates and posts between them, and only the classes, links
and names of the entities one hop further. The evidence of the facts shown (source,
quote, status: what the projection reads of the provenance) is fetched in batches: one
query per :data:`BATCH` fact graphs (a ``VALUES`` block) on Oxigraph and on a server,
an index look-up per fact graph on rdflib, whose SPARQL evaluator is the slower of its
two ways. Every source document's title is read in one pattern: the page lists them
all, and its evidence points into that list by position, so a page around one actor
lists the same sources as the whole graph's (1,165 titles at 10^6 quads).

One difference with the whole-graph page: ``--size-by pagerank`` is computed within the
neighbourhood read, not over the whole graph (degree is the same).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, cast

from rdflib import RDF, Dataset, URIRef

from iadef.namespaces import CURATION, DCTERMS, FACT, IADEF, ID, PROV, SOURCE
from iadef.network.projection import CURATED_NAMES, PROVENANCE_READ, kind_of
from iadef.sparql.bind import inline_table

if TYPE_CHECKING:
    from iadef.curation.ontology import Ontology
    from iadef.network.projection import Projection
    from iadef.paths import Project
    from iadef.sparql.answer import Engine, Quad

PASS_THROUGH = frozenset({"Mandate", "Post"})
# What the projection reads of a fact's provenance (source, quote, status), in EVIDENCE_QUERY's column order.
EVIDENCE = PROVENANCE_READ
BATCH = 1000  # fact graphs per provenance query
EVIDENCE_QUERY = """
# The fact graphs are given as a VALUES table opening the group (iadef.sparql.bind.inline_table).
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX iadef: <https://w3id.org/iadef/def/>
SELECT ?graph ?source ?quote ?status WHERE {
  OPTIONAL { ?graph prov:wasDerivedFrom ?source }
  OPTIONAL { ?graph iadef:quote ?quote }
  OPTIONAL { ?graph iadef:status ?status }
}
"""


_TYPE = RDF.type
_IADEF, _ID, _FACT, _CURATION = str(IADEF), str(ID), str(FACT), str(CURATION)


class _Walk:
    """Reads quads once per entity and remembers them."""

    def __init__(self, engine: Engine, ontology: Ontology) -> None:
        self.engine = engine
        self.ontology = ontology
        self.outgoing: dict[URIRef, list[Quad]] = {}
        self.classes: dict[URIRef, set[str]] = {}
        self.kinds: dict[URIRef, str] = {}
        self.class_kinds: dict[str, str | None] = {}  # kind_of, for each class met

    def read(self, entity: URIRef) -> list[Quad]:
        """Every quad about ``entity`` (as subject), once."""
        if entity not in self.outgoing:
            found = list(self.engine.quads(entity, None, None))
            self.outgoing[entity] = found
            self.classes[entity] = {
                str(o).removeprefix(_IADEF)
                for _, p, o, g in found
                if p == _TYPE and _is_fact(g) and str(o).startswith(_IADEF)
            }
        return self.outgoing[entity]

    def kind_of(self, cls: str) -> str | None:
        if cls not in self.class_kinds:
            self.class_kinds[cls] = kind_of(self.ontology, cls)
        return self.class_kinds[cls]

    def kind(self, entity: URIRef) -> str:
        """``node``, ``through`` (mandate, post) or ``other``."""
        if entity not in self.kinds:
            self.read(entity)
            classes = self.classes[entity]
            if any(self.kind_of(cls) is not None for cls in classes):
                self.kinds[entity] = "node"
            else:
                self.kinds[entity] = "through" if classes & PASS_THROUGH else "other"
        return self.kinds[entity]

    def projected_node(self, entity: URIRef) -> bool:
        """True if the projection makes ``entity`` a node: its class (the last in name order) has a kind."""
        classes = [cls for cls in self.classes.get(entity, ()) if cls]
        return bool(classes) and self.kind_of(max(classes)) is not None

    def beyond(self, term: object, expanded: set[URIRef]) -> bool:
        """True for a node one hop further: an edge towards it is not drawn (nor listed), its evidence not shown."""
        return isinstance(term, URIRef) and term not in expanded and term in self.classes and self.projected_node(term)

    def linked(self, entity: URIRef) -> list[URIRef]:
        """Entities linked to ``entity`` by a sourced fact, either way, in a stable order."""
        found: dict[URIRef, None] = {}
        for _, p, o, g in self.read(entity):
            if p != _TYPE and _is_fact(g) and _is_entity(o):
                found[cast(URIRef, o)] = None
        for s, _, _, g in self.engine.quads(None, None, entity):
            if _is_fact(g) and _is_entity(s):
                found[cast(URIRef, s)] = None
        return sorted(found)


def _is_fact(graph: object) -> bool:
    return graph is not None and str(graph).startswith(_FACT)


def _is_entity(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(_ID)


def focused_dataset(engine: Engine, ontology: Ontology, focus: URIRef, depth: int = 1) -> Dataset:
    """The dataset of :func:`focused_quads` (for callers that want rdflib's API)."""
    from iadef.stores.rdflib_engine import quads_dataset

    return quads_dataset(focused_quads(engine, ontology, focus, depth))


def focused_quads(engine: Engine, ontology: Ontology, focus: URIRef, depth: int = 1) -> list[Quad]:
    """The quads needed to draw the ego network of ``focus`` within ``depth`` hops (see the module doc)."""
    walk = _Walk(engine, ontology)
    if walk.kind(focus) != "node":  # read anyway: the projection then says what the entity is
        return _dataset(engine, walk, {focus})
    distance = {focus: 0}
    frontier = [focus]
    for level in range(max(depth, 0) + 1):
        reached: list[URIRef] = []
        for node in frontier:
            for entity in _neighbours(walk, node):
                if entity not in distance:
                    distance[entity] = level + 1
                    if level + 1 <= depth:
                        reached.append(entity)
        frontier = reached
        if not frontier:
            break
    return _dataset(engine, walk, {entity for entity, hops in distance.items() if hops <= max(depth, 0)})


def _neighbours(walk: _Walk, node: URIRef) -> Iterable[URIRef]:
    """Nodes one hop from ``node``, passing through mandates and posts; other entities are read only."""
    seen = {node}
    todo = [node]
    while todo:
        current = todo.pop()
        for entity in walk.linked(current):
            if entity in seen:
                continue
            seen.add(entity)
            kind = walk.kind(entity)
            if kind == "node":
                yield entity
            elif kind == "through":
                todo.append(entity)


def _dataset(engine: Engine, walk: _Walk, expanded: set[URIRef]) -> list[Quad]:
    """The quads of what the walk read that a page can show, with the provenance of the facts it shows.

    ``expanded`` are the nodes whose every relation was read (within ``depth``): the only
    ones a page can show (a hop in the projection is a hop of the walk). Their sourced
    facts, and those of the mandates and posts walked through, are kept with their
    evidence, but for the edges towards nodes one hop further (an edge is drawn, with its
    evidence, only between nodes shown). Of the other entities read (one hop further;
    topics, headcounts…) the page shows what they are, what they link to (degrees, and
    PageRank within the neighbourhood) and their names: their classes and links are kept
    once each, with evidence only where it is shown (a fact of an entity that is not a
    node, towards an expanded node, is listed on that node). Of every entity, the curated
    names the projection reads (``rdfs:label``, ``iadef:acronym``).
    """
    whole = expanded | {entity for entity, kind in walk.kinds.items() if kind == "through"}
    quads: dict[Quad, None] = {}
    shown: set[URIRef] = set()  # fact graphs whose evidence is shown
    for entity, found in walk.outgoing.items():
        if entity in whole:
            for quad in found:
                if _is_fact(quad[3]):
                    quads[quad] = None
                    if entity not in expanded or not walk.beyond(quad[2], expanded):
                        shown.add(cast(URIRef, quad[3]))
                elif _is_name(quad):
                    quads[quad] = None
            continue
        node = walk.projected_node(entity)
        once: set[tuple[object, object]] = set()
        for quad in found:
            _, p, o, g = quad
            if not _is_fact(g):
                if _is_name(quad):
                    quads[quad] = None
            elif not node and o in expanded:
                quads[quad] = None
                shown.add(cast(URIRef, g))
            elif (p == _TYPE or _is_entity(o)) and (p, o) not in once:
                once.add((p, o))
                quads[quad] = None
    quads.update(dict.fromkeys(_evidence(engine, sorted(shown))))
    quads.update(dict.fromkeys(_source_titles(engine)))
    return list(quads)


def _is_name(quad: Quad) -> bool:
    """A curated name the projection reads."""
    _, p, _, g = quad
    return g is not None and str(g).startswith(_CURATION) and p in CURATED_NAMES


def _evidence(engine: Engine, graphs: Sequence[URIRef]) -> Iterator[Quad]:
    """The source, quote and status of each fact graph (default-graph quads), in graph order.

    rdflib answers per-graph look-ups faster than a SPARQL query; other engines (Oxigraph,
    a server) get one query per :data:`BATCH` graphs, the graphs in a ``VALUES`` block.
    """
    if engine.name == "rdflib":
        for graph in graphs:
            yield from (q for q in engine.quads(graph, None, None) if q[3] is None and q[1] in EVIDENCE)
        return
    for start in range(0, len(graphs), BATCH):
        batch = graphs[start : start + BATCH]
        rows = engine.query(inline_table(EVIDENCE_QUERY, ["graph"], [(g,) for g in batch])).rows
        found: dict[URIRef, dict[Quad, None]] = {}
        for subject, *values in rows:
            for predicate, value in zip(EVIDENCE, values, strict=True):
                if isinstance(subject, URIRef) and value is not None:
                    found.setdefault(subject, {})[(subject, predicate, value, None)] = None
        for graph in batch:  # in graph order, and in a stable order within a graph (rows come in any order)
            yield from sorted(found.get(graph, {}), key=lambda q: (EVIDENCE.index(q[1]), str(q[2]), repr(q[2])))


def _source_titles(engine: Engine) -> Iterator[Quad]:
    """The type and title of every source document (the page lists them all; evidence points into that list)."""
    typed = [q for q in engine.quads(None, RDF.type, IADEF.SourceDocument) if q[3] is None]
    documents = {q[0] for q in typed}
    yield from typed
    yield from (q for q in engine.quads(None, DCTERMS.title, None) if q[3] is None and q[0] in documents)


def focused_page(
    engine: Engine,
    project: Project,
    focus_key: str,
    depth: int = 1,
    lang: str = "fr",
    size_by: str = "degree",
    ontology: Ontology | None = None,
) -> bytes:
    """The interactive page around ``focus_key`` (an entity key such as ``mistral-ai``), from any store."""
    from iadef.curation.ontology import Ontology
    from iadef.network.page import build_page

    if ontology is None:
        ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    projection = focused_projection(engine, ontology, ID[focus_key], depth)
    return build_page(projection, lang=lang, size_by=size_by, focus=focus_key, depth=depth)


def focused_projection(engine: Engine, ontology: Ontology, entity: URIRef, depth: int) -> Projection:
    """The projection of :func:`focused_quads`, its sources dated over the whole store (the page's slider)."""
    from iadef.network.projection import project_quads
    from iadef.stores.asof import dated_sources

    quads = list(focused_quads(engine, ontology, entity, depth))
    shown = {str(o).removeprefix(str(SOURCE)) for _, p, o, g in quads if g is None and p == PROV.wasDerivedFrom}
    return project_quads(quads, ontology, dated_sources(engine, shown))
