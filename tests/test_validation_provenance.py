"""Validation faults the loader cannot make (labels, classes, provenance, tampered in the
built dataset), and the commands: `iadef validate`, `iadef validate FILE`, and `iadef build`
refusing a graph that fails validation."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef

from iadef.cli.main import main
from iadef.curation.dataset import build_dataset
from iadef.curation.loader import Seeds
from iadef.curation.ontology import Ontology
from iadef.curation.validation import Report, load_shapes, validate_dataset
from iadef.namespaces import CURATION, IADEF, ID, PROV, SKOS
from iadef.paths import Project

from .conftest import ROOT
from .test_validation import DOC0, ENTITIES, add_entity, append, fact, line_of, lines

# ------------------------------------------------------------------ labels, types and provenance, in memory
# The loader cannot produce these faults (it requires a French label, one class per
# entity, and writes the provenance itself), so they are made in the built dataset.


def _graphs_with(dataset: Dataset, triple: tuple[URIRef, URIRef, URIRef]) -> list[URIRef]:
    return sorted(
        URIRef(str(g.identifier))
        for g in dataset.graphs()
        if triple in g and g.identifier != dataset.default_graph.identifier
    )


def _drop_fact(dataset: Dataset, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    """Remove every fact graph stating ``triple``, with its description."""
    for name in _graphs_with(dataset, triple):
        dataset.remove_graph(dataset.graph(name))
        dataset.default_graph.remove((name, None, None))


@pytest.fixture(scope="module")
def tampered(seeds: Seeds, project: Project) -> tuple[Report, dict[str, URIRef]]:
    dataset = build_dataset(seeds)
    meta = dataset.default_graph
    bruz, rennes, near = ID["bruz"], ID["rennes"], IADEF.near
    dataset.graph(CURATION["bruz"]).remove((bruz, RDFS.label, None))
    dataset.graph(CURATION["rennes"]).add((rennes, SKOS.prefLabel, Literal("Roazhon", lang="fr")))
    meta.remove((CURATION["rennes"], PROV.wasAttributedTo, None))
    _drop_fact(dataset, (ID["ia-de-defense"], RDF.type, IADEF.Topic))
    typed = _graphs_with(dataset, (rennes, RDF.type, IADEF.City))[0]
    dataset.graph(typed).add((rennes, RDF.type, IADEF.Country))
    graphs = {
        "near": _graphs_with(dataset, (bruz, near, rennes))[0],
        "party": _graphs_with(
            dataset, (ID["convention-armees-territoire-bretagne"], IADEF.party, ID["region-bretagne"])
        )[0],
        "containedInPlace": _graphs_with(dataset, (bruz, IADEF.containedInPlace, ID["bretagne"]))[0],
        "typed": typed,
    }
    meta.remove((graphs["near"], IADEF.quote, None))
    meta.remove((graphs["party"], PROV.wasDerivedFrom, None))
    meta.remove((graphs["containedInPlace"], RDF.type, IADEF.Assertion))
    meta.add((bruz, near, ID["rennes"]))
    dataset.graph(URIRef("http://example.org/g")).add((bruz, near, ID["france"]))
    ontology = Ontology.load(project.ontology)
    return validate_dataset(dataset, ontology.graph, load_shapes(project)), graphs


def _seed_line(seeds: Seeds, graph: URIRef) -> str:
    """``file:line`` the default graph records for a fact graph (in a fresh, untampered build)."""
    meta = build_dataset(seeds).default_graph
    return f"{meta.value(graph, IADEF.seedFile)}:{meta.value(graph, IADEF.seedLine)}"


def test_label_shapes_catch_a_missing_and_a_second_label(
    tampered: tuple[Report, dict[str, URIRef]], project: Project
) -> None:
    report, _ = tampered
    bruz, rennes = line_of(project, ENTITIES, "bruz"), line_of(project, ENTITIES, "rennes")
    assert (
        f"{ENTITIES}:{bruz}: violation [Labelled-label] bruz: an entity needs a French rdfs:label "
        "(label: {fr: ...} in seeds/entities.yaml) (found 0)"
    ) in lines(report)
    assert (
        f"{ENTITIES}:{rennes}: violation [Labelled-prefLabel-unique] rennes: an entity has at most one skos:prefLabel "
        "per language"
    ) in lines(report)


def test_type_shape_catches_a_missing_and_a_second_class(
    tampered: tuple[Report, dict[str, URIRef]], project: Project, seeds: Seeds
) -> None:
    report, graphs = tampered
    topic = line_of(project, ENTITIES, "ia-de-defense")
    assert (
        f"{ENTITIES}:{topic}: violation [Typed-count] ia-de-defense: an entity has exactly one class (rdf:type)"
        " (found 0)" in lines(report)
    )
    typed = _seed_line(seeds, graphs["typed"])
    assert (
        f"{typed}: violation [Typed-count] rennes: an entity has exactly one class (rdf:type)"
        " (found 2: iadef:City, iadef:Country)" in lines(report)
    )


def test_provenance_rules_catch_each_missing_piece(
    tampered: tuple[Report, dict[str, URIRef]], project: Project, seeds: Seeds
) -> None:
    report, graphs = tampered
    got = lines(report)

    def at(name: str) -> str:
        return f"{_seed_line(seeds, graphs[name])}: violation"

    def short(name: str) -> str:
        return "fact:" + str(graphs[name]).removeprefix("https://w3id.org/iadef/fact/")

    assert (
        f"{at('near')} [Assertion-quote] {short('near')}: a fact has exactly one non-empty verbatim quote"
        " (iadef:quote) (found 0)" in got
    )
    assert (
        f"{at('party')} [Assertion-source] {short('party')}: a fact is derived from exactly one source document "
        "(prov:wasDerivedFrom) (found 0)"
    ) in got
    assert (
        f"{at('containedInPlace')} [provenance] {short('containedInPlace')}: fact graph is not described by an "
        "iadef:Assertion with its source and quote in the default graph"
    ) in got
    assert f"{at('typed')} [provenance] {short('typed')}: a fact graph holds exactly one triple (found 2)" in got
    rennes = line_of(project, ENTITIES, "rennes")
    assert (
        f"{ENTITIES}:{rennes}: violation [provenance] <https://w3id.org/iadef/curation/rennes>: curated labels are not "
        "attributed to anyone (prov:wasAttributedTo)"
    ) in got
    assert (
        "violation [provenance] <http://example.org/g>: named graph of 1 triple(s) with no provenance in the default "
        "graph (prov:wasGeneratedBy, wasDerivedFrom, wasAttributedTo)"
    ) in got
    fresh = build_dataset(seeds)
    declared = min(_seed_line(seeds, g) for g in _graphs_with(fresh, (ID["bruz"], RDF.type, IADEF.City)))
    assert f"{declared}: violation [provenance] bruz: facts stated in the default graph, without a source" in got


# ------------------------------------------------------------------ the commands


def test_build_refuses_a_graph_that_fails_validation(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(scratch.root), "build"]) == 0
    before = {p.name: p.read_bytes() for p in scratch.graph.iterdir()}
    line = append(scratch, DOC0, fact("mandat-lecornu-ministre-armees", "holder", "loig-chesnais-girard"))
    capsys.readouterr()
    assert main(["--root", str(scratch.root), "build"]) == 1
    assert capsys.readouterr().err == (
        f"iadef: error: {DOC0}:{line}: violation [Mandate-holder]"
        " mandat-lecornu-ministre-armees: a mandate has exactly "
        "one holder (found 2: loig-chesnais-girard, sebastien-lecornu)\n"
        "  hint: fix the seed at that line; `iadef validate` lists every problem; nothing was written\n"
    )
    assert {p.name: p.read_bytes() for p in scratch.graph.iterdir()} == before


def test_build_into_an_empty_folder_writes_nothing_on_a_violation(scratch: Project) -> None:
    append(scratch, DOC0, fact("mandat-lecornu-ministre-armees", "holder", "loig-chesnais-girard"))
    assert main(["--root", str(scratch.root), "build"]) == 1
    assert list(scratch.graph.iterdir()) == []


def test_validate_command_prints_the_report_and_exits_1(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = append(scratch, DOC0, fact("mandat-lecornu-ministre-armees", "holder", "loig-chesnais-girard"))
    assert main(["--root", str(scratch.root), "validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"{DOC0}:{line}: violation [Mandate-holder] mandat-lecornu-ministre-armees: a mandate has exactly one holder "
        "(found 2: loig-chesnais-girard, sebastien-lecornu)"
    )
    assert out[1].startswith("validation FAILED: 1 violation(s), 0 warning(s) over ")


def test_a_warning_does_not_stop_the_build(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = add_entity(scratch, "poste-sans-organisation", "Post")
    assert main(["--root", str(scratch.root), "build"]) == 0
    out = capsys.readouterr().out
    assert "  validated: no violation, 1 warning(s)" in out
    assert (
        f"    {DOC0}:{line}: warning [Post-postIn] poste-sans-organisation: a post should be in exactly one "
        "organisation (postIn) (found 0)"
    ) in out


def test_validate_files_checks_a_built_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "build", "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["--root", str(ROOT), "validate", str(tmp_path / "iadef.nq")]) == 0
    assert capsys.readouterr().out.startswith("validation ok: 0 violation(s), 0 warning(s)")


def test_validate_files_locates_problems_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mandate.ttl"
    path.write_text(
        "@prefix iadef: <https://w3id.org/iadef/def/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://w3id.org/iadef/id/m> a iadef:Mandate ; rdfs:label "m"@fr ; skos:prefLabel "m"@fr .\n',
        encoding="utf-8",
    )
    assert main(["--root", str(ROOT), "validate", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        f"{path}: violation [Mandate-holder] m: a mandate has exactly one holder (found 0)",
        f"{path}: violation [Mandate-post] m: a mandate has exactly one post (found 0)",
        f"{path}: violation [provenance] m: facts stated in the default graph, without a source",
    ]


def test_validate_refuses_an_unsafe_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<r>&e;</r>\n')
    assert main(["--root", str(ROOT), "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"iadef: error: {path}:2: RDF/XML with a <!DOCTYPE> declaration is refused")


def test_missing_and_malformed_shapes(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = scratch.root / "ontology" / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\nish:Broken a sh:NodeShape , , .\n", encoding="utf-8")
    assert main(["--root", str(scratch.root), "build"]) == 1
    assert capsys.readouterr().err.startswith("iadef: error: ontology/shapes.ttl: malformed Turtle")
    shapes.unlink()
    assert main(["--root", str(scratch.root), "validate"]) == 1
    assert capsys.readouterr().err == (
        "iadef: error: ontology/shapes.ttl: shapes file not found\n"
        "  hint: restore it: git checkout ontology/shapes.ttl\n"
    )
    assert list(scratch.graph.iterdir()) == []
