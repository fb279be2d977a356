"""The IRIs iadef mints and reads, as plain strings, for code that does not load rdflib.

:mod:`iadef.namespaces` builds rdflib's ``Namespace`` and ``URIRef`` objects from these;
the reading path of ``iadef query`` on pyoxigraph (engine, answers, tables) uses the
strings, so that it runs without importing rdflib (about 50 ms of a 0.1 s command).
"""

from __future__ import annotations

BASE = "https://w3id.org/iadef/"
IADEF = BASE + "def/"
ID = BASE + "id/"
SOURCE = BASE + "source/"
FACT = BASE + "fact/"
CURATION = BASE + "curation/"
# The ontology, as a named graph beside the build, so that queries can follow rdfs:subClassOf*.
ONTOLOGY_GRAPH = IADEF

PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD_STRING = XSD + "string"
XSD_DECIMAL = XSD + "decimal"

PREFIXES = {
    "iadef": IADEF,
    "id": ID,
    "source": SOURCE,
    "fact": FACT,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}
