"""`iadef build --reason`: HermiT's inferences in their own named graph and file, never
mixed with the asserted facts; an inconsistent graph or a missing Java writes nothing.
These tests run the real reasoner (Java is installed by scripts/test.sh)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, URIRef

from iadef.cli.main import main
from iadef.curation.owl import JAVA_HINT
from iadef.curation.rdfinput import parse_rdf
from iadef.namespaces import IADEF, ID, INFERRED_GRAPH, PROV
from iadef.paths import Project

from .conftest import ROOT

pytestmark = pytest.mark.slow  # each build --reason runs HermiT for a few seconds
ASSERTED = ("iadef.nq", "iadef.trig", "iadef.ttl", "manifest.json")
DOC0 = "seeds/facts/doc-000-bretagne-partenariat-armees.yaml"
CONTRADICTION = (
    "  - s: ministere-des-armees\n    p: hasSubOrganization\n    o: bruz\n"
    "    quote: 'La Région signe un partenariat avec le ministère des Armées'\n"
)


def copy_project(folder: Path) -> Project:
    for name in ("ontology", "seeds"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "graph").mkdir()
    return Project(folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def reasoned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, str]:
    """A copy of the project built once with --reason; the command's output."""
    project = copy_project(tmp_path_factory.mktemp("reasoned"))
    result = subprocess.run(
        [sys.executable, "-m", "iadef", "--root", str(project.root), "build", "--reason"],
        capture_output=True,
        text=True,
        check=True,
    )
    return project, result.stdout


@pytest.fixture(scope="module")
def inferred(reasoned: tuple[Project, str]) -> Dataset:
    return parse_rdf(reasoned[0].graph / "inferred.trig")  # our own output passes the safe reader


def test_build_reports_the_reasoning(reasoned: tuple[Project, str]) -> None:
    project, out = reasoned
    assert "  reasoned: consistent, " in out
    assert "  graph/inferred.trig  (written)" in out
    assert sorted(p.name for p in project.graph.iterdir()) == sorted([*ASSERTED, "inferred.trig"])


def test_place_hierarchy_symmetry_inverses_chain_and_classes_are_inferred(inferred: Dataset) -> None:
    graph = inferred.graph(INFERRED_GRAPH)
    expected = [
        (ID["bruz"], IADEF.containedInPlace, ID["france"]),  # transitive, through Bretagne
        (ID["mistral-ai"], IADEF.partnerOf, ID["ministere-des-armees"]),  # symmetric
        (ID["sebastien-lecornu"], IADEF.holdsPost, ID["poste-ministre-des-armees"]),  # property chain
        (ID["sebastien-lecornu"], IADEF.signed, ID["convention-armees-territoire-bretagne"]),  # inverse
        (ID["mistral-ai"], IADEF.partyTo, ID["accord-cadre-mistral-ai"]),  # inverse of an inferred value
        (ID["ministere-des-armees"], RDF.type, IADEF.Organization),  # class hierarchy
        (ID["ministere-des-armees"], RDF.type, IADEF.Actor),
        (ID["bruz"], RDF.type, IADEF.Place),
    ]
    missing = [triple for triple in expected if triple not in graph]
    assert missing == []
    # contractor is a sub-property of party, but the party is stated too since issue 13: asserted, so not inferred
    assert (ID["accord-cadre-mistral-ai"], IADEF.party, ID["mistral-ai"]) not in graph


def asserted_triples(project: Project) -> set[tuple[object, object, object]]:
    asserted = Dataset()
    asserted.parse(project.graph / "iadef.nq", format="nquads")
    return {(s, p, o) for s, p, o, _ in asserted.quads((None, None, None, None))}


def test_partnership_holds_both_ways_across_asserted_and_inferred(
    reasoned: tuple[Project, str], inferred: Dataset
) -> None:
    stated = asserted_triples(reasoned[0])
    forward = (ID["ministere-des-armees"], IADEF.partnerOf, ID["mistral-ai"])
    backward = (ID["mistral-ai"], IADEF.partnerOf, ID["ministere-des-armees"])
    assert forward in stated and backward not in stated
    assert backward in inferred.graph(INFERRED_GRAPH) and forward not in inferred.graph(INFERRED_GRAPH)


def test_inferred_triples_are_never_asserted_ones(reasoned: tuple[Project, str], inferred: Dataset) -> None:
    stated = asserted_triples(reasoned[0])
    graph = inferred.graph(INFERRED_GRAPH)
    assert len(graph) > 300
    assert [t for t in graph if t in stated] == []
    names = {str(g.identifier) for g in inferred.graphs() if len(g)}
    assert names == {str(INFERRED_GRAPH), str(inferred.default_graph.identifier)}


