"""Parameters inlined as a VALUES block, or also as constants (iadef.sparql.bind): hostile texts and values,
and the named queries.

Every rewritten query is parsed again and run with rdflib on a small dataset, and its answer
is compared with rdflib's own binding (``initBindings``), so a test fails if inlining binds
anything else than what the engine binds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, BNode, Dataset, Literal, URIRef

from iadef.errors import QueryError
from iadef.sparql.answer import Engine
from iadef.sparql.bind import inline_table, inline_terms, inline_values, query_form, tokens
from iadef.sparql.catalogue import bind, bind_mode, load_catalogue, load_query, parse_param_args
from iadef.stores.opening import open_engine

from .built import built_project

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue(ROOT / "queries")
EX = "http://example.org/"
EVIL = '"} ; DROP ALL # { \'\'\' """ \\ \n\t<x> ?o'


@pytest.fixture(scope="module")
def small() -> Dataset:
    """Three subjects with awkward literals, in the default graph and one named graph."""
    data = Dataset(default_union=False)
    g = data.graph(URIRef(EX + "g"))
    for name, value in (("a", Literal(EVIL, lang="fr")), ("b", Literal("{")), ("c", Literal("x", datatype=XSD.token))):
        data.default_graph.add((URIRef(EX + name), URIRef(EX + "p"), value))
        g.add((URIRef(EX + name), URIRef(EX + "q"), URIRef(EX + "o" + name)))
    return data


def same_answer(data: Dataset, text: str, bindings: dict[str, URIRef | Literal], inlined: str | None = None) -> None:
    """The inlined query parses and answers what rdflib's own binding answers (and not everything)."""
    inlined = inline_values(text, bindings) if inlined is None else inlined
    assert inlined != text
    expected = data.query(text, initBindings=bindings)
    got = data.query(inlined)
    if expected.type == "ASK":
        assert got.askAnswer == expected.askAnswer
    elif expected.type == "SELECT":
        rows = sorted(tuple(r.get(v) for v in expected.vars) for r in got.bindings)
        assert rows == sorted(tuple(r.get(v) for v in expected.vars) for r in expected.bindings)
        assert len(rows) < len(data.query(text).bindings), "the binding restricts the answer"
    else:
        assert set(got.graph) == set(expected.graph) and len(got.graph) > 0


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o }",
        "select ?s where{?s ?p ?o}",
        'PREFIX x: <http://example.org/#a>\n# a { comment } WHERE {\nSELECT ?s WHERE { ?s ?p ?o FILTER (?o != "{") }',
        "SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s",
        "SELECT ?s WHERE { ?s ?p ?o FILTER (?o != '''} WHERE {\n''' && ?s<?o || 1 < 2) }",
        'SELECT ?s WHERE { ?s <http://example.org/p> ?o . FILTER (STR(?o) != """{ } " \\" """) }',
        "SELECT * WHERE { SELECT ?s ?o WHERE { ?s ?p ?o } }",
        "SELECT ?s WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?q ?x } } }",
        "ASK { ?s ?p ?o }",
        "ASK WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "DESCRIBE ?s WHERE { ?s ?p ?o }",
    ],
)
def test_inlining_binds_what_the_engine_binds(small: Dataset, text: str) -> None:
    same_answer(small, text, {"o": Literal(EVIL, lang="fr")})
    same_answer(small, text, {"s": URIRef(EX + "b")})
    constants = inline_terms(text, {"o": Literal(EVIL, lang="fr")})
    if query_form(text) in ("CONSTRUCT", "DESCRIBE") or text.upper().count("SELECT") > 1:
        assert constants is None, "constants are only written where they keep the meaning"
    else:
        assert constants is not None and constants != inline_values(text, {"o": Literal(EVIL, lang="fr")})
        same_answer(small, text, {"o": Literal(EVIL, lang="fr")}, constants)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s WHERE { ?s ?p ?x BIND (?x AS ?o) }",
        "SELECT ?s (1 AS ?o) WHERE { ?s ?p ?x }",
        "SELECT ?s WHERE { VALUES ?o { 1 } ?s ?p ?o }",
        "SELECT ?s WHERE { VALUES (?s ?o) { (<http://example.org/a> 1) } ?s ?p ?o }",
        "SELECT ?s WHERE { ?s ?p ?o { SELECT ?o WHERE { ?x ?q ?o } } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_constants_are_not_written_where_they_would_change_the_query(text: str) -> None:
    assert inline_terms(text, {"o": Literal("1")}) is None
    assert inline_terms(text, {}) is text
    assert inline_terms("SELECT * { ?s ?p ?o }", {"o": BNode()}) is None


def test_the_block_opens_the_outer_where_group() -> None:
    text = 'PREFIX ex: <http://example.org/#a>\n# WHERE {\nSELECT ?s WHERE { ?s ?p "{" }'
    inlined = inline_values(text, {"s": URIRef(EX + "a"), "o": Literal("x")})
    assert inlined.count("VALUES") == 1
    head, tail = inlined.split('WHERE { VALUES (?s ?o) { (<http://example.org/a> "x") }\n')
    assert head.endswith("SELECT ?s ") and tail == ' ?s ?p "{" }'
    exists = inline_values("SELECT ?s (EXISTS { ?s ?q ?x } AS ?e) WHERE { ?s ?p ?o }", {"o": Literal("x")})
    assert exists == 'SELECT ?s (EXISTS { ?s ?q ?x } AS ?e) WHERE { VALUES (?o) { ("x") }\n ?s ?p ?o }'
    construct = inline_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"o": Literal("t")})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o)")
    short = inline_values("CONSTRUCT WHERE { ?s ?p ?o }", {"o": Literal("t")})
    assert short == 'CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { ("t") }\n ?s ?p ?o }'
    assert inline_values("DESCRIBE ?s", {"s": URIRef(EX + "a")}) == (
        "DESCRIBE ?s WHERE { VALUES (?s) { (<http://example.org/a>) } }"
    )


