"""Focused pages read little, in batches, and give the whole graph's page; on every kind of store.

iadef.network.focus keeps the quads of the nodes a page can show, the classes, links and names of
the entities one hop further, and fetches the evidence (source, quote, status) of the facts
it shows in batches (per fact graph on rdflib, one query per batch elsewhere). The pages
must stay those of the whole graph: checked for every node on both embedded engines, and on
a SPARQL server (a throw-away Virtuoso holding the pushed seed build), where the name
look-up (iadef.sparql.lookup's candidates) is checked too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import RDF, Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from iadef.curation.ontology import Ontology
from iadef.errors import QueryError
from iadef.namespaces import DCTERMS, FACT, IADEF, ID, PROV, SOURCE
from iadef.network.focus import BATCH, EVIDENCE, focused_dataset, focused_page, focused_projection
from iadef.network.page import page_data, select
from iadef.network.projection import Projection, project_dataset
from iadef.paths import Project
from iadef.sparql.answer import Engine
from iadef.sparql.lookup import resolve_entity
from iadef.stores.asof import dated_sources
from iadef.stores.endpoint import Endpoint, EndpointEngine
from iadef.stores.opening import ENGINES, open_engine, whole_dataset
from iadef.stores.push import push

from .built import built_project
from .virtuoso import PASSWORD, USER, running_virtuoso

SAMPLE = ("mistral-ai", "region-bretagne", "ministere-des-armees", "amiad", "dga")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Project:
    return built_project(tmp_path_factory.mktemp("focus-speed"), dataset)


@pytest.fixture(scope="module")
def engines(built: Project) -> dict[str, Engine]:
    return {name: open_engine(built, name) for name in ENGINES}


@pytest.fixture(scope="module")
def ontology(built: Project) -> Ontology:
    return Ontology.load(built.ontology)


@pytest.fixture(scope="module")
def whole(engines: dict[str, Engine], ontology: Ontology) -> Projection:
    return project_dataset(whole_dataset(engines["rdflib"]), ontology)


def same_page(whole: Projection, part: Projection, key: str, depth: int) -> None:
    a = page_data(whole, select(whole, focus=key, depth=depth), focus=key)
    b = page_data(part, select(part, focus=key, depth=depth), focus=key)
    for section in ("nodes", "edges", "details", "edgeDetails", "sources", "legend", "relations"):
        assert a[section] == b[section], (key, depth, section)


@pytest.mark.parametrize("engine_name", ENGINES)
def test_every_node_gets_the_whole_graphs_page(
    engines: dict[str, Engine], ontology: Ontology, whole: Projection, engine_name: str
) -> None:
    engine = engines[engine_name]
    keys = sorted(whole.graph.nodes)
    assert len(keys) > 50
    for key in keys:
        same_page(whole, focused_projection(engine, ontology, ID[key], 1), key, 1)
    for key in SAMPLE:
        for depth in (0, 2):
            same_page(whole, focused_projection(engine, ontology, ID[key], depth), key, depth)
            # the rdflib dataset of the same quads projects the same
            dates = dated_sources(engine)  # the sources' dates over the whole store (the page's slider)
            part = project_dataset(focused_dataset(engine, ontology, ID[key], depth), ontology, dates)
            same_page(whole, part, key, depth)


def graphs_of(dataset: Dataset) -> dict[URIRef | None, set[tuple[object, object, object]]]:
    found: dict[URIRef | None, set[tuple[object, object, object]]] = {}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        found.setdefault(None if name == DATASET_DEFAULT_GRAPH_ID else name, set()).add((s, p, o))
    return found


@pytest.mark.parametrize("engine_name", ENGINES)
def test_the_dataset_holds_what_the_page_shows(
    engines: dict[str, Engine], ontology: Ontology, whole: Projection, engine_name: str
) -> None:
    engine = engines[engine_name]
    part = graphs_of(focused_dataset(engine, ontology, ID["mistral-ai"], 1))
    meta = part.pop(None)
    facts = {g: triples for g, triples in part.items() if str(g).startswith(str(FACT))}
    described = {s for s, _, _ in meta if str(s).startswith(str(FACT))}
    # provenance: only what the projection reads, and for the facts of the nodes shown
    assert {p for s, p, _ in meta if s in described} <= set(EVIDENCE)
    shown = {ID[k] for k in select(whole, focus="mistral-ai", depth=1)}
    with_source = {s for s, p, _ in meta if p == PROV.wasDerivedFrom}
    for graph, triples in facts.items():  # a fact about a node shown, unless it is an edge to a node not shown
        if any(s in shown and (o in shown or not isinstance(o, URIRef)) for s, _, o in triples):
            assert graph in with_source, graph
    assert 0 < len(described) < len(facts)  # the facts of the entities one hop further have none
    # every source document's title (the page lists them all), nothing else about them
    documents = {s for s, _, _ in meta if str(s).startswith(str(SOURCE))}
    assert documents == {s for s, _, _, g in engine.quads(None, RDF.type, IADEF.SourceDocument) if g is None}
    assert {p for s, p, _ in meta if s in documents} == {RDF.type, DCTERMS.title}
    # no curation triple the projection does not read
    curated = {p for g, triples in part.items() if g not in facts for _, p, _ in triples}
    assert curated and curated <= {URIRef("http://www.w3.org/2000/01/rdf-schema#label"), IADEF.acronym}


class Counting:
    """An engine that counts its calls (the protocol only), around another."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.name = inner.name
        self.fork_safe = inner.fork_safe
        self.queries: list[str] = []
        self.quads_calls = 0

    def query(self, text: str, bindings: object = None, *, parsed: object = None, constants: bool = False) -> object:
        self.queries.append(text)
        return self.inner.query(text, bindings, constants=constants)  # type: ignore[arg-type]

    def quads(self, *pattern: object) -> object:
        self.quads_calls += 1
        return self.inner.quads(*pattern)  # type: ignore[arg-type]


