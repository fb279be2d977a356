"""The published graph is self-sufficient (issue 13): graph/iadef.trig or graph/iadef.nq loaded alone
into another SPARQL store answers every catalogue query with the rows of ``iadef query``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Dataset, Graph

from iadef.curation.build import render
from iadef.curation.loader import Seeds
from iadef.curation.ontology import Ontology
from iadef.namespaces import ONTOLOGY_GRAPH
from iadef.paths import Project
from iadef.sparql.answer import Engine
from iadef.sparql.catalogue import bind, execute, load_catalogue
from iadef.sparql.guard import check
from iadef.stores.opening import load_dataset, open_engine
from iadef.stores.oxigraph_engine import OxigraphEngine

from .built import built_project, without_ontology
from .test_queries import example_call

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue(ROOT / "queries")
FORMATS = {"iadef.trig": pyoxigraph.RdfFormat.TRIG, "iadef.nq": pyoxigraph.RdfFormat.N_QUADS}


@pytest.fixture(scope="module")
def published(
    tmp_path_factory: pytest.TempPathFactory, project: Project, loaded: tuple[Ontology, Seeds, Dataset]
) -> Path:
    """The files `iadef build` writes, in a folder of their own."""
    _, seeds, dataset = loaded
    out = tmp_path_factory.mktemp("published")
    for path, content in render(project, seeds, dataset, out).items():
        path.write_bytes(content)
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Engine:
    """What `iadef query` answers: the embedded store of a project folder (ontology/ and graph/iadef.nq)."""
    return open_engine(built_project(tmp_path_factory.mktemp("reference"), dataset), "rdflib")


@pytest.fixture(scope="module", params=sorted(FORMATS))
def alone(request: pytest.FixtureRequest, published: Path) -> Engine:
    """pyoxigraph holding that one file and nothing else: no ontology/, no iadef code loading it."""
    store = pyoxigraph.Store()
    store.load(path=str(published / request.param), format=FORMATS[request.param])
    return OxigraphEngine(store)


def test_the_files_hold_the_ontology_graph(published: Path, project: Project) -> None:
    ontology = Graph().parse(project.ontology, format="turtle")
    for name, syntax in FORMATS.items():
        store = pyoxigraph.Store()
        store.load(path=str(published / name), format=syntax)
        graph = pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))
        assert len(list(store.quads_for_pattern(None, None, None, graph))) == len(ontology), name


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_query_gives_the_rows_of_iadef_query(name: str, alone: Engine, reference: Engine) -> None:
    query = CATALOGUE[name]
    params, network = example_call(query)
    if network:
        pytest.skip("needs the network (SERVICE to Wikidata)")
    checked = check(query.text, name=name)
    expected = execute(checked, reference, bind(query, params, reference))
    got = execute(checked, alone, bind(query, params, alone))
    assert got.variables == expected.variables
    assert got.rows == expected.rows
    if not query.is_check:
        assert got.rows, "the comparison is not vacuous"


def test_the_stores_hold_the_ontology_once(tmp_path: Path, dataset: Dataset, project: Project) -> None:
    """The file brings the ontology: the stores no longer add a second copy (with other blank nodes)."""
    folder = built_project(tmp_path, dataset)
    expected = len(Graph().parse(project.ontology, format="turtle"))
    assert len(load_dataset(folder).graph(ONTOLOGY_GRAPH)) == expected
    engine = open_engine(folder, "oxigraph")
    assert isinstance(engine, OxigraphEngine)
    graph = pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))
    assert len(list(engine.store.quads_for_pattern(None, None, None, graph))) == expected


def test_a_file_without_the_ontology_still_gets_it(tmp_path: Path, dataset: Dataset, project: Project) -> None:
    """An older build or a synthetic graph: the stores read ontology/iadef.ttl as before."""
    folder = built_project(tmp_path, without_ontology(dataset))
    expected = len(Graph().parse(project.ontology, format="turtle"))
    assert len(load_dataset(folder).graph(ONTOLOGY_GRAPH)) == expected
    engine = open_engine(folder, "oxigraph")
    assert isinstance(engine, OxigraphEngine)
    graph = pyoxigraph.NamedNode(str(ONTOLOGY_GRAPH))
    assert len(list(engine.store.quads_for_pattern(None, None, None, graph))) == expected
