"""Turn checked seeds into RDF: one named graph per fact, PROV-O about each graph.

Layout (documented in the README):
- each sourced fact is the only triple of its named graph ``fact:<source>/<hash>``;
  the hash is taken from the fact's content, so IRIs are stable when files are
  reordered;
- each entity's curated labels form the named graph ``curation:<key>``;
- the default graph describes the named graphs (PROV-O: ``prov:wasDerivedFrom`` the
  source document, ``iadef:quote`` with its offsets, ``iadef:status``, the seed file
  and line) and the source documents themselves;
- the ontology is the named graph ``<https://w3id.org/iadef/def/>`` (:func:`add_ontology`),
  so that the published files alone answer every catalogue query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Protocol

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef

from iadef.curation.loader import Seeds
from iadef.curation.values import parse_date
from iadef.namespaces import (
    CURATION,
    CURATORS,
    DCTERMS,
    FACT,
    IADEF,
    ID,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROV,
    SKOS,
    SOURCE,
    WIKIDATA_LINKS,
)


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


class FactContent(Protocol):
    """What :func:`fact_graph_iri` reads from a fact (a :class:`~iadef.curation.loader.Fact`, or a synthetic record)."""

    @property
    def source(self) -> _Keyed: ...
    @property
    def subject(self) -> str: ...
    @property
    def predicate(self) -> URIRef: ...
    @property
    def target(self) -> URIRef | Literal: ...
    @property
    def quote(self) -> str: ...


def fact_graph_iri(fact: FactContent) -> URIRef:
    """A stable IRI for the named graph of one fact."""
    content = "\x1f".join((fact.subject, str(fact.predicate), fact.target.n3(), fact.quote))
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]
    return FACT[f"{fact.source.key}/{digest}"]


def build_dataset(seeds: Seeds) -> Dataset:
    """The asserted dataset with its provenance."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    meta = dataset.default_graph
    meta.add((CURATORS, RDF.type, PROV.Agent))
    meta.add((CURATORS, RDFS.label, Literal("iadef curators", lang="en")))
    for source in seeds.sources.values():
        _describe_source(meta, source.key, source.fields, source.sha256, source.shown)
    for fact in seeds.facts:
        iri = fact_graph_iri(fact)
        dataset.graph(iri).add((ID[fact.subject], fact.predicate, fact.target))
        meta.add((iri, RDF.type, IADEF.Assertion))
        meta.add((iri, PROV.wasDerivedFrom, SOURCE[fact.source.key]))
        meta.add((iri, PROV.wasAttributedTo, CURATORS))
        meta.add((iri, IADEF.quote, Literal(fact.quote, datatype=XSD.string)))
        meta.add((iri, IADEF.quoteStart, Literal(fact.span[0])))
        meta.add((iri, IADEF.quoteEnd, Literal(fact.span[1])))
        meta.add((iri, IADEF.seedFile, Literal(fact.shown, datatype=XSD.string)))
        meta.add((iri, IADEF.seedLine, Literal(fact.line)))
        if fact.status is not None:
            meta.add((iri, IADEF.status, fact.status))
        if fact.note is not None:
            meta.add((iri, IADEF.curatorNote, Literal(fact.note, lang="en")))
    for record in seeds.records.values():
        iri = CURATION[record.key]
        graph = dataset.graph(iri)
        subject = ID[record.key]
        for lang, label in sorted(record.labels.items()):
            graph.add((subject, RDFS.label, Literal(label, lang=lang)))
            graph.add((subject, SKOS.prefLabel, Literal(label, lang=lang)))
        for acronym in record.acronyms:
            graph.add((subject, IADEF.acronym, Literal(acronym)))
        meta.add((iri, RDF.type, PROV.Entity))
        meta.add((iri, PROV.wasAttributedTo, CURATORS))
        meta.add((iri, IADEF.seedFile, Literal(seeds.entities_file, datatype=XSD.string)))
        meta.add((iri, IADEF.seedLine, Literal(record.line)))
    return dataset


def add_ontology(dataset: Dataset, ontology: Graph, shown: str) -> None:
    """The ontology as the named graph :data:`ONTOLOGY_GRAPH`, described in the default graph.

    The catalogue's queries read ``rdfs:subClassOf`` from that graph, so with it the
    published files answer them when loaded alone into any SPARQL store. The ontology's
    blank nodes (OWL axioms, lists) get canonical labels
    (:func:`rdflib.compare.to_canonical_graph`), so the files stay byte-identical from
    one build to the next.
    """
    from rdflib.compare import to_canonical_graph

    graph = dataset.graph(ONTOLOGY_GRAPH)
    for triple in to_canonical_graph(ontology):
        graph.add(triple)
    meta = dataset.default_graph
    meta.add((ONTOLOGY_GRAPH, RDF.type, PROV.Entity))
    meta.add((ONTOLOGY_GRAPH, PROV.wasAttributedTo, CURATORS))
    meta.add((ONTOLOGY_GRAPH, DCTERMS.source, Literal(shown)))


def _describe_source(meta: Graph, key: str, fields: Mapping[str, str], sha256: str, shown: str) -> None:
    iri = SOURCE[key]
    meta.add((iri, RDF.type, IADEF.SourceDocument))
    meta.add((iri, DCTERMS.identifier, Literal(key)))
    meta.add((iri, DCTERMS.title, Literal(fields["title"], lang=fields["language"])))
    meta.add((iri, RDFS.label, Literal(fields["title"], lang=fields["language"])))
    meta.add((iri, DCTERMS.language, Literal(fields["language"])))
    meta.add((iri, IADEF.documentKind, Literal(fields["kind"], lang="fr")))
    meta.add((iri, IADEF.originalFileName, Literal(fields["file"], datatype=XSD.string)))
    meta.add((iri, DCTERMS.source, Literal(shown)))
    meta.add((iri, IADEF.sha256, Literal(sha256, datatype=XSD.string)))
    if "issued" in fields:
        meta.add((iri, DCTERMS.issued, parse_date(fields["issued"])))
    if "publisher" in fields:
        meta.add((iri, DCTERMS.publisher, ID[fields["publisher"]]))
    if "publisher_note" in fields:
        meta.add((iri, IADEF.publisherNote, Literal(" ".join(fields["publisher_note"].split()), lang="en")))
    if "note" in fields:
        meta.add((iri, RDFS.comment, Literal(" ".join(fields["note"].split()), lang="en")))


def merged_graph(dataset: Dataset, *, links: bool = True) -> Graph:
    """All asserted facts, labels and accepted links in one graph, without provenance.

    ``links=False`` leaves out the owl:sameAs links to Wikidata: the reasoner must not
    copy our classes onto Wikidata items.
    """
    merged = Graph()
    for prefix, namespace in PREFIXES.items():
        merged.bind(prefix, namespace)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        prefixes = (str(FACT), str(CURATION), str(WIKIDATA_LINKS)) if links else (str(FACT), str(CURATION))
        if str(g).startswith(prefixes):
            merged.add((s, p, o))
    return merged