def test_evidence_comes_in_batches(engines: dict[str, Engine], ontology: Ontology) -> None:
    """One query per BATCH fact graphs on Oxigraph (and a server), rather than a look-up per fact."""
    counting = Counting(engines["oxigraph"])
    dataset = focused_dataset(counting, ontology, ID["ministere-des-armees"], 1)  # type: ignore[arg-type]
    described = {s for s, _, _ in graphs_of(dataset)[None] if str(s).startswith(str(FACT))}
    assert len(described) > 100
    assert len(counting.queries) == -(-len(described) // BATCH)
    assert all("VALUES (?graph) { (<https://w3id.org/iadef/fact/" in text for text in counting.queries)


# ------------------------------------------------------------------ a SPARQL server


@pytest.fixture(scope="module")
def server(built: Project) -> Iterator[EndpointEngine]:
    with running_virtuoso() as virtuoso:
        endpoint = Endpoint(virtuoso.sparql_auth, user=USER, password=PASSWORD, timeout=120)
        push(endpoint, built.graph / "iadef.nq", built.ontology)
        yield EndpointEngine(endpoint)


def test_a_server_gives_the_same_pages(
    server: EndpointEngine, engines: dict[str, Engine], built: Project, ontology: Ontology
) -> None:
    for key in SAMPLE:
        expected = focused_page(engines["rdflib"], built, key, 1, ontology=ontology)
        assert focused_page(server, built, key, 1, ontology=ontology) == expected, key


def test_a_server_finds_the_same_names(server: EndpointEngine, engines: dict[str, Engine]) -> None:
    def outcome(engine: Engine, text: str, kind: str) -> tuple[str, ...]:
        try:
            return ("entity", str(resolve_entity(engine, text, kind=kind)))
        except QueryError as exc:
            return ("error", exc.message, exc.hint or "")

    texts = ["ministère des armées", "MINISTERE DES ARMEES", "Agence de l'innovation de défense", "l’AID", "AMIAD"]
    texts += ["Bretagne", "région bretagne", "Mistrall", "armées", "état-major", "DGA", "dga-mi", "zzz"]
    found = 0
    for text in texts:
        for kind in ("entity", "actor", "place"):
            got = outcome(server, text, kind)
            assert got == outcome(engines["oxigraph"], text, kind), (text, kind)
            found += got[0] == "entity"
    assert found > 10