def test_values_are_escaped_never_pasted(small: Dataset) -> None:
    inlined = inline_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal(EVIL, lang="fr")})
    assert [r.s for r in small.query(inlined)] == [URIRef(EX + "a")]
    assert "DROP ALL" in inlined and inlined.count("{") == inlined.count("}") + EVIL.count("{") - EVIL.count("}")
    kinds = [t.kind for t in tokens(inlined)]
    assert kinds.count("string") == 1, "the value stays one string token"


@pytest.mark.parametrize(
    ("bindings", "message"),
    [
        ({"s": BNode("b0")}, "blank node"),
        ({"s": URIRef("http://example.org/a> } ; DROP ALL ; <x")}, "valid"),
        ({"bad name": Literal("x")}, "variable name"),
    ],
)
def test_refused_values(bindings: dict[str, URIRef], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        inline_values("SELECT ?s WHERE { ?s ?p ?o }", bindings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('SELECT ?s WHERE { ?s ?p "unterminated }', "unterminated string"),
        ("SELECT ?s WHERE { ?s ?p ?o", "never closed|no longer parses"),
        ("SELECT ?s WHERE { ?s ?p ?o } LIMIT x", "no longer parses"),
        ("INSERT DATA { <a:b> <a:c> <a:d> }", "not a SPARQL query"),
    ],
)
def test_broken_queries_are_refused(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        inline_values(text, {"o": Literal("x")})


def test_no_bindings_leave_the_text_alone() -> None:
    text = "SELECT * { ?s ?p ?o } # }"
    assert inline_values(text, {}) is text
    assert query_form("# ASK {\nCONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"


# ------------------------------------------------------------------ the named queries

PARAMETERS = {
    "partners-of": ["actor=ministere des armees", "actor=AMIAD", "actor=DGA", "actor=Mistral"],
    "roles-of": ["actor=AMIAD", "actor=region bretagne", "actor=DGA"],
    "located-in": ["place=Bretagne", "place=Rennes", "place=Bruz"],
    "entities-by-type": ["type=Company", "type=Organization", "type=Place"],
    "evidence": ["entity=AMIAD", "entity=Bretagne", "entity=dga-mi"],
}


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> dict[str, Engine]:
    project = built_project(tmp_path_factory.mktemp("bind"), dataset)
    return {name: open_engine(project, name) for name in ("rdflib", "oxigraph")}


def test_every_parameterised_query_is_covered() -> None:
    assert {name for name, query in CATALOGUE.items() if query.parameters} == set(PARAMETERS)


@pytest.mark.parametrize(("name", "param"), [(n, p) for n, ps in PARAMETERS.items() for p in ps])
@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("mode", ["values", "constants"])
def test_named_queries_give_the_same_rows_inlined(
    name: str, param: str, engine_name: str, mode: str, engines: dict[str, Engine]
) -> None:
    """What a SPARQL server answers (parameters inlined) is what rdflib answers with its own binding."""
    engine = engines[engine_name]
    query = CATALOGUE[name]
    bindings = bind(query, parse_param_args([param]), engine)
    expected = engines["rdflib"].query(query.text, bindings)
    text = inline_values(query.text, bindings) if mode == "values" else inline_terms(query.text, bindings)
    assert text is not None, "every named query can take its parameters as constants"
    inlined = engine.query(text)
    assert inlined.variables == expected.variables
    assert inlined.rows == expected.rows
    assert expected.rows, f"{name} {param} finds something"


def test_the_bind_header_is_read_and_checked(tmp_path: Path) -> None:
    assert {name: q.bind for name, q in CATALOGUE.items() if q.bind != "values"} == {
        "partners-of": "constants",
        "located-in": "constants",
    }
    assert all(bind_mode(q.text) == q.bind for q in CATALOGUE.values())
    original = CATALOGUE["roles-of"].path.read_text(encoding="utf-8")
    text = original.replace("# example:", "# bind: literal\n# example:", 1)
    (tmp_path / "roles-of.rq").write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match="unknown bind mode 'literal'") as error:
        load_query(tmp_path / "roles-of.rq", "queries/roles-of.rq")
    assert error.value.line == text.splitlines().index("# bind: literal") + 1


def test_a_table_of_rows_is_escaped_and_joins_the_group(small: Dataset) -> None:
    text = "SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o }"
    rows = [(URIRef(EX + "a"), Literal(EVIL, lang="fr")), (URIRef(EX + "b"), Literal("{"))]
    inlined = inline_table(text, ["s", "o"], rows)
    assert inlined.count("VALUES") == 1 and "DROP ALL" in inlined
    got = sorted((str(r["s"]), str(r["o"])) for r in small.query(inlined).bindings)
    assert got == [(EX + "a", EVIL), (EX + "b", "{")]
    with pytest.raises(QueryError, match="not a valid IRI"):
        inline_table(text, ["s"], [(URIRef(EX + "> } DROP ALL"),)])
    with pytest.raises(QueryError, match="cannot be a SPARQL variable name"):
        inline_table(text, ["s }"], [(URIRef(EX + "a"),)])
