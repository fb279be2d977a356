"""The seed graph says what the five documents say (assertions on real content)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import XSD

from iadef.namespaces import IADEF, ID, SKOS


def objects(graph: Graph, subject: str, prop: str) -> set[str]:
    return {
        str(o)[len(ID) :] if str(o).startswith(str(ID)) else str(o) for o in graph.objects(ID[subject], IADEF[prop])
    }


def subjects(graph: Graph, prop: str, obj: str) -> set[str]:
    return {str(s)[len(ID) :] for s in graph.subjects(IADEF[prop], ID[obj])}


def test_bretagne_convention(merged: Graph) -> None:
    conv = "convention-armees-territoire-bretagne"
    assert (ID[conv], RDF.type, IADEF.Convention) in merged
    assert objects(merged, conv, "party") == {"region-bretagne", "ministere-des-armees"}
    assert objects(merged, conv, "signatory") == {"loig-chesnais-girard", "sebastien-lecornu"}
    assert Literal("2024-04-04", datatype=XSD.date) in set(merged.objects(ID[conv], IADEF.signatureDate))
    assert len(objects(merged, conv, "objective")) >= 4


def test_one_ministry_node_with_both_names(merged: Graph) -> None:
    names = {str(o) for o in merged.objects(ID["ministere-des-armees"], SKOS.altLabel)}
    assert {"ministère des Armées", "ministère des Armées et des Anciens combattants"} <= names
    ministries = set(merged.subjects(RDF.type, IADEF.Ministry))
    assert ministries == {ID["ministere-des-armees"]}


def test_amiad_two_sites(merged: Graph) -> None:
    assert objects(merged, "amiad", "hasSite") == {"site-dga-mi-bruz", "site-ecole-polytechnique"}
    assert objects(merged, "site-dga-mi-bruz", "containedInPlace") == {"bruz"}
    assert objects(merged, "site-dga-mi-bruz", "operatedBy") == {"dga-mi"}
    assert objects(merged, "bruz", "containedInPlace") == {"bretagne"}
    assert "AMIAD" in {str(a) for a in merged.objects(ID["amiad"], IADEF.acronym)}


def test_supercomputer_contract(merged: Graph) -> None:
    contract = "contrat-supercalculateur-classifie"
    assert objects(merged, contract, "contractor") == {"groupement-hpe-orange"}
    assert objects(merged, contract, "deliverable") == {"supercalculateur-classifie-ia"}
    assert subjects(merged, "memberOf", "groupement-hpe-orange") == {"hewlett-packard-enterprise", "orange"}
    assert objects(merged, "supercalculateur-classifie-ia", "location") == {"mont-valerien"}
    assert objects(merged, "mont-valerien", "containedInPlace") == {"suresnes"}


def test_mistral_framework_agreement(merged: Graph) -> None:
    agreement = "accord-cadre-mistral-ai"
    assert (ID[agreement], RDF.type, IADEF.FrameworkAgreement) in merged
    assert objects(merged, agreement, "contractor") == {"mistral-ai"}
    assert objects(merged, agreement, "pilotedBy") == {"amiad"}
    assert {"cea", "onera", "shom"} <= objects(merged, agreement, "beneficiary")
    for establishment in ("cea", "onera", "shom"):
        assert objects(merged, establishment, "underSupervisionOf") == {"ministere-des-armees"}


def test_aura_roadmap_signed_at_bluecime_in_grenoble(merged: Graph) -> None:
    roadmap = "feuille-de-route-ia-etat-region-aura"
    assert (ID[roadmap], RDF.type, IADEF.Roadmap) in merged
    assert objects(merged, roadmap, "party") == {"etat-francais", "region-auvergne-rhone-alpes"}
    places = objects(merged, roadmap, "signedAt") | {
        p for e in subjects(merged, "agreementOf", roadmap) for p in objects(merged, e, "location")
    }
    assert "locaux-bluecime-grenoble" in places
    assert objects(merged, "locaux-bluecime-grenoble", "containedInPlace") == {"grenoble"}
    assert objects(merged, "bluecime", "location") == {"grenoble"}


@pytest.mark.parametrize(
    ("budget", "amount", "start", "end"),
    [
        ("budget-ia-defense-lfi-2024", "130000000", "2024", "2024"),
        ("budget-ia-defense-lpm-2024-2030", "2000000000", "2024", "2030"),
        ("budget-france-2030", "54000000000", None, None),
        ("budget-france-2030-ia", "1500000000", None, None),
    ],
)
def test_budgets(merged: Graph, budget: str, amount: str, start: str | None, end: str | None) -> None:
    amounts = [o.toPython() for o in merged.objects(ID[budget], IADEF.amount)]
    assert amounts == [Decimal(amount)]
    assert [str(c) for c in merged.objects(ID[budget], IADEF.currency)] == ["EUR"]
    if start is not None:
        assert {str(o) for o in merged.objects(ID[budget], IADEF.periodStart)} == {start}
        assert {str(o) for o in merged.objects(ID[budget], IADEF.periodEnd)} == {end}


def test_france_2030_ai_share_is_part_of_the_whole(merged: Graph) -> None:
    assert objects(merged, "budget-france-2030-ia", "partOf") == {"budget-france-2030"}


def test_posts_and_mandates(merged: Graph) -> None:
    mandate = "mandat-lecornu-ministre-armees"
    assert objects(merged, mandate, "holder") == {"sebastien-lecornu"}
    assert objects(merged, mandate, "post") == {"poste-ministre-des-armees"}
    assert objects(merged, "poste-ministre-des-armees", "postIn") == {"ministere-des-armees"}


def test_dates_keep_their_precision(merged: Graph) -> None:
    datatypes = {o.datatype for o in merged.objects(None, None) if isinstance(o, Literal)}
    assert {XSD.date, XSD.gYearMonth, XSD.gYear, XSD.gMonthDay} <= datatypes
    autumn = [o for o in merged.objects(ID["supercalculateur-classifie-ia"], IADEF.deliveryDate)]
    assert [str(o) for o in autumn] == ["2025-23"]  # EDTF season: autumn 2025


def test_every_entity_has_french_label_and_a_type(merged: Graph, seeds) -> None:
    for key in seeds.records:
        labels = {o.language for o in merged.objects(ID[key], SKOS.prefLabel)}
        assert "fr" in labels, key
        assert list(merged.objects(ID[key], RDF.type)), key


def test_every_fact_quote_occurs_in_its_document(seeds) -> None:
    for fact in seeds.facts:
        start, end = fact.span
        assert " ".join(fact.source.text[start:end].split()) == fact.quote


def test_every_document_contributes_facts(seeds) -> None:
    assert {fact.source.key for fact in seeds.facts} == set(seeds.sources)


def test_status_recorded_where_the_text_says_so(dataset) -> None:
    statuses = {str(o)[len(IADEF) :] for o in dataset.default_graph.objects(None, IADEF.status)}
    assert {"Planned", "Signed"} <= statuses


def test_no_blank_nodes(dataset) -> None:
    """Curated data has stable IRIs; the only blank nodes are the OWL axioms of the ontology graph."""
    from rdflib import BNode

    from iadef.curation.seedlines import graph_name
    from iadef.namespaces import ONTOLOGY_GRAPH

    for quad in dataset.quads((None, None, None, None)):
        if graph_name(quad[3]) != ONTOLOGY_GRAPH:
            assert not any(isinstance(term, BNode) for term in quad[:3])


def test_sources_have_metadata(dataset) -> None:
    from iadef.namespaces import DCTERMS, SOURCE

    meta = dataset.default_graph
    for key in ("doc-000-bretagne-partenariat-armees", "doc-002-supercalculateur-classifie-ia"):
        assert meta.value(SOURCE[key], DCTERMS.title) is not None
        assert str(meta.value(SOURCE[key], DCTERMS.language)) == "fr"
        assert meta.value(SOURCE[key], IADEF.originalFileName) is not None
    issued = meta.value(SOURCE["doc-002-supercalculateur-classifie-ia"], DCTERMS.issued)
    assert issued == Literal("2024-10-24", datatype=XSD.date)
    assert meta.value(SOURCE["doc-002-supercalculateur-classifie-ia"], DCTERMS.publisher) == URIRef(
        ID["ministere-des-armees"]
    )
