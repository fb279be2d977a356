"""The invented sentences of tests/fixtures/ingest/sentences.yaml, proposed on the real model.

Test material, not sources: see tests/fixtures/ingest/README.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from iadef.curation.ontology import Ontology
from iadef.ingest.model import Proposal
from iadef.ingest.nlp import analyzer
from iadef.ingest.pipeline import propose
from iadef.ingest.rules import load_rules
from iadef.ingest.run import gazetteer_for
from iadef.paths import Project

ROOT = Path(__file__).resolve().parents[1]
FIXTURES: dict[str, dict[str, str]] = yaml.safe_load(
    (ROOT / "tests/fixtures/ingest/sentences.yaml").read_text(encoding="utf-8")
)


def case_runner(issued: str | None = None) -> Callable[[str, str], Proposal]:
    """Propose each case with the graph's gazetteer, the model loaded once (``issued``: the article's date)."""
    project = Project(ROOT)
    rules = load_rules()
    ontology = Ontology.load(project.ontology)
    gazetteer = gazetteer_for(project, rules)
    french = analyzer("fr")

    def run(case: str, side: str) -> Proposal:
        return propose(FIXTURES[case][side], french, gazetteer, rules, ontology, {"issued": issued})

    return run


def triples(proposal: Proposal) -> set[tuple[str, str, str]]:
    """(subject label, property, object label) of every entity-to-entity fact."""
    label = {e.id: e.label for e in proposal.entities}
    return {(label[f.s], f.p, label[f.o]) for f in proposal.facts if f.o is not None}


def values(proposal: Proposal, prop: str) -> set[tuple[str, str]]:
    """(subject label, value) of every fact of ``prop`` with a literal value."""
    label = {e.id: e.label for e in proposal.entities}
    return {(label[f.s], str(f.v)) for f in proposal.facts if f.p == prop and f.v is not None}


def grounded(proposal: Proposal) -> None:
    """Every quote and mention is the article's text at its offsets."""
    for fact in proposal.facts:
        assert proposal.text[fact.start : fact.end] == fact.quote, fact
    for entity in proposal.entities:
        for mention in entity.mentions:
            assert proposal.text[mention.start : mention.end] == mention.text, mention
