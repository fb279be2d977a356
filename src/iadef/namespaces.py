"""The IRIs iadef mints, all under one base."""

from __future__ import annotations

from rdflib import Namespace, URIRef

BASE = "https://w3id.org/iadef/"
IADEF = Namespace(BASE + "def/")
ID = Namespace(BASE + "id/")
SOURCE = Namespace(BASE + "source/")
FACT = Namespace(BASE + "fact/")
CURATION = Namespace(BASE + "curation/")
CURATORS = URIRef(BASE + "agent/curators")
INFERRED_GRAPH = URIRef(BASE + "graph/inferred")
WIKIDATA_LINKS = URIRef(BASE + "graph/wikidata-links")
# Where `iadef push` stores the built graph's default graph (provenance) on a SPARQL server.
PROVENANCE_GRAPH = URIRef(BASE + "graph/provenance")
# The ontology, as a named graph beside the build, so that queries can follow rdfs:subClassOf*.
ONTOLOGY_GRAPH = URIRef(str(IADEF))

PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
EDTF = URIRef("http://id.loc.gov/datatypes/edtf/EDTF")

PREFIXES = {
    "iadef": IADEF,
    "id": ID,
    "source": SOURCE,
    "fact": FACT,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": Namespace("http://www.w3.org/ns/org#"),
    "schema": Namespace("https://schema.org/"),
    "foaf": Namespace("http://xmlns.com/foaf/0.1/"),
}