def test_inferred_graph_says_how_it_was_made_without_a_timestamp(inferred: Dataset) -> None:
    meta = inferred.default_graph
    activity = meta.value(INFERRED_GRAPH, PROV.wasGeneratedBy)
    assert activity == URIRef("https://w3id.org/iadef/activity/reasoning")
    assert (activity, RDF.type, PROV.Activity) in meta
    agent = meta.value(activity, PROV.wasAssociatedWith)
    assert str(meta.value(agent, RDFS.label)).startswith("HermiT OWL 2 reasoner (through owlready2 ")
    assert not [p for p in meta.predicates() if str(p).endswith(("Time", "time"))]


def test_asserted_files_are_the_same_bytes_with_or_without_reason(
    reasoned: tuple[Project, str], tmp_path: Path
) -> None:
    project, _ = reasoned
    assert main(["--root", str(project.root), "build", "--out", str(tmp_path)]) == 0
    with_reason = snapshot(project.graph)
    without = snapshot(tmp_path)
    assert sorted(without) == sorted(ASSERTED)
    assert {name: with_reason[name] for name in ASSERTED} == without


def test_reasoning_is_deterministic(reasoned: tuple[Project, str], tmp_path: Path) -> None:
    project, _ = reasoned
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    command = [sys.executable, "-m", "iadef", "--root", str(project.root), "build", "--reason", "--out", str(tmp_path)]
    subprocess.run(command, check=True, capture_output=True, env=env)
    assert snapshot(tmp_path) == snapshot(project.graph)


def test_an_inconsistent_addition_is_refused_and_nothing_is_written(
    reasoned: tuple[Project, str], scratch: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(reasoned[0].graph, scratch.graph, dirs_exist_ok=True)
    before = snapshot(scratch.graph)
    path = scratch.root / DOC0
    path.write_text(path.read_text(encoding="utf-8") + CONTRADICTION, encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(scratch.root), "build", "--reason"]) == 1
    assert capsys.readouterr().err == (
        "iadef: error: the ontology and the asserted facts are inconsistent: HermiT: inconsistent (no model "
        "satisfies all axioms and facts together)\n"
        "  hint: a recent fact or ontology change contradicts the others (disjoint classes, a functional property "
        "with two values, a domain or range): undo it or fix it; nothing was written\n"
    )
    assert snapshot(scratch.graph) == before


def test_validate_reason_reports_the_inconsistency(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch.root / DOC0
    path.write_text(path.read_text(encoding="utf-8") + CONTRADICTION, encoding="utf-8")
    assert main(["--root", str(scratch.root), "validate", "--reason"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "violation [owl-consistency] the graph: HermiT: inconsistent (no model satisfies all axioms and facts together)"
        in out
    )
    assert out[-1].startswith("validation FAILED: 1 violation(s), 1 warning(s)")  # the shapes only warn


def test_missing_java_is_a_clear_error_and_nothing_is_written(
    scratch: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    empty = tmp_path / "no-java"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert main(["--root", str(scratch.root), "build", "--reason"]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: Java is missing: the HermiT reasoner needs a `java` executable on PATH\n  hint: {JAVA_HINT}\n"
    )
    assert list(scratch.graph.iterdir()) == []


def test_a_plain_build_says_when_the_inferred_file_is_stale(
    reasoned: tuple[Project, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    project = copy_project(tmp_path / "copy")
    shutil.copytree(reasoned[0].graph, project.graph, dirs_exist_ok=True)
    entities = project.root / "seeds" / "entities.yaml"
    entities.write_text(
        entities.read_text(encoding="utf-8").replace("en: French State", "en: The French State"), encoding="utf-8"
    )
    assert main(["--root", str(project.root), "build"]) == 0
    out = capsys.readouterr().out
    assert "  note: graph/inferred.trig was inferred from the previous graph: run `iadef build --reason`" in out


def test_asserted_and_inferred_together_pass_validation(
    reasoned: tuple[Project, str], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = reasoned
    files = [str(project.graph / "iadef.nq"), str(project.graph / "inferred.trig")]
    assert main(["--root", str(project.root), "validate", *files]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("validation ok: 0 violation(s), ")  # entailed superclasses are not a second class
    assert all(" warning [" in line for line in out[:-1])  # inverse values, stated by the reasoner
