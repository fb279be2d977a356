"""The real ontology: every term documented in French and English, required classes present."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from iadef.curation.ontology import Ontology
from iadef.namespaces import IADEF

REQUIRED_CLASSES = [
    "Ministry",
    "Region",
    "Agency",
    "Company",
    "Convention",
    "PublicEstablishment",
    "Directorate",
    "MilitaryCommand",
    "Cluster",
    "State",
    "Person",
    "Post",
    "Mandate",
    "Place",
    "City",
    "Territory",
    "Site",
    "FrameworkAgreement",
    "Contract",
    "Roadmap",
    "Law",
    "Plan",
    "Budget",
    "Facility",
    "Product",
    "Event",
    "SourceDocument",
]


def _terms(graph: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    found = {s for kind in kinds for s in graph.subjects(RDF.type, kind) if str(s).startswith(str(IADEF))}
    return sorted(URIRef(s) for s in found)


def test_required_classes_exist(project) -> None:
    ontology = Ontology.load(project.ontology)
    missing = [name for name in REQUIRED_CLASSES if name not in ontology.classes]
    assert missing == []


def test_every_term_has_french_and_english_label_and_a_definition(project) -> None:
    ontology = Ontology.load(project.ontology)
    graph = ontology.graph
    problems = []
    for term in _terms(graph):
        labels = {lit.language for lit in graph.objects(term, RDFS.label) if isinstance(lit, Literal)}
        if not {"fr", "en"} <= labels:
            problems.append(f"{term}: labels {sorted(filter(None, labels))}")
        if not list(graph.objects(term, RDFS.comment)):
            problems.append(f"{term}: no rdfs:comment")
    assert problems == []


def test_terms_follow_naming_conventions(project) -> None:
    ontology = Ontology.load(project.ontology)
    assert all(name[0].isupper() for name in ontology.classes)
    assert all(name[0].islower() for name in ontology.properties)


@pytest.mark.parametrize("term", ["partnerOf", "near"])
def test_symmetric_properties_are_declared(project, term: str) -> None:
    graph = Ontology.load(project.ontology).graph
    assert (IADEF[term], RDF.type, OWL.SymmetricProperty) in graph


def test_alignment_with_w3c_vocabularies(project) -> None:
    graph = Ontology.load(project.ontology).graph
    parents = {str(o) for o in graph.objects(IADEF.Organization, RDFS.subClassOf)}
    assert "http://www.w3.org/ns/org#Organization" in parents
    assert "https://schema.org/Organization" in parents
    assert "http://xmlns.com/foaf/0.1/Organization" in parents
    assert "http://www.w3.org/ns/prov#Organization" in parents
