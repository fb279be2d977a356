"""A real SPARQL 1.1 server (OpenLink Virtuoso 7.2, see tests/virtuoso.py): push, queries, errors, CLI.

The graph pushed is the seeds' dataset written as ``graph/iadef.nq`` in a private project
folder (as tests/test_queries.py does), with the real ontology and the real named queries.
Every named query must give on Virtuoso the rows the embedded rdflib engine gives, except
where Virtuoso 7.2.5 itself is wrong (listed in VIRTUOSO_BUGS, expected to fail: a fixed
Virtuoso makes the test say so).
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from iadef.cli.main import main
from iadef.errors import EndpointError
from iadef.namespaces import BASE, IADEF, ID, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, SOURCE
from iadef.paths import Project
from iadef.sparql.answer import Engine, canonical
from iadef.sparql.bind import nt_term
from iadef.sparql.catalogue import bind, execute
from iadef.sparql.guard import check
from iadef.stores.endpoint import Endpoint, EndpointEngine
from iadef.stores.opening import load_dataset, open_engine
from iadef.stores.push import Content, PushReport, push, read_build, read_server, same_content
from iadef.stores.rdflib_engine import RdflibEngine

from .built import built_project
from .test_queries import CATALOGUE, NAMES, OURS, example_call
from .virtuoso import PASSWORD, USER, Virtuoso, running_virtuoso

pytestmark = pytest.mark.slow

# Measured on Virtuoso 7.2.5 (Debian 7.2.5.1+dfsg1-0.3): a transitive property path joined with
# other graph patterns gives wrong rows (or fails to compile), whatever the dataset parameters,
# the order of the patterns, a sub-select or a FILTER (sameTerm) around it. The plan, hence the
# bug, depends on the store: agreement-without-party-violation passes on this fresh server but
# reported 7 false violations on a server that had held other data.
# partners-of and partners met this bug and list the programme classes with triple patterns
# (see their descriptions). partners also met another: with a UNION nested in its
# joint-programme branch (the unrolled class list, or the two ways an actor is involved),
# Virtuoso returned that branch's rows with ?via and ?kind unbound; it now takes one branch per
# way the first actor is involved. Named queries Virtuoso gets wrong, by name, with the reason
# (expected to fail); none at present.
VIRTUOSO_BUGS: dict[str, str] = {}
FOREIGN = URIRef("http://example.org/not-iadef")


@pytest.fixture(scope="session")
def virtuoso() -> Iterator[Virtuoso]:
    with running_virtuoso() as server:
        yield server


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Project:
    return built_project(tmp_path_factory.mktemp("endpoint"), dataset)


@pytest.fixture(scope="module")
def endpoint(virtuoso: Virtuoso) -> Endpoint:
    return Endpoint(virtuoso.sparql_auth, user=USER, password=PASSWORD, timeout=120)


@pytest.fixture(scope="module")
def nq(built: Project) -> Path:
    return built.graph / "iadef.nq"


@pytest.fixture(scope="module")
def first_push(endpoint: Endpoint, nq: Path, built: Project) -> PushReport:
    """The first push, on an empty server."""
    return push(endpoint, nq, built.ontology)


@pytest.fixture(scope="module")
def server(first_push: PushReport, endpoint: Endpoint) -> EndpointEngine:
    """The server, holding the seed build."""
    return EndpointEngine(endpoint)


@pytest.fixture
def restore(server: EndpointEngine, endpoint: Endpoint, nq: Path, built: Project) -> Iterator[None]:
    """For a test that changes the server: the seed build is pushed back afterwards, pass or fail."""
    yield
    push(endpoint, nq, built.ontology)


@pytest.fixture(scope="module")
def wanted(nq: Path, built: Project) -> Content:
    return read_build(nq, built.ontology, str(PROVENANCE_GRAPH))


@pytest.fixture(scope="module")
def rdflib_engine(built: Project) -> Engine:
    return open_engine(built, "rdflib")


def assert_server_holds(engine: EndpointEngine, wanted: Content) -> None:
    """The server's iadef graphs are exactly ``wanted`` (same graphs, same triples)."""
    content = read_server(engine, str(PROVENANCE_GRAPH))
    assert set(content) == set(wanted)
    different = [g for g in wanted if not same_content(wanted[g], content[g])]
    assert different == []


