"""The IRIs iadef mints, all under one base."""

from __future__ import annotations

from rdflib import Namespace, URIRef

from iadef import iris

BASE = iris.BASE
IADEF = Namespace(iris.IADEF)
ID = Namespace(iris.ID)
SOURCE = Namespace(iris.SOURCE)
FACT = Namespace(iris.FACT)
CURATION = Namespace(iris.CURATION)
CURATORS = URIRef(BASE + "agent/curators")
INFERRED_GRAPH = URIRef(BASE + "graph/inferred")
WIKIDATA_LINKS = URIRef(BASE + "graph/wikidata-links")
# Where `iadef push` stores the built graph's default graph (provenance) on a SPARQL server.
PROVENANCE_GRAPH = URIRef(BASE + "graph/provenance")
# The ontology, as a named graph beside the build, so that queries can follow rdfs:subClassOf*.
ONTOLOGY_GRAPH = URIRef(iris.ONTOLOGY_GRAPH)

PROV = Namespace(iris.PROV)
SKOS = Namespace(iris.SKOS)
DCTERMS = Namespace(iris.DCTERMS)
EDTF = URIRef("http://id.loc.gov/datatypes/edtf/EDTF")

PREFIXES = {prefix: Namespace(namespace) for prefix, namespace in iris.PREFIXES.items()}
