"""The neighbourhood of one actor, read from any store, for a focused page.

Projecting the whole graph (:func:`iadef.projection.project_dataset`) is fine for the
seed graph but reads every quad; on a store of millions of quads a page around one
actor should read only what it shows. :func:`focused_dataset` walks the store with
:meth:`Engine.quads` from the focus outwards, in the projection's terms:

* a hop goes from a *node* (an entity whose class is one of
  :data:`iadef.projection.KINDS`) to the entities its sourced facts link it to, in
  either direction;
* mandates and posts are not nodes but the middle of a ``holdsPost`` edge (person →
  mandate → post → organisation), so the walk passes through them without counting a
  hop;
* other entities (topics…) are kept for their labels, never walked through.

Nodes up to ``depth`` hops are expanded, so every relation of every node shown is read
and a node's degree is the same as in the whole graph; nodes at ``depth + 1`` are read
so that the edges towards them are drawn, then :func:`iadef.viz.select` cuts the ego
network exactly as for the whole graph. The dataset also gets the provenance of every
fact read (its quote and source) and the description of every source document.

One difference with the whole-graph page: ``--size-by pagerank`` is computed within the
neighbourhood read, not over the whole graph (degree is the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rdflib import RDF, Dataset, URIRef

from .namespaces import FACT, IADEF, ID
from .projection import kind_of

if TYPE_CHECKING:
    from .engines import Engine, Quad
    from .ontology import Ontology
    from .paths import Project

PASS_THROUGH = frozenset({"Mandate", "Post"})


class _Walk:
    """Reads quads once per entity and remembers them."""

    def __init__(self, engine: Engine, ontology: Ontology) -> None:
        self.engine = engine
        self.ontology = ontology
        self.quads: dict[Quad, None] = {}
        self.outgoing: dict[URIRef, list[Quad]] = {}
        self.classes: dict[URIRef, set[str]] = {}

    def read(self, entity: URIRef) -> list[Quad]:
        """Every quad about ``entity`` (as subject), once."""
        if entity not in self.outgoing:
            found = list(self.engine.quads(entity, None, None))
            self.outgoing[entity] = found
            self.quads.update(dict.fromkeys(found))
            self.classes[entity] = {
                str(o).removeprefix(str(IADEF))
                for _, p, o, g in found
                if p == RDF.type and _is_fact(g) and str(o).startswith(str(IADEF))
            }
        return self.outgoing[entity]

    def kind(self, entity: URIRef) -> str:
        """``node``, ``through`` (mandate, post) or ``other``."""
        self.read(entity)
        classes = self.classes[entity]
        if any(kind_of(self.ontology, cls) is not None for cls in classes):
            return "node"
        return "through" if classes & PASS_THROUGH else "other"

    def linked(self, entity: URIRef) -> list[URIRef]:
        """Entities linked to ``entity`` by a sourced fact, either way, in a stable order."""
        found: dict[URIRef, None] = {}
        for _, p, o, g in self.read(entity):
            if p != RDF.type and _is_fact(g) and _is_entity(o):
                found[URIRef(str(o))] = None
        for s, _, _, g in self.engine.quads(None, None, entity):
            if _is_fact(g) and _is_entity(s):
                found[URIRef(str(s))] = None
        return sorted(found)


def _is_fact(graph: object) -> bool:
    return graph is not None and str(graph).startswith(str(FACT))


def _is_entity(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(ID))


def focused_dataset(engine: Engine, ontology: Ontology, focus: URIRef, depth: int = 1) -> Dataset:
    """The quads needed to draw the ego network of ``focus`` within ``depth`` hops (see the module doc)."""
    walk = _Walk(engine, ontology)
    if walk.kind(focus) != "node":  # read anyway: the projection then says what the entity is
        return _dataset(engine, walk)
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
    return _dataset(engine, walk)


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


def _dataset(engine: Engine, walk: _Walk) -> Dataset:
    dataset = Dataset(default_union=False)
    quads: dict[Quad, None] = dict(walk.quads)
    graphs = sorted({g for _, _, _, g in walk.quads if isinstance(g, URIRef) and _is_fact(g)})
    for graph in graphs:
        quads.update((q, None) for q in engine.quads(graph, None, None) if q[3] is None)
    for source, _, _, g in list(engine.quads(None, RDF.type, IADEF.SourceDocument)):
        if g is None:
            quads.update((q, None) for q in engine.quads(source, None, None) if q[3] is None)
    for s, p, o, g in quads:
        target = dataset.default_graph if g is None else dataset.graph(g)
        target.add((s, p, o))
    return dataset


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
    from .ontology import Ontology
    from .projection import project_dataset
    from .viz import build_page

    if ontology is None:
        ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    dataset = focused_dataset(engine, ontology, ID[focus_key], depth)
    projection = project_dataset(dataset, ontology)
    return build_page(projection, lang=lang, size_by=size_by, focus=focus_key, depth=depth)