# ------------------------------------------------------------------ push


def test_first_push_loads_every_graph(first_push: PushReport, wanted: Content, endpoint: Endpoint) -> None:
    assert set(first_push.added) == set(wanted) and len(wanted) > 600
    assert {str(PROVENANCE_GRAPH), str(ONTOLOGY_GRAPH)} <= set(first_push.added)
    assert (first_push.replaced, first_push.removed, first_push.unchanged) == ((), (), 0)
    assert first_push.sent == first_push.triples == sum(len(t) for t in wanted.values())
    assert_server_holds(EndpointEngine(endpoint), wanted)


def test_per_graph_counts_equal_the_build(server: EndpointEngine, wanted: Content, dataset: Dataset) -> None:
    counts = {
        str(g): int(str(n))
        for g, n in server.run(
            f'SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{BASE}")) }} '
            "GROUP BY ?g"
        ).rows
    }
    assert counts == {g: len(t) for g, t in wanted.items()}
    assert counts[str(PROVENANCE_GRAPH)] == len(dataset.default_graph)


def test_second_push_changes_nothing(server: EndpointEngine, endpoint: Endpoint, nq: Path, built: Project) -> None:
    before = read_server(server, str(PROVENANCE_GRAPH))
    report = push(endpoint, nq, built.ontology)
    assert (report.added, report.replaced, report.removed) == ((), (), ())
    assert report.unchanged == len(before) and (report.sent, report.requests) == (0, 0)
    assert read_server(server, str(PROVENANCE_GRAPH)) == before, "not one triple was rewritten"


