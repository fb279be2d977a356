"""pyoxigraph's SELECT answers read from its TSV text give the terms read solution by solution.

:mod:`iadef.stores.oxigraph_rows` parses the TSV pyoxigraph writes; the reference is
:func:`iadef.stores.oxigraph_engine.plain_converter`, which reads each term object. Both must
give the same rows for awkward literals, for every quad of the seeds' graph and for every
named query.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import Dataset

from iadef.errors import QueryError
from iadef.paths import Project
from iadef.sparql.bind import bound_text
from iadef.sparql.catalogue import bind, bind_mode, execute
from iadef.sparql.guard import check
from iadef.stores.opening import open_engine
from iadef.stores.oxigraph_engine import OxigraphEngine, plain_converter
from iadef.stores.oxigraph_rows import solution_rows, tsv_term, unescape

from .built import built_project
from .test_queries import CATALOGUE, NAMES, example_call

XSD = "http://www.w3.org/2001/XMLSchema#"
TEXTS = [
    "",
    "plain",
    "tab\there",
    "line\nbreak\r\nand \x0b \x0c \x1c \u2028 \u2029 \x85",
    'quote " and \\ backslash \\t not a tab',
    "control \x00 \x01 \x08 \x7f",
    "accents é à ç, emoji 🛰️, CJK 防衛",
    "'single' \"double\" `back`",
    "ends with a backslash \\",
    "\\u00e9 written out",
]
TYPED = [
    ("007", "integer"),
    ("+3", "integer"),
    ("-0", "integer"),
    ("12", "integer"),
    ("abc", "integer"),
    ("1", "boolean"),
    ("true", "boolean"),
    ("TRUE", "boolean"),
    ("1.0E0", "double"),
    ("1e3", "double"),
    ("NaN", "double"),
    ("-INF", "double"),
    ("2024-04-04T10:00:00Z", "dateTime"),
    ("2024-04-04Z", "date"),
    ("2024-04-04", "date"),
    ("130000000.0", "decimal"),
    ("-0.00", "decimal"),
    ("1.50", "decimal"),
    (".5", "decimal"),
    ("2024-04", "gYearMonth"),
    ("--11-19", "gMonthDay"),
    ("x", "string"),
    ("tab\tin a typed literal", "token"),
]


def reference_rows(store: pyoxigraph.Store, query: str) -> list[tuple[object, ...]]:
    convert = plain_converter()
    return [tuple(None if t is None else convert(t) for t in solution) for solution in store.query(query)]


def tsv_rows(store: pyoxigraph.Store, query: str) -> list[tuple[object, ...]]:
    read = solution_rows(store.query(query))
    assert read is not None
    return list(read[1])


@pytest.fixture(scope="module")
def zoo() -> pyoxigraph.Store:
    """A store holding one quad per awkward literal, IRI and blank node."""
    store = pyoxigraph.Store()
    s, g = pyoxigraph.NamedNode("https://example.org/s"), pyoxigraph.NamedNode("https://example.org/g")
    objects: list[object] = [pyoxigraph.Literal(t) for t in TEXTS]
    objects += [pyoxigraph.Literal(t, language=lang) for t in TEXTS[:4] for lang in ("fr", "en-GB", "zh-Hant-TW")]
    objects += [pyoxigraph.Literal(t, datatype=pyoxigraph.NamedNode(XSD + d)) for t, d in TYPED]
    objects += [pyoxigraph.Literal("2025-23", datatype=pyoxigraph.NamedNode("http://id.loc.gov/datatypes/edtf/EDTF"))]
    objects += [pyoxigraph.NamedNode("https://example.org/é/ü?q=1#f"), pyoxigraph.BlankNode("b0")]
    for i, o in enumerate(objects):
        store.add(pyoxigraph.Quad(s, pyoxigraph.NamedNode(f"https://example.org/p{i}"), o, g))  # type: ignore[arg-type]
    store.add(pyoxigraph.Quad(pyoxigraph.BlankNode("b1"), pyoxigraph.NamedNode("https://example.org/p"), s, g))
    return store


def test_awkward_terms_read_alike(zoo: pyoxigraph.Store) -> None:
    query = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?p"
    expected = reference_rows(zoo, query)
    assert len(expected) == len(TEXTS) + 4 * 3 + len(TYPED) + 4
    assert tsv_rows(zoo, query) == expected


def test_computed_values_unbound_cells_and_single_columns(zoo: pyoxigraph.Store) -> None:
    for query in (
        "SELECT ?x WHERE { VALUES ?x { UNDEF 1 UNDEF } }",
        "SELECT ?x ?y WHERE { VALUES (?x ?y) { (UNDEF UNDEF) (1 UNDEF) (UNDEF 2.50) } }",
        "SELECT ?n (COUNT(*) AS ?c) (SUM(1.5) AS ?d) (AVG(2) AS ?e) (1e2 AS ?f) WHERE { ?s ?p ?n } GROUP BY ?n",
        'SELECT ?x WHERE { BIND (CONCAT("a\\tb", STR(NOW())) AS ?y) BIND (STRLEN(?y) > 3 AS ?x) }',
        "SELECT ?x WHERE { FILTER (false) }",
    ):
        assert tsv_rows(zoo, query) == reference_rows(zoo, query), query


def test_no_variable_and_unknown_terms() -> None:
    store = pyoxigraph.Store()
    assert solution_rows(store.query("SELECT * WHERE { }")) is None
    assert OxigraphEngine(store).query("SELECT * WHERE { }").plain_rows() == ((),)
    with pytest.raises(QueryError, match="does not handle"):
        tsv_term("<<( <https://a> <https://b> <https://c> )>>")
    assert unescape(r"a\tb\u00e9\U0001F6F0\\") == "a\tbé\U0001f6f0\\"


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> tuple[Project, OxigraphEngine]:
    project = built_project(tmp_path_factory.mktemp("rows"), dataset)
    engine = open_engine(project, "oxigraph")
    assert isinstance(engine, OxigraphEngine)
    return project, engine


def test_every_quad_of_the_seeds_reads_alike(seeds_store: tuple[Project, OxigraphEngine]) -> None:
    store = seeds_store[1].store
    query = "SELECT * WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"
    assert tsv_rows(store, query) == reference_rows(store, query)


@pytest.mark.parametrize("name", NAMES)
def test_every_named_query_reads_alike(name: str, seeds_store: tuple[Project, OxigraphEngine]) -> None:
    query = CATALOGUE[name]
    params, network = example_call(query)
    if network:
        pytest.skip("needs the network")
    engine = seeds_store[1]
    bindings = bind(query, params, engine)
    answer = execute(check(query.text, name=name), engine, bindings)
    text = bound_text(query.text, bindings, constants=bind_mode(query.text) == "constants") if bindings else None
    assert answer.plain_rows() or name.endswith("-violation")
    assert list(answer.plain_rows()) == reference_rows(engine.store, text or query.text)
