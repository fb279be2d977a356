"""What the reconciliation service knows, read once per build from any engine.

For every curated entity (``https://w3id.org/iadef/id/KEY``): its names folded as
:func:`iadef.sparql.lookup.fold` folds them (labels, the names the sources use, acronyms,
the key), its display label (French), its classes, and every sourced fact about it with
the source's title and the quote; for the ontology, class and property labels and the
class hierarchy. Everything comes from fixed SPARQL queries (no parameter), so the index
is built the same way on rdflib, Oxigraph or a SPARQL server.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from iadef.namespaces import IADEF, ID
from iadef.sparql.answer import Engine, Term
from iadef.sparql.lookup import NAMES_QUERY, fold

if TYPE_CHECKING:
    from iadef.paths import Project
    from iadef.stores.setting import StoreSpec

TYPES_QUERY = """
SELECT DISTINCT ?entity ?class WHERE {
  GRAPH ?g { ?entity a ?class }
  FILTER (STRSTARTS(STR(?entity), "https://w3id.org/iadef/id/") && STRSTARTS(STR(?g), "https://w3id.org/iadef/fact/"))
}
"""

HIERARCHY_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
SELECT ?term ?kind ?label ?super WHERE {
  GRAPH <https://w3id.org/iadef/def/> {
    VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty }
    ?term a ?kind .
    OPTIONAL { ?term rdfs:label ?label }
    OPTIONAL { ?term rdfs:subClassOf ?super FILTER (isIRI(?super)) }
  }
  FILTER (STRSTARTS(STR(?term), "https://w3id.org/iadef/def/"))
}
"""

FACTS_QUERY = """
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX iadef:   <https://w3id.org/iadef/def/>
SELECT ?s ?p ?o ?source ?title ?quote WHERE {
  GRAPH ?g { ?s ?p ?o }
  ?g prov:wasDerivedFrom ?source .
  OPTIONAL { ?source dcterms:title ?title }
  OPTIONAL { ?g iadef:quote ?quote }
  FILTER (STRSTARTS(STR(?s), "https://w3id.org/iadef/id/") && STRSTARTS(STR(?p), "https://w3id.org/iadef/def/"))
}
"""


@dataclass(frozen=True)
class Fact:
    """One sourced value of a property: an entity key (``ref``) or a literal, with its source."""

    ref: str | None
    literal: Literal | None
    source: str
    title: str
    quote: str


@dataclass
class Entity:
    key: str
    label: str = ""
    names: set[str] = field(default_factory=set)  # folded
    shown: list[str] = field(default_factory=list)  # every name as written
    acronyms: list[str] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)  # ontology local names
    facts: dict[str, list[Fact]] = field(default_factory=lambda: defaultdict(list))  # property -> values


@dataclass
class OntologyTerm:
    """A class or property of the ontology."""

    id: str
    kind: str  # class or property
    labels: dict[str, str] = field(default_factory=dict)
    supers: set[str] = field(default_factory=set)

    def name(self, lang: str = "fr") -> str:
        return self.labels.get(lang) or self.labels.get("fr") or self.labels.get("en") or self.id


@dataclass
class ReconcileIndex:
    entities: dict[str, Entity] = field(default_factory=dict)
    terms: dict[str, OntologyTerm] = field(default_factory=dict)

    def ancestors(self, cls: str) -> set[str]:
        """``cls`` and every class above it."""
        seen, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.terms:
                todo.extend(self.terms[current].supers)
        return seen

    def types_of(self, entity: Entity) -> set[str]:
        return set().union(*(self.ancestors(c) for c in entity.classes)) if entity.classes else set()

    def label(self, key: str) -> str:
        entity = self.entities.get(key)
        return entity.label if entity else key

    def within(self, key: str) -> list[str]:
        """``key`` and the places that contain it (``containedInPlace``, transitively)."""
        seen, todo = [], [key]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.append(current)
            entity = self.entities.get(current)
            if entity:
                todo.extend(f.ref for f in entity.facts.get("containedInPlace", []) if f.ref)
        return seen


def _key(term: Term | None) -> str | None:
    text = str(term) if isinstance(term, URIRef) else ""
    return text.removeprefix(str(ID)) if text.startswith(str(ID)) else None


def _local(term: Term | None) -> str | None:
    text = str(term) if isinstance(term, URIRef) else ""
    return text.removeprefix(str(IADEF)) if text.startswith(str(IADEF)) else None


def build_index(engine: Engine) -> ReconcileIndex:
    """Read the index from ``engine``."""
    index = ReconcileIndex()

    def entity(key: str) -> Entity:
        return index.entities.setdefault(key, Entity(key))

    for term, kind, label, sup in engine.query(HIERARCHY_QUERY).rows:
        local = _local(term)
        if local is None:
            continue
        term_ = index.terms.setdefault(
            local, OntologyTerm(local, "class" if str(kind).endswith("Class") else "property")
        )
        if isinstance(label, Literal) and label.language:
            term_.labels[label.language] = str(label)
        if _local(sup):
            term_.supers.add(str(_local(sup)))
    for subject, cls in engine.query(TYPES_QUERY).rows:
        key, local = _key(subject), _local(cls)
        if key and local:
            entity(key).classes.add(local)
    french: dict[str, str] = {}
    for subject, name, prop in engine.query(NAMES_QUERY).rows:
        key = _key(subject)
        if key is None or name is None:
            continue
        item = entity(key)
        item.names.add(fold(str(name)))
        if str(name) not in item.shown:
            item.shown.append(str(name))
        if str(prop) == str(IADEF.acronym) and str(name) not in item.acronyms:
            item.acronyms.append(str(name))
        if str(prop).endswith("#label") and isinstance(name, Literal) and name.language == "fr":
            french[key] = str(name)
        item.label = item.label or str(name)
    for s, p, o, source, title, quote in engine.query(FACTS_QUERY).rows:
        key, local = _key(s), _local(p)
        if key is None or local is None or local == "type" or o is None:
            continue
        fact = Fact(
            ref=_key(o),
            literal=o if isinstance(o, Literal) else None,
            source=str(source).rsplit("/", 1)[-1],
            title=str(title or ""),
            quote=str(quote or ""),
        )
        if fact.ref is not None or fact.literal is not None:
            entity(key).facts[local].append(fact)
    for key, item in index.entities.items():
        item.names.add(fold(key))
        item.label = french.get(key, item.label or key)
        item.shown.sort()
        for fact_name in item.facts:
            item.facts[fact_name] = sorted(
                set(item.facts[fact_name]), key=lambda f: (f.ref or "", str(f.literal), f.source, f.quote)
            )
    return index


def index_for(project: Project, spec: StoreSpec) -> ReconcileIndex:
    """The index of the build a server serves: read from ``graph/iadef.nq`` (or from the server it names)."""
    from iadef.stores.opening import load_dataset, open_store
    from iadef.stores.rdflib_engine import RdflibEngine

    # not the store itself: a disk store opened in the server process would be inherited by the workers it forks
    engine = open_store(project, spec) if spec.kind == "endpoint" else RdflibEngine(load_dataset(project))
    try:
        return build_index(engine)
    finally:
        engine.close()