def test_push_after_the_build_changed(
    server: EndpointEngine, restore: None, endpoint: Endpoint, nq: Path, built: Project, wanted: Content, tmp_path: Path
) -> None:
    lines = nq.read_text(encoding="utf-8").splitlines(keepends=True)
    fact = next(f"<{g}>" for g in sorted(wanted) if g.startswith(f"{BASE}fact/"))
    curation = next(line for line in lines if f"<{BASE}curation/amiad>" in line and '"@fr' in line)
    changed = [line for line in lines if not line.rstrip().endswith(f"{fact} .")]
    assert len(changed) == len(lines) - len(wanted[fact.strip("<>")])
    changed[changed.index(curation)] = curation.replace('"@fr', ' (modifié)"@fr')
    new_graph = f"<{BASE}graph/added-by-test>"
    changed.append(f"<{BASE}id/amiad> <{RDF.type}> <{IADEF}Agency> {new_graph} .\n")
    build = tmp_path / "iadef.nq"
    build.write_text("".join(changed), encoding="utf-8")
    report = push(endpoint, build, built.ontology)
    assert report.removed == (fact.strip("<>"),)
    assert report.replaced == (f"{BASE}curation/amiad",)
    assert report.added == (new_graph.strip("<>"),)
    assert report.sent == len(wanted[f"{BASE}curation/amiad"]) + 1
    assert_server_holds(server, read_build(build, built.ontology, str(PROVENANCE_GRAPH)))
    labels = {str(o) for _, _, o, _ in server.quads(ID.amiad, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert any(label.endswith(" (modifié)") for label in labels)
    back = push(endpoint, nq, built.ontology)
    assert (back.added, back.removed, back.replaced) == (report.removed, report.added, report.replaced)


def test_graphs_outside_iadef_are_left_alone(
    server: EndpointEngine, restore: None, endpoint: Endpoint, nq: Path, built: Project
) -> None:
    stale = URIRef(f"{BASE}graph/stale")
    server.update(
        f'INSERT DATA {{ GRAPH <{FOREIGN}> {{ <{FOREIGN}#s> <{FOREIGN}#p> "kept" }} '
        f'GRAPH <{stale}> {{ <{FOREIGN}#s> <{FOREIGN}#p> "dropped" }} }}'
    )
    try:
        report = push(endpoint, nq, built.ontology)
        assert report.removed == (str(stale),) and report.added == report.replaced == ()
        assert server.query(f'ASK {{ GRAPH <{FOREIGN}> {{ <{FOREIGN}#s> <{FOREIGN}#p> "kept" }} }}').boolean is True
        assert server.query(f"ASK {{ GRAPH <{stale}> {{ ?s ?p ?o }} }}").boolean is False
    finally:
        server.update(f"DROP SILENT GRAPH <{FOREIGN}>")


def test_hostile_literals_round_trip(
    server: EndpointEngine, restore: None, endpoint: Endpoint, nq: Path, built: Project, tmp_path: Path
) -> None:
    """Quotes, braces, backslashes, control characters, typed values: stored and read back unchanged."""
    subject = URIRef(f"{BASE}id/hostile")
    values = [
        Literal('"} ; DROP ALL # { \'\'\' """ \\ \n\r\t<x> ?o', lang="fr"),
        Literal("é 😀 \u2028 \x01 \x7f", lang="fr-CA"),
        Literal("plain"),
        Literal("typed", datatype=XSD.token),
        Literal("true", datatype=XSD.boolean),
        Literal("1.50", datatype=XSD.decimal),
        Literal("1.5E9", datatype=XSD.double),
        Literal("2024-04-04T10:00:00Z", datatype=XSD.dateTime),
        Literal("--11-19", datatype=XSD.gMonthDay),
    ]
    graph = f"<{BASE}graph/hostile>"
    extra = "".join(f"{subject.n3()} <{BASE}def/value> {nt_term(v)} {graph} .\n" for v in values)
    build = tmp_path / "iadef.nq"
    build.write_text(nq.read_text(encoding="utf-8") + extra, encoding="utf-8")
    first = push(endpoint, build, built.ontology)
    assert first.added == (graph.strip("<>"),)
    assert push(endpoint, build, built.ontology).sent == 0, "every value came back as it was sent"
    stored = {o for _, _, o, _ in server.quads(subject)}
    assert {str(o) for o in stored} >= {str(v) for v in values[:4]}
    for value in values[:2]:
        found = server.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", {"o": value})
        assert found.rows == ((subject,),), f"the bound value {value!r} is matched"


# ------------------------------------------------------------------ the named queries


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=VIRTUOSO_BUGS[n], strict=True)) if n in VIRTUOSO_BUGS else n
        for n in NAMES
    ],
)
def test_named_queries_give_the_same_rows(name: str, server: EndpointEngine, rdflib_engine: Engine) -> None:
    query = CATALOGUE[name]
    params, network = example_call(query)
    if network:
        pytest.skip("needs the network (SERVICE to Wikidata)")
    checked = check(query.text, name=name)
    expected = execute(checked, rdflib_engine, bind(query, params, rdflib_engine))
    got = execute(checked, server, bind(query, params, server))  # names looked up on the server too
    assert got.variables == expected.variables
    assert sorted(got.rows, key=repr) == sorted(expected.rows, key=repr)
    if name in OURS:
        assert got.rows == expected.rows, "ORDER BY gives the same order"
    if not query.is_check:
        assert got.rows, "the comparison is not vacuous"


