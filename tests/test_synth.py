"""The synthetic graphs of benchmarks/synth.py have the shape of the real build.

One ~10^4-quad synthetic project (graph, ontology, queries, and the generated source texts)
is written once; the tests check it the way the real graph is checked: SHACL shapes and
provenance rules, the ``*-violation`` queries, every other named query, the build's own
serialiser and IRI minting, quotes at their offsets in their documents, determinism, size.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import RDF, Dataset, Literal, URIRef

from iadef.cli.main import main
from iadef.curation.dataset import fact_graph_iri
from iadef.curation.ontology import Ontology
from iadef.curation.validation import load_shapes, validate_dataset
from iadef.namespaces import DCTERMS, FACT, IADEF, ID, PROV, SOURCE
from iadef.output import nquads
from iadef.paths import Project
from iadef.sparql.answer import Engine
from iadef.sparql.catalogue import NamedQuery, bind, execute, load_catalogue, parse_param_args
from iadef.sparql.guard import check
from iadef.stores.opening import open_engine

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "synth.py"
SIZE = 10_000
CATALOGUE = load_catalogue(ROOT / "queries")
CHECKS = sorted(name for name, query in CATALOGUE.items() if query.is_check)


def _offline(query: NamedQuery) -> bool:
    try:
        check(query.text, name=query.name)
    except Exception:  # refused: SERVICE or FROM, it needs the network
        return False
    return True


OTHERS = sorted(name for name, query in CATALOGUE.items() if not query.is_check and _offline(query))


def _load_synth() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synth", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module
    spec.loader.exec_module(module)
    return module


synth = _load_synth()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, Any]]:
    root = tmp_path_factory.mktemp("synth")
    summary = synth.generate(SIZE, root, documents=True)
    return Project(root), summary


@pytest.fixture(scope="module")
def dataset(generated: tuple[Project, dict[str, Any]]) -> Dataset:
    data = Dataset()
    data.parse(generated[0].graph / "iadef.nq", format="nquads")
    return data


@pytest.fixture(scope="module")
def engines(generated: tuple[Project, dict[str, Any]]) -> Iterator[dict[str, Engine]]:
    found = {name: open_engine(generated[0], name) for name in ("rdflib", "oxigraph")}
    yield found
    for engine in found.values():
        engine.close()


def _facts(dataset: Dataset) -> Iterator[tuple[URIRef, Any, Any, Any]]:
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if str(g).startswith(str(FACT)):
            yield URIRef(str(g)), s, p, o


# ------------------------------------------------------------------ size and determinism


def test_size_is_within_ten_percent(generated: tuple[Project, dict[str, Any]]) -> None:
    project, summary = generated
    lines = (project.graph / "iadef.nq").read_bytes().count(b"\n")
    assert lines == summary["quads"]
    assert abs(lines - SIZE) <= SIZE // 10, lines


def test_same_bytes_in_process_and_under_other_hash_seeds(
    generated: tuple[Project, dict[str, Any]], tmp_path: Path
) -> None:
    expected = (generated[0].graph / "iadef.nq").read_bytes()
    synth.generate(SIZE, tmp_path / "again")
    assert (tmp_path / "again" / "graph" / "iadef.nq").read_bytes() == expected
    for seed in ("0", "12345"):
        out = tmp_path / f"hash-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, str(SCRIPT), "--triples", str(SIZE), "--out", str(out)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "wrote" in done.stdout
        assert (out / "graph" / "iadef.nq").read_bytes() == expected
        assert (out / "synth.json").read_bytes() == (generated[0].root / "synth.json").read_bytes()


def test_another_seed_gives_another_graph(generated: tuple[Project, dict[str, Any]], tmp_path: Path) -> None:
    synth.generate(SIZE, tmp_path, seed=2)
    assert (tmp_path / "graph" / "iadef.nq").read_bytes() != (generated[0].graph / "iadef.nq").read_bytes()


# ------------------------------------------------------------------ the build's shape


def test_shapes_and_provenance_rules_hold(generated: tuple[Project, dict[str, Any]], dataset: Dataset) -> None:
    project = generated[0]
    ontology = Ontology.load(project.ontology)
    report = validate_dataset(dataset, ontology.graph, load_shapes(project))
    assert report.conforms, report.text()
    assert not report.problems, report.text()


def test_lines_are_those_the_build_writes(generated: tuple[Project, dict[str, Any]], dataset: Dataset) -> None:
    ours = (generated[0].graph / "iadef.nq").read_text(encoding="utf-8").splitlines()
    assert sorted(ours) == nquads(dataset).decode("utf-8").splitlines()


def test_fact_graphs_are_minted_as_the_build_mints_them(dataset: Dataset) -> None:
    meta = dataset.default_graph
    facts = list(_facts(dataset))
    assert len(facts) > SIZE // 20
    for graph, s, p, o in facts:
        source = meta.value(graph, PROV.wasDerivedFrom)
        quote = meta.value(graph, IADEF.quote)
        assert source is not None and quote is not None, graph
        fact = synth._Mint(
            synth._Key(str(source).removeprefix(str(SOURCE))), str(s).removeprefix(str(ID)), p, o, str(quote)
        )
        assert fact_graph_iri(fact) == graph


def test_quotes_are_at_their_offsets_in_their_documents(
    generated: tuple[Project, dict[str, Any]], dataset: Dataset
) -> None:
    meta = dataset.default_graph
    texts: dict[URIRef, str] = {}
    for source in meta.subjects(DCTERMS.identifier, None):
        path = generated[0].root / str(meta.value(source, DCTERMS.source))
        raw = path.read_bytes()
        assert hashlib.sha256(raw).hexdigest() == str(meta.value(source, IADEF.sha256))
        assert path.name == str(meta.value(source, IADEF.originalFileName))
        texts[URIRef(str(source))] = raw.decode("utf-8")
    checked = 0
    for graph in meta.subjects(RDF.type, IADEF.Assertion):
        text = texts[URIRef(str(meta.value(graph, PROV.wasDerivedFrom)))]
        quote = str(meta.value(graph, IADEF.quote))
        start, end = (int(meta.value(graph, p)) for p in (IADEF.quoteStart, IADEF.quoteEnd))  # type: ignore[arg-type]
        assert text[start:end] == quote
        assert text.find(quote) == start  # the first occurrence, as the seed loader finds it
        checked += 1
    assert checked == len(list(_facts(dataset)))


def test_vocabulary_and_proportions_follow_the_real_graph(generated: tuple[Project, dict[str, Any]]) -> None:
    real = synth.profile(ROOT / "graph" / "iadef.nq")
    ours = synth.profile(generated[0].graph / "iadef.nq")
    assert set(ours["facts"]) >= set(real["facts"]), sorted(set(real["facts"]) - set(ours["facts"]))
    assert set(ours["classes"]) >= set(real["classes"]), sorted(set(real["classes"]) - set(ours["classes"]))
    for kind in ("default", "fact", "curation"):
        share = ours["graphs"][kind] / sum(ours["graphs"].values())
        expected = real["graphs"][kind] / sum(real["graphs"].values())
        assert abs(share - expected) < 0.05, (kind, share, expected)


def test_a_few_hubs_and_many_small_actors(generated: tuple[Project, dict[str, Any]]) -> None:
    parameters = generated[1]["parameters"]
    assert parameters["hub"]["degree"] >= 3 * parameters["actor"]["degree"]
    assert parameters["hub"]["class"] in ("Ministry", "ArmedForces")


def test_places_form_a_hierarchy(engines: dict[str, Engine]) -> None:
    answer = engines["oxigraph"].query(
        """
        PREFIX iadef: <https://w3id.org/iadef/def/>
        SELECT ?place ?class WHERE {
          VALUES (?class ?up) { (iadef:Site iadef:City) (iadef:City iadef:Territory) (iadef:Territory iadef:Country) }
          GRAPH ?t { ?place a ?class }
          FILTER NOT EXISTS { GRAPH ?c { ?place iadef:containedInPlace ?parent } GRAPH ?u { ?parent a ?up } }
        }
        """
    )
    assert answer.rows == ()


def test_dates_keep_several_precisions(dataset: Dataset) -> None:
    kinds = {o.datatype for _, _, p, o in _facts(dataset) if isinstance(o, Literal) and p == IADEF.signatureDate}
    kinds |= {o.datatype for _, _, p, o in _facts(dataset) if isinstance(o, Literal) and p == IADEF.attestedOn}
    assert len(kinds) >= 3, kinds


# ------------------------------------------------------------------ the named queries


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("name", CHECKS)
def test_violation_queries_return_no_rows(engines: dict[str, Engine], engine: str, name: str) -> None:
    query = CATALOGUE[name]
    answer = execute(check(query.text, name=name), engines[engine], {})
    assert answer.rows == (), answer.rows[:3]


def _values(query: NamedQuery, parameters: dict[str, Any], which: int) -> dict[str, str]:
    """Parameters bound to a mid-degree actor (which=0) or a hub (which=1), by the names users type."""
    words = query.example.split()
    example = parse_param_args([w for i, w in enumerate(words[1:]) if words[i] == "--param"])
    values: dict[str, str] = {}
    for p in query.parameters:
        if p.kind in ("actor", "entity"):
            values[p.name] = parameters[("actor", "hub")[which]]["label"]
        elif p.kind == "place":
            values[p.name] = parameters[("city", "territory")[which]]["label"]
        elif p.kind == "class":
            values[p.name] = ("Company", "Organization")[which]
        else:
            values[p.name] = example[p.name]
    return values


@pytest.mark.parametrize("which", [0, 1], ids=["mid", "hub"])
@pytest.mark.parametrize("name", OTHERS)
def test_other_queries_return_rows(
    generated: tuple[Project, dict[str, Any]], engines: dict[str, Engine], name: str, which: int
) -> None:
    query = CATALOGUE[name]
    if which and not query.parameters:
        return  # no parameter: the mid run covers it
    engine = engines["oxigraph"]
    answer = execute(
        check(query.text, name=name), engine, bind(query, _values(query, generated[1]["parameters"], which), engine)
    )
    assert answer.rows, f"{name} returned no row on the synthetic graph"


def test_cli_query_runs_on_the_synthetic_project(
    generated: tuple[Project, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    project, summary = generated
    actor = summary["parameters"]["actor"]
    code = main(
        [
            "--root",
            str(project.root),
            "query",
            "partners-of",
            "--param",
            f"actor={actor['label']}",
            "--format",
            "csv",
            "--engine",
            "oxigraph",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert re.search(rf"^{re.escape(str(ID[actor['key']]))},{re.escape(str(ID))}", out, re.MULTILINE), out[:500]
