"""Rule families of the extractor, each with a positive and a negative example (real fr_core_news_md model).

The sentences are test fixtures written for these tests (tests/fixtures/ingest/), not quotes of articles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iadef.curation.ontology import Ontology
from iadef.ingest.literals import Literals
from iadef.ingest.model import Proposal
from iadef.ingest.nlp import Analyzer, analyzer
from iadef.ingest.pipeline import propose
from iadef.ingest.rules import load_rules
from iadef.ingest.run import gazetteer_for
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = yaml.safe_load((ROOT / "tests/fixtures/ingest/sentences.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def french() -> Analyzer:
    return analyzer("fr")


@pytest.fixture(scope="session")
def run(french: Analyzer) -> Any:
    project = Project(ROOT)
    rules = load_rules()
    ontology = Ontology.load(project.ontology)
    gazetteer = gazetteer_for(project, rules)

    def _run(text: str, issued: str | None = None) -> Proposal:
        return propose(text, french, gazetteer, rules, ontology, {"issued": issued})

    return _run


def _triples(proposal: Proposal) -> set[tuple[str, str, str]]:
    label = {e.id: e.label for e in proposal.entities}
    return {(label[f.s], f.p, label[f.o] if f.o else str(f.v)) for f in proposal.facts}


def _props(proposal: Proposal) -> set[str]:
    return {f.p for f in proposal.facts}


def test_partnership(run: Any) -> None:
    assert "partnerOf" in _props(run(FIXTURES["partnership"]["positive"]))
    assert "partnerOf" not in _props(run(FIXTURES["partnership"]["negative"]))


def test_agreement_parties_signatories_posts_and_date(run: Any) -> None:
    proposal = run(FIXTURES["agreement"]["positive"])
    props = _props(proposal)
    assert {"signatory", "signatureDate", "holder", "post"} <= props
    assert any(f.p == "signatureDate" and f.v == "2024-04-04" for f in proposal.facts)
    assert all(f.status == "signed" for f in proposal.facts if f.p == "signatory")
    negative = _props(run(FIXTURES["agreement"]["negative"]))
    assert not {"signatory", "party", "signatureDate"} & negative


def test_contract(run: Any) -> None:
    proposal = run(FIXTURES["contract"]["positive"])
    assert {"contractor", "amount", "currency"} <= _props(proposal)
    assert any(f.p == "amount" and f.v == "12000000" for f in proposal.facts)
    assert not {"contractor", "contractingAuthority"} & _props(run(FIXTURES["contract"]["negative"]))


def test_acquisition_in_exclusive_negotiations_is_planned(run: Any) -> None:
    facts = [f for f in run(FIXTURES["acquisition"]["positive"]).facts if f.p == "owner"]
    assert facts and all(f.status == "planned" for f in facts)
    assert "owner" not in _props(run(FIXTURES["acquisition"]["negative"]))


def test_supervision(run: Any) -> None:
    assert "underSupervisionOf" in _props(run(FIXTURES["supervision"]["positive"]))
    assert "underSupervisionOf" not in _props(run(FIXTURES["supervision"]["negative"]))


def test_dates_keep_their_precision() -> None:
    literals = Literals(load_rules())
    text = FIXTURES["dates"]["positive"] + " Début avril 2024, puis le 26 avril, et le 4 avril 2024."
    values = [f.value for f in literals.dates(text, 0, len(text), "2024")]
    assert values == ["2025-23", "2025", "2024-04", "2024-04-26", "2024-04-04"]
    negative = FIXTURES["dates"]["negative"]
    assert literals.dates(negative, 0, len(negative)) == []


def test_delivery_date(run: Any) -> None:
    assert {("supercalculateur", "deliveryDate", "2025-23"), ("supercalculateur", "operationalDate", "2025")} <= (
        _triples(run(FIXTURES["dates"]["positive"]))
    )


def test_amounts(run: Any) -> None:
    assert any(f.p == "amount" and f.v == "130000000" for f in run(FIXTURES["amount"]["positive"]).facts)
    assert "amount" not in _props(run(FIXTURES["amount"]["negative"]))


def test_bylines_are_not_actors(run: Any) -> None:
    proposal = run(FIXTURES["byline"]["positive"])
    labels = {e.label for e in proposal.entities}
    assert "Jean Dupont" not in labels
    assert any(e.existing == "aid" for e in proposal.entities)


def test_acronym_definitions_tie_both_forms(run: Any) -> None:
    proposal = run(
        "L'AMIAD, l'Agence ministérielle pour l'intelligence artificielle de défense, recrute. L'AMIAD grandit."
    )
    amiad = [e for e in proposal.entities if e.existing == "amiad"]
    assert len(amiad) == 1
    texts = {m.text for m in amiad[0].mentions}
    assert {"AMIAD", "Agence ministérielle pour l'intelligence artificielle de défense"} <= texts


def test_new_entities_classed_by_head_word(run: Any) -> None:
    proposal = run("Le Laboratoire de robotique de Bourges (LRB) travaille avec la société Exail.")
    classes = {e.label: e.cls for e in proposal.entities}
    assert classes.get("Laboratoire de robotique de Bourges") == "OrganizationalUnit"


def test_every_quote_and_mention_is_verbatim(run: Any) -> None:
    for case in FIXTURES.values():
        for text in case.values():
            proposal = run(text)
            for entity in proposal.entities:
                assert all(text[m.start : m.end] == m.text for m in entity.mentions)
            for fact in proposal.facts:
                assert text[fact.start : fact.end] == fact.quote


def test_english_without_model() -> None:
    project = Project(ROOT)
    rules = load_rules()
    text = "The Defence Innovation Agency (AID) signed a partnership with Thales in Paris."
    proposal = propose(
        text, analyzer("en"), gazetteer_for(project, rules), rules, Ontology.load(project.ontology), {"issued": None}
    )
    assert any(e.existing == "aid" for e in proposal.entities)
    assert "partnerOf" in _props(proposal)


def test_english_heads_last_agreements_and_months() -> None:
    """English names put the head word last; "framework agreement" names an agreement; a month alone is
    no entity. (An invented sentence, not a quote.)"""
    project = Project(ROOT)
    rules = load_rules()
    text = "The Naval Drone Agency signed a framework agreement with Exail in Toulon on 4 April 2024."
    proposal = propose(
        text, analyzer("en"), gazetteer_for(project, rules), rules, Ontology.load(project.ontology), {"issued": None}
    )
    classes = {e.label: e.cls for e in proposal.entities}
    assert classes["Naval Drone Agency"] == "Agency"
    assert classes["framework agreement"] == "FrameworkAgreement"
    assert "April" not in classes
    label = {e.id: e.label for e in proposal.entities}
    assert ("framework agreement", "party", "Exail") in {
        (label[f.s], f.p, label[f.o]) for f in proposal.facts if f.o is not None
    }
    assert ("framework agreement", "2024-04-04") in {
        (label[f.s], f.v) for f in proposal.facts if f.p == "signatureDate"
    }
