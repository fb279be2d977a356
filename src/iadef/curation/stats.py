"""``iadef stats``: counts per class and property, and the share of sourced facts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rdflib import RDF, Dataset, URIRef
from rdflib.term import Node

from iadef.namespaces import CURATION, FACT, IADEF, PREFIXES, PROV


@dataclass
class Stats:
    """Counts over a built dataset."""

    classes: Counter[str] = field(default_factory=Counter)
    properties: Counter[str] = field(default_factory=Counter)
    sources: int = 0
    fact_graphs: int = 0
    triples: int = 0
    with_provenance: int = 0

    @property
    def provenance_share(self) -> float:
        return 1.0 if self.triples == 0 else self.with_provenance / self.triples


def compute(dataset: Dataset) -> Stats:
    stats = Stats()
    meta = dataset.default_graph
    stats.sources = len(set(meta.subjects(RDF.type, IADEF.SourceDocument)))
    triples: dict[tuple[Node, Node, Node], bool] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g)
        if not name.startswith((str(FACT), str(CURATION))):
            continue
        graph = URIRef(name)
        if name.startswith(str(FACT)):
            stats.fact_graphs += 1
            sourced = (graph, PROV.wasDerivedFrom, None) in meta and (graph, IADEF.quote, None) in meta
        else:
            sourced = (graph, PROV.wasAttributedTo, None) in meta
        triples[(s, p, o)] = triples.get((s, p, o), False) or sourced
    for _s, p, o in triples:
        stats.properties[_short(p)] += 1
        if p == RDF.type:
            stats.classes[_short(o)] += 1
    stats.triples = len(triples)
    stats.with_provenance = sum(triples.values())
    return stats


def _short(term: object) -> str:
    text = str(term)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    if text.startswith("http://www.w3.org/1999/02/22-rdf-syntax-ns#"):
        return "rdf:" + text.split("#")[1]
    if text.startswith("http://www.w3.org/2000/01/rdf-schema#"):
        return "rdfs:" + text.split("#")[1]
    return text


def report(stats: Stats) -> str:
    lines = [
        f"sources: {stats.sources}",
        f"fact graphs: {stats.fact_graphs}",
        f"distinct triples: {stats.triples}",
        f"with provenance: {stats.with_provenance}/{stats.triples} ({stats.provenance_share:.1%})",
        "",
        "entities per class:",
    ]
    lines += [f"  {count:5d}  {name}" for name, count in sorted(stats.classes.items(), key=lambda i: (-i[1], i[0]))]
    lines += ["", "triples per property:"]
    lines += [f"  {count:5d}  {name}" for name, count in sorted(stats.properties.items(), key=lambda i: (-i[1], i[0]))]
    return "\n".join(lines)