def test_dataset_as_measured(server: EndpointEngine, endpoint: Endpoint, wanted: Content, built: Project) -> None:
    """Why no dataset parameter is sent (see iadef.stores.endpoint): what Virtuoso 7.2 does with and without one."""

    def count(engine: EndpointEngine, text: str) -> int:
        return int(str(engine.query(text).rows[0][0]))

    everything = count(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert everything > sum(len(t) for t in wanted.values()), "without parameters: the union of all graphs"
    # (SELECT DISTINCT ?g takes half a minute on Virtuoso; GROUP BY a fraction of a second.)
    graphs = {str(row[0]) for row in server.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows}
    assert {"http://www.openlinksw.com/schemas/virtrdf#", str(PROVENANCE_GRAPH)} <= graphs
    restricted = EndpointEngine(replace(endpoint, restrict_default_graph=True))
    assert count(restricted, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == len(wanted[str(PROVENANCE_GRAPH)])
    ontology = f"SELECT ?s WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }} LIMIT 1"
    assert (len(server.query(ontology).rows), len(restricted.query(ontology).rows)) == (1, 0), "GRAPH <constant>"
    timeline = CATALOGUE["timeline"].text
    local = len(RdflibEngine(load_dataset(built)).query(timeline).rows)  # what the seed build gives in memory
    assert local > 20
    assert (len(server.query(timeline).rows), len(restricted.query(timeline).rows)) == (local, 0)


def test_quads_of_a_subject_and_of_an_object(server: EndpointEngine, dataset: Dataset) -> None:
    def expected(pattern: tuple[URIRef | None, URIRef | None, URIRef | None]) -> set[tuple[object, ...]]:
        return {
            (s, p, canonical(o), None if g == DATASET_DEFAULT_GRAPH_ID else g)
            for s, p, o, g in dataset.quads((*pattern, None))
        }

    for pattern in (
        (ID.amiad, None, None),
        (None, None, ID.amiad),
        (SOURCE["doc-003-accord-cadre-mistral-ai"], None, None),
    ):
        got = set(server.quads(*pattern))
        assert got == expected(pattern) and got
    assert any(g is None for *_, g in server.quads(SOURCE["doc-003-accord-cadre-mistral-ai"]))
    assert {g for *_, g in server.quads(ID.amiad, RDF.type)} <= {g for *_, g in server.quads(ID.amiad)}


# ------------------------------------------------------------------ errors


def test_wrong_port_is_a_clear_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(EndpointError, match="connection refused") as error:
        EndpointEngine(Endpoint(f"http://127.0.0.1:{port}/sparql", timeout=5)).query("ASK {}")
    assert "is the server running? check --endpoint" in str(error.value)


def test_wrong_password_names_authentication(virtuoso: Virtuoso) -> None:
    wrong = EndpointEngine(Endpoint(virtuoso.sparql_auth, user=USER, password="not-the-password", timeout=10))
    with pytest.raises(EndpointError, match=r"authentication failed \(HTTP 401, user 'dba'\)") as error:
        wrong.query("ASK {}")
    assert "IADEF_ENDPOINT_PASSWORD" in str(error.value)
    with pytest.raises(EndpointError, match=r"authentication failed .* no user given"):
        EndpointEngine(Endpoint(virtuoso.sparql_auth, timeout=10)).query("ASK {}")


def test_server_messages_are_passed_on(virtuoso: Virtuoso) -> None:
    anonymous = EndpointEngine(Endpoint(virtuoso.sparql, timeout=10))
    with pytest.raises(EndpointError, match=r"HTTP 500: .*SECURITY"):
        anonymous.update(f'INSERT DATA {{ GRAPH <{FOREIGN}> {{ <{FOREIGN}#s> <{FOREIGN}#p> "x" }} }}')
    with pytest.raises(EndpointError, match=r"HTTP 400: .*SP030"):
        anonymous.query("SELECT ?s WHERE { ?s undefined:p ?o }")
    with pytest.raises(EndpointError, match="HTTP 404") as missing:
        EndpointEngine(Endpoint(f"{virtuoso.base}/no-sparql-here", timeout=10)).query("ASK {}")
    assert "check --endpoint" in str(missing.value)


class _Html(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html>a web page, not a SPARQL endpoint</html>")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def local(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """A local HTTP server: 'html' answers a web page, 'silent' accepts and never answers."""
    closers: list[Callable[[], None]] = []

    def start(kind: str) -> str:
        if kind == "html":
            httpd = http.server.HTTPServer(("127.0.0.1", 0), _Html)
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            closers.extend([httpd.shutdown, httpd.server_close])
            return f"http://127.0.0.1:{httpd.server_address[1]}/sparql"
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        closers.append(listener.close)
        return f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"

    request.addfinalizer(lambda: [close() for close in closers])
    return start


def test_not_a_sparql_server_and_no_answer(local: Callable[[str], str]) -> None:
    with pytest.raises(EndpointError, match=r"answered text/html, not SPARQL results \(XML or JSON\)"):
        EndpointEngine(Endpoint(local("html"), timeout=5)).query("ASK {}")
    with pytest.raises(EndpointError, match=r"no answer from .* within 0\.5 s"):
        EndpointEngine(Endpoint(local("silent"), timeout=0.5)).query("ASK {}")


# ------------------------------------------------------------------ command line


def cli(capsys: pytest.CaptureFixture[str], built: Project, *args: str) -> tuple[int, str, str]:
    code = main(["--root", str(built.root), "push", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_push(
    server: EndpointEngine,
    restore: None,
    virtuoso: Virtuoso,
    built: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IADEF_ENDPOINT_PASSWORD", PASSWORD)
    server.update(f'INSERT DATA {{ GRAPH <{BASE}graph/stale-cli> {{ <{FOREIGN}#s> <{FOREIGN}#p> "x" }} }}')
    code, out, _ = cli(capsys, built, "--endpoint", virtuoso.sparql_auth, "--user", USER)
    assert code == 0
    assert "0 graph(s) added, 0 replaced, 1 removed" in out and f"removed: {BASE}graph/stale-cli" in out
    code, out, _ = cli(capsys, built, "--endpoint", virtuoso.sparql_auth, "--user", USER)
    assert code == 0 and "0 removed" in out and "0 of " in out and "0 request(s)" in out
    monkeypatch.setenv("IADEF_ENDPOINT_PASSWORD", "wrong")
    code, _, err = cli(capsys, built, "--endpoint", virtuoso.sparql_auth, "--user", USER)
    assert code == 1 and "authentication failed" in err
    code, _, err = cli(capsys, built)
    assert code == 1 and "no SPARQL endpoint to push to" in err and "hint: pass --endpoint URL" in err
    monkeypatch.delenv("IADEF_ENDPOINT_PASSWORD")
    code, _, err = cli(capsys, built, "--endpoint", virtuoso.sparql_auth, "--user", USER)
    assert code == 1 and "IADEF_ENDPOINT_PASSWORD is not set" in err
    code, _, err = cli(capsys, built, "--endpoint", virtuoso.sparql_auth, "--default-graph", f"{BASE}graph/other")
    assert code == 1 and "is not https://w3id.org/iadef/graph/provenance" in err


def test_large_graphs_go_whole_through_the_graph_store_protocol(
    server: EndpointEngine,
    restore: None,
    virtuoso: Virtuoso,
    endpoint: Endpoint,
    wanted: Content,
    built: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With --graph-store, the provenance graph and the ontology (blank nodes) are each one PUT."""
    gsp = replace(endpoint, graph_store_url=f"{virtuoso.base}/sparql-graph-crud-auth")
    server.update(f"CLEAR SILENT GRAPH <{PROVENANCE_GRAPH}> ; CLEAR SILENT GRAPH <{ONTOLOGY_GRAPH}>")
    server.update(f'INSERT DATA {{ GRAPH <{BASE}graph/stale-gsp> {{ <{FOREIGN}#s> <{FOREIGN}#p> "x" }} }}')
    report = push(gsp, built.graph / "iadef.nq", built.ontology)
    big = {str(PROVENANCE_GRAPH), str(ONTOLOGY_GRAPH)}
    assert set(report.added) == big and report.removed == (f"{BASE}graph/stale-gsp",)
    assert report.sent == sum(len(wanted[g]) for g in big) and report.requests == 3  # one clear, two PUTs
    assert_server_holds(server, wanted)
    monkeypatch.setenv("IADEF_ENDPOINT_PASSWORD", PASSWORD)
    code, out, _ = cli(
        capsys, built, "--endpoint", virtuoso.sparql_auth, "--user", USER, "--graph-store", gsp.graph_store_url or ""
    )
    assert code == 0 and "0 of " in out and "0 request(s)" in out


def test_cli_default_graph_help_names_the_provenance_graph() -> None:
    from iadef.cli.push import PROVENANCE_IRI

    assert str(PROVENANCE_GRAPH) == PROVENANCE_IRI


def test_answers_are_canonical(server: EndpointEngine, rdflib_engine: Engine) -> None:
    """Virtuoso's typed-literal, boolean 1/0, decimal and xsd:string forms come back as rdflib gives them."""
    stored = (
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
        "SELECT DISTINCT ?o WHERE { GRAPH ?g { ?s ?p ?o } "  # Virtuoso's own graphs hold dates too: ours only
        f'FILTER (STRSTARTS(STR(?g), "{BASE}") && ?g != <{PROVENANCE_GRAPH}> && '
        "DATATYPE(?o) IN (xsd:boolean, xsd:decimal, xsd:date, xsd:gYear, xsd:gMonthDay)) } ORDER BY STR(?o)"
    )
    expected = rdflib_engine.query(stored)
    assert server.query(stored).rows == expected.rows
    assert Literal(True) in {row[0] for row in expected.rows}, "a stored boolean (sent as 1 by Virtuoso)"
    computed = server.query('SELECT ?d ?s WHERE { BIND (130000000.0 AS ?d) BIND (STR("x") AS ?s) }')
    assert computed.rows == ((Literal("130000000", datatype=XSD.decimal), Literal("x")),)
    # Virtuoso has no boolean type: a boolean computed by an expression comes back as an integer.
    assert server.query("SELECT ?b WHERE { BIND (true AS ?b) }").rows == ((Literal(1),),)
    assert server.query("ASK { GRAPH ?g { ?s a ?o } }").boolean is True


# ------------------------------------------------------------------ without a server


def test_update_requests_batch_and_keep_blank_nodes_together() -> None:
    from rdflib import BNode
    from rdflib.plugins.sparql.parser import parseUpdate

    from iadef.stores.push import update_requests

    ex = "http://example.org/"
    big = {(URIRef(f"{ex}s{i}"), URIRef(f"{ex}p"), Literal(f'"}}}} ; DROP ALL {i}')) for i in range(450)}
    node, other = BNode("b1"), BNode("b2")
    axioms = {(URIRef(f"{ex}c"), URIRef(f"{ex}sub"), node), (node, URIRef(f"{ex}on"), other)}
    axioms |= {(other, URIRef(f"{ex}item"), Literal(i)) for i in range(5)}
    graphs = {f"{ex}g1": big, f"{ex}g2": axioms, f"{ex}g3": {(URIRef(f"{ex}a"), URIRef(f"{ex}p"), Literal("x"))}}
    requests = list(update_requests(graphs, {f"{ex}g2", f"{ex}g3"}, 200))
    assert [count for _, count in requests] == [200, 200, 58]
    assert sum(count for _, count in requests) == sum(len(t) for t in graphs.values())
    last = requests[-1][0]
    assert last.startswith(
        "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { VALUES ?g { <http://example.org/g2> <http://example.org/g3> }"
    )
    assert "INSERT {\nGRAPH <http://example.org/g2>" in last and "} WHERE {}" in last, "blank nodes: a template"
    assert "DELETE" not in requests[0][0] + requests[1][0], "g1 is new: nothing to clear"
    for text, _ in requests:
        parseUpdate(text)  # standard SPARQL 1.1 Update


def test_reserved_graphs_and_default_graph_names(tmp_path: Path, built: Project) -> None:
    from iadef.errors import IadefError
    from iadef.stores.push import check_default_graph

    check_default_graph(str(PROVENANCE_GRAPH))
    check_default_graph("urn:x-local:provenance")
    with pytest.raises(IadefError, match=r"is not https://w3id\.org/iadef/graph/provenance"):
        check_default_graph(f"{BASE}graph/mine")
    # A build holds the ontology graph: it is pushed as the file has it, with no second copy from ontology/.
    holding = tmp_path / "iadef.nq"
    holding.write_text(f"<{BASE}id/a> <{BASE}def/p> <{BASE}id/b> <{ONTOLOGY_GRAPH}> .\n", encoding="utf-8")
    assert len(read_build(holding, built.ontology, str(PROVENANCE_GRAPH))[str(ONTOLOGY_GRAPH)]) == 1
    clash = tmp_path / "clash.nq"
    clash.write_text(f"<{BASE}id/a> <{BASE}def/p> <{BASE}id/b> <{PROVENANCE_GRAPH}> .\n", encoding="utf-8")
    with pytest.raises(IadefError, match=r"has a named graph https://w3id\.org/iadef/graph/provenance, which the push"):
        read_build(clash, built.ontology, str(PROVENANCE_GRAPH))
