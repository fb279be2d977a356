"""Where a node of the built graph was written in the seeds.

The default graph of a build records, for every named graph (one sourced fact, or
the curated labels of one entity), the seed file and line it comes from
(``iadef:seedFile``, ``iadef:seedLine``). :class:`SeedLocator` turns a problem about
a node and a property back into that file and line, so that validation reports
point at what a curator wrote.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from iadef.namespaces import CURATION, IADEF, ID, SKOS

Location = tuple[str | None, int | None]
_LABELS = {RDFS.label, SKOS.prefLabel}


class SeedLocator:
    """Maps a focus node and a predicate back to the seed file and line it came from."""

    def __init__(self, dataset: Dataset, fallback: Mapping[Node, Location]) -> None:
        meta = dataset.default_graph
        self.fallback = fallback
        self.graphs: dict[Node, Location] = {}
        for graph, seed_file in meta.subject_objects(IADEF.seedFile):
            line = meta.value(graph, IADEF.seedLine)
            self.graphs[graph] = (str(seed_file), int(line) if isinstance(line, Literal) else None)
        self.by_pair: dict[tuple[Node, Node], list[tuple[Node, Location]]] = defaultdict(list)
        for s, p, o, g in dataset.quads((None, None, None, None)):
            where = self.graphs.get(graph_name(g))
            if where is not None:
                self.by_pair[(s, p)].append((o, where))

    def locate(self, focus: Node, predicates: Iterable[Node], value: Node | None, *, extra: bool = False) -> Location:
        """The seed file and line of the fact at fault, or else of the entity's declaration.

        With ``extra`` (too many values): the fact giving the value that the fewest
        facts state, and the latest written of those, the likeliest to be the odd one.
        """
        predicates = list(predicates)
        if focus in self.graphs:
            return self.graphs[focus]
        if _LABELS & set(predicates) and str(focus).startswith(str(ID)):
            curation = self.graphs.get(CURATION[str(focus)[len(ID) :]])
            if curation is not None:
                return curation
        groups: dict[Node, list[Location]] = defaultdict(list)
        for p in predicates:
            for o, where in self.by_pair.get((focus, p), []):
                groups[o].append(where)
        if value in groups:
            return min(groups[value], key=_order)
        if groups:
            if extra:
                odd = max(groups.values(), key=lambda ws: (-len(ws), _order(min(ws, key=_order))))
                return min(odd, key=_order)
            return min((w for ws in groups.values() for w in ws), key=_order)
        for p in (RDF.type, RDFS.label):
            declared = [w for _, w in self.by_pair.get((focus, p), [])]
            if declared:
                return min(declared, key=_order)
        return self.fallback.get(focus, (None, None))


def _order(where: Location) -> tuple[str, int]:
    return (where[0] or "~", where[1] or 0)


def graph_name(graph: object) -> URIRef | BNode:
    """The name of a graph, whether rdflib gives the graph or its identifier."""
    identifier = graph.identifier if isinstance(graph, Graph) else graph
    assert isinstance(identifier, URIRef | BNode)
    return identifier
