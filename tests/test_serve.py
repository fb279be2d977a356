"""`iadef serve`: a real server on 127.0.0.1 (port 0) over the seeds' graph, real named queries, real clients.

Every answer is parsed (JSON, XML with ElementTree, CSV, TSV and the graph formats with
rdflib) and compared with the embedded engines' rows. Browser tests drive Debian's
/usr/bin/chromium through playwright with the session's ``browser`` fixture (conftest.py),
skipped with the reason when either is missing, or failed where IADEF_REQUIRE_TOOLS says so.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from iadef.cli.main import main
from iadef.errors import IadefError, StoreError
from iadef.namespaces import PROVENANCE_GRAPH
from iadef.paths import Project
from iadef.serve import protocol
from iadef.serve.reload import prepare_store
from iadef.serve.server import ServeConfig, SparqlServer, running
from iadef.sparql.answer import Engine, Term
from iadef.sparql.catalogue import NamedQuery, bind, load_catalogue, parse_param_args
from iadef.sparql.guard import check
from iadef.stores.opening import open_engine
from iadef.stores.setting import StoreSpec

from .built import built_project

CATALOGUE = load_catalogue(Path(__file__).resolve().parents[1] / "queries")
RDFS = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
LABELS = RDFS + (
    "SELECT ?entity ?label WHERE { GRAPH ?g { ?entity rdfs:label ?label } "
    "FILTER (?entity = <https://w3id.org/iadef/id/mistral-ai>) } ORDER BY ?label"
)
CONSTRUCT = RDFS + (
    "CONSTRUCT { ?e rdfs:label ?l } WHERE { GRAPH ?g { ?e rdfs:label ?l } "
    'FILTER (STRSTARTS(STR(?e), "https://w3id.org/iadef/id/m")) }'
)
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
HOSTILE = "<img src=x onerror=alert(1)>"
QUIET = ServeConfig(port=0, quiet=True)


def example_params(query: NamedQuery) -> dict[str, str]:
    words = shlex.split(query.example)
    return parse_param_args([words[i + 1] for i, word in enumerate(words) if word == "--param"])


def local(query: NamedQuery) -> bool:
    """A named query the endpoint accepts (no SERVICE, no FROM)."""
    try:
        check(query.text)
    except IadefError:
        return False
    return True


LOCAL = sorted(name for name, query in CATALOGUE.items() if local(query))


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Project:
    """The seeds' graph as `iadef build` writes it, with the page `iadef viz` writes."""
    folder = built_project(tmp_path_factory.mktemp("serve"), dataset)
    assert main(["--root", str(folder.root), "viz"]) == 0
    return folder


@pytest.fixture(scope="module")
def embedded(built: Project) -> Engine:
    return open_engine(built, "oxigraph")


@pytest.fixture(scope="module")
def server(built: Project) -> Iterator[SparqlServer]:
    with running(built, StoreSpec("oxigraph"), QUIET) as started:
        yield started


@pytest.fixture(scope="module")
def tight(built: Project) -> Iterator[SparqlServer]:
    """One worker, a 1 s time limit, 5 rows, 2 KiB bodies, and CORS for one origin."""
    config = ServeConfig(port=0, workers=1, timeout=1.0, max_rows=5, max_body=2048, cors="http://example.org")
    with running(built, StoreSpec("oxigraph"), config, log=lambda line: None) as started:
        yield started


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def call(
    server: SparqlServer,
    method: str = "GET",
    path: str = "/sparql",
    *,
    query: str | None = None,
    accept: str | None = None,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    connection: HTTPConnection | None = None,
) -> Reply:
    """One request; ``query`` goes in the URL (GET) or as a form (POST)."""
    sent = dict(headers or {})
    if accept is not None:
        sent["Accept"] = accept
    if query is not None and method == "GET":
        path += "?" + urllib.parse.urlencode({"query": query})
    elif query is not None:
        body = urllib.parse.urlencode({"query": query}).encode("utf-8")
        sent.setdefault("Content-Type", protocol.FORM)
    conn = connection or HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        if connection is None:
            conn.close()


def named(query: NamedQuery, engine: Engine) -> str:
    """The named query with its example parameters inlined as VALUES, ready to send."""
    from iadef.sparql.bind import inline_values

    return inline_values(query.text, bind(query, example_params(query), engine))


# ---------------------------------------------------------------- parsing the answers (independently of iadef)


def json_term(value: dict[str, str]) -> Term:
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    datatype = value.get("datatype")
    return Literal(value["value"], lang=value.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)


def json_rows(body: bytes) -> tuple[tuple[str, ...], list[tuple[Term | None, ...]]]:
    data = json.loads(body)
    names = tuple(data["head"]["vars"])
    return names, [tuple(json_term(b[n]) if n in b else None for n in names) for b in data["results"]["bindings"]]


XML_NS = {"r": "http://www.w3.org/2005/sparql-results#"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def xml_term(element: ET.Element) -> Term:
    kind, text = element.tag.split("}")[1], element.text or ""
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    assert kind == "literal"
    datatype = element.get("datatype")
    return Literal(text, lang=element.get(XML_LANG), datatype=URIRef(datatype) if datatype else None)


def xml_rows(body: bytes) -> tuple[tuple[str, ...], list[tuple[Term | None, ...]]]:
    root = ET.fromstring(body)
    head, results = root.find("r:head", XML_NS), root.find("r:results", XML_NS)
    assert head is not None and results is not None
    names = tuple(str(v.get("name")) for v in head.findall("r:variable", XML_NS))
    rows = []
    for result in results.findall("r:result", XML_NS):
        bound = {b.get("name"): xml_term(b[0]) for b in result.findall("r:binding", XML_NS)}
        rows.append(tuple(bound.get(n) for n in names))
    return names, rows


def tsv_rows(body: bytes) -> tuple[tuple[str, ...], list[tuple[Term | None, ...]]]:
    """TSV cells are N-Triples terms: rdflib's N-Triples parser reads them all in one document."""
    lines = body.decode("utf-8").split("\n")
    assert lines[-1] == "" and all(name.startswith("?") for name in lines[0].split("\t"))
    names = tuple(name[1:] for name in lines[0].split("\t"))
    cells = [line.split("\t") for line in lines[1:-1]]
    assert all(len(row) == len(names) for row in cells)
    document = "".join(
        f"<urn:cell:{i}:{j}> <urn:is> {cell} .\n" for i, row in enumerate(cells) for j, cell in enumerate(row) if cell
    )
    parsed = {str(s): o for s, _, o in Graph().parse(data=document, format="nt")}
    rows = [tuple(parsed.get(f"urn:cell:{i}:{j}") for j in range(len(names))) for i in range(len(cells))]
    return names, rows  # type: ignore[return-value]


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))


def plain(term: Term | None) -> str:
    """A term as the W3C CSV format writes it."""
    return "" if term is None else f"_:{term}" if isinstance(term, BNode) else str(term)


# ---------------------------------------------------------------- protocol, pure functions


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, protocol.JSON),
        ("*/*", protocol.JSON),
        ("text/*", protocol.CSV),
        ("text/csv;q=0.5, application/sparql-results+xml", protocol.XML),
        ("application/sparql-results+json;q=0, */*;q=0.1", protocol.XML),
        ("text/tab-separated-values, text/*;q=0.2", protocol.TSV),
        ("application/json", protocol.PLAIN_JSON),
        ("TEXT/CSV; charset=utf-8", protocol.CSV),
    ],
)
def test_negotiation_honours_q_values(accept: str | None, chosen: str) -> None:
    assert protocol.negotiate(accept, protocol.SELECT_TYPES) == chosen


def test_negotiation_refuses_with_the_list() -> None:
    with pytest.raises(protocol.HttpError) as refused:
        protocol.negotiate("text/csv", protocol.ASK_TYPES)
    assert refused.value.status == 406 and "application/sparql-results+xml" in str(refused.value)
    with pytest.raises(protocol.HttpError):
        protocol.negotiate("text/turtle;q=0", protocol.GRAPH_TYPES)


def test_request_forms() -> None:
    assert protocol.parse_request("GET", "query=ASK%20%7B%7D", None, b"") == "ASK {}"
    assert protocol.parse_request("POST", "", "application/sparql-query; charset=utf-8", b"ASK {}") == "ASK {}"
    assert protocol.parse_request("POST", "", protocol.FORM, b"query=ASK+%7B%7D") == "ASK {}"
    assert protocol.parse_request("GET", "", None, b"") is None
    default = urllib.parse.urlencode({"query": "ASK {}", "default-graph-uri": str(PROVENANCE_GRAPH)})
    assert protocol.parse_request("GET", default, None, b"") == "ASK {}"


# ---------------------------------------------------------------- answers in every format


def test_select_in_every_format_matches_the_embedded_engine(server: SparqlServer, embedded: Engine) -> None:
    text = CATALOGUE["partners"].text
    expected = embedded.query(text)
    assert len(expected.rows) > 10
    for accept, parse in (
        (protocol.JSON, json_rows),
        (protocol.XML, xml_rows),
        (protocol.TSV, tsv_rows),
    ):
        reply = call(server, "POST", query=text, accept=accept)
        assert reply.status == 200 and reply.headers["content-type"].startswith(accept)
        names, rows = parse(reply.body)
        assert names == expected.variables and rows == list(expected.rows), accept
    reply = call(server, "POST", query=text, accept=protocol.CSV)
    assert reply.headers["content-type"] == "text/csv; charset=utf-8" and b"\r\n" in reply.body
    table = csv_rows(reply.body)
    assert table[0] == list(expected.variables)
    assert table[1:] == [[plain(t) for t in row] for row in expected.rows]
    quotes = [row[expected.variables.index("quote")] for row in table[1:]]
    assert any("«" in q for q in quotes)  # real quotes from the documents survive every format


def test_the_three_ways_to_send_a_query(server: SparqlServer) -> None:
    by_get = call(server, "GET", query=LABELS)
    by_form = call(server, "POST", query=LABELS)
    direct = call(server, "POST", body=LABELS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert by_get.status == by_form.status == direct.status == 200
    assert by_get.body == by_form.body == direct.body
    assert by_get.headers["content-type"] == protocol.JSON  # the default
    labels = {str(row[1]) for row in json_rows(by_get.body)[1]}
    assert "Mistral AI" in labels


def test_ask(server: SparqlServer) -> None:
    yes = call(server, query="ASK { GRAPH ?g { <https://w3id.org/iadef/id/mistral-ai> ?p ?o } }")
    assert yes.status == 200 and json.loads(yes.body) == {"head": {}, "boolean": True}
    no = call(server, query="ASK { <urn:nothing> ?p ?o }", accept=protocol.XML)
    assert no.status == 200
    assert ET.fromstring(no.body).findtext("r:boolean", namespaces=XML_NS) == "false"
    refused = call(server, query="ASK { ?s ?p ?o }", accept="text/csv")
    assert refused.status == 406 and "application/sparql-results+json" in refused.text


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated")  # rdflib's own JSON-LD parser
def test_graph_formats_are_isomorphic_and_the_same_bytes_from_every_worker(
    server: SparqlServer, embedded: Engine
) -> None:
    expected = Graph()
    for triple in embedded.query(CONSTRUCT).triples:
        expected.add(triple)
    assert len(expected) > 5
    for accept, syntax in (
        (protocol.TURTLE, "turtle"),
        (protocol.NTRIPLES, "nt"),
        (protocol.JSONLD, "json-ld"),
        (protocol.RDFXML, "xml"),
    ):
        bodies = {call(server, "POST", query=CONSTRUCT, accept=accept).body for _ in range(6)}
        assert len(bodies) == 1, f"{accept} differs between workers (hash seeds)"
        got = Graph().parse(data=bodies.pop().decode("utf-8"), format=syntax)
        assert isomorphic(got, expected), accept
    assert call(server, query=CONSTRUCT).headers["content-type"] == "text/turtle; charset=utf-8"
    refused = call(server, query=CONSTRUCT, accept=protocol.JSON)
    assert refused.status == 406 and "text/turtle" in refused.text


def test_service_description(server: SparqlServer) -> None:
    reply = call(server, accept="text/turtle")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=reply.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    services = list(graph.subjects(URIRef(sd + "endpoint"), URIRef(server.url + "sparql")))
    assert len(services) == 1
    assert (services[0], URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    formats = {str(o) for o in graph.objects(services[0], URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_TSV" in formats and len(formats) == 8


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "says"),
    [
        ("GET", {"query": "SELEC ?x"}, 400, "syntax error at line 1"),
        ("POST", {"query": "SELECT ?x WHERE { ?x ?p }"}, 400, "syntax error"),
        ("POST", {"query": "DROP ALL"}, 403, "read-only"),
        ("POST", {"body": b"update=CLEAR+ALL", "headers": {"Content-Type": protocol.FORM}}, 403, "iadef build"),
        ("POST", {"body": b"CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}, 403, "read-only"),
        ("GET", {"query": "SELECT * WHERE { SERVICE <http://x.example/> { ?s ?p ?o } }"}, 403, "SERVICE"),
        ("GET", {"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"}, 403, "FROM"),
        ("GET", {"query": "LOAD <http://x.example/>"}, 403, "LOAD"),
        ("GET", {"path": "/sparql?query=ASK%7B%7D&named-graph-uri=urn:g"}, 400, "dataset is fixed"),
        ("GET", {"path": "/sparql?query=ASK%7B%7D&default-graph-uri=urn:g"}, 400, "dataset is fixed"),
        ("GET", {"path": "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"}, 400, "2 query parameters"),
        ("POST", {"body": b"", "headers": {"Content-Type": protocol.FORM}}, 400, "holds no query"),
        ("POST", {"body": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415, "application/sparql-query"),
        ("POST", {"body": b"ASK {}", "headers": {"Content-Type": protocol.DIRECT, "Transfer-Encoding": "chunked"}},
         411, "Content-Length"),
        ("GET", {"query": LABELS, "accept": "image/png"}, 406, "text/tab-separated-values"),
        ("GET", {"path": "/nothing"}, 404, "/sparql"),
        ("GET", {"path": "/../../etc/passwd"}, 404, "nothing at"),
        ("PUT", {"body": b"x"}, 405, "PUT is not allowed"),
        ("POST", {"path": "/", "body": b"x"}, 405, "POST is not allowed"),
    ],
)  # fmt: skip
def test_errors_are_clear(server: SparqlServer, method: str, kwargs: dict[str, Any], status: int, says: str) -> None:
    reply = call(server, method, **kwargs)
    assert reply.status == status, reply.text
    assert reply.headers["content-type"] == "text/plain; charset=utf-8"
    assert reply.text.startswith(f"{status} ") and says in reply.text
    if status == 405:
        assert "GET" in reply.headers["allow"]


def test_the_server_keeps_answering_after_errors(server: SparqlServer) -> None:
    conn = HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        for text in ("SELEC", "DROP ALL", LABELS):
            reply = call(server, "POST", query=text, connection=conn)  # one keep-alive connection
        assert reply.status == 200
    finally:
        conn.close()


def test_a_foreign_host_is_refused(server: SparqlServer) -> None:
    for host in ("evil.example", f"evil.example:{server.port}", f"127.0.0.1:{server.port + 1}", ""):
        reply = call(server, query=LABELS, headers={"Host": host})
        assert reply.status == 403 and "DNS rebinding" in reply.text, host
    for host in (f"localhost:{server.port}", f"127.0.0.1:{server.port}"):
        assert call(server, query=LABELS, headers={"Host": host}).status == 200


def test_cross_origin_needs_cors(server: SparqlServer, tight: SparqlServer) -> None:
    foreign = {"Origin": "http://evil.example"}
    refused = call(server, "POST", query=LABELS, headers=foreign)
    assert refused.status == 403 and "--cors" in refused.text
    same = call(server, "POST", query=LABELS, headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert same.status == 200 and "access-control-allow-origin" not in same.headers
    assert call(tight, "POST", query="ASK {}", headers=foreign).status == 403
    allowed = call(tight, "POST", query="ASK {}", headers={"Origin": "http://example.org"})
    assert allowed.status == 200 and allowed.headers["access-control-allow-origin"] == "http://example.org"
    preflight = call(tight, "OPTIONS", headers={"Origin": "http://example.org"})
    assert preflight.status == 204 and "POST" in preflight.headers["access-control-allow-methods"]


def test_security_headers(server: SparqlServer) -> None:
    for reply in (call(server, path="/"), call(server, query=LABELS), call(server, path="/x")):
        assert reply.headers["x-content-type-options"] == "nosniff"
        assert reply.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["server"] == "iadef-serve"


def test_body_over_the_cap_is_413(tight: SparqlServer) -> None:
    reply = call(tight, "POST", body=b"ASK {}" + b" " * 4096, headers={"Content-Type": protocol.DIRECT})
    assert reply.status == 413 and "limit of 2048" in reply.text
    assert call(tight, "POST", body=b"ASK {}", headers={"Content-Type": protocol.DIRECT}).status == 200


def test_result_cap_is_an_error_never_a_cut(tight: SparqlServer) -> None:
    # A cheap query (the tight server also has a 1 s time limit, and CI machines are busy).
    many = "SELECT ?s ?o WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?o } } ORDER BY ?s ?o"
    reply = call(tight, query=many)
    assert reply.status == 422
    assert "more than this endpoint's limit of 5" in reply.text and "LIMIT 5" in reply.text
    graph = call(tight, query=CONSTRUCT)
    assert graph.status == 422 and "triples" in graph.text
    five = call(tight, query=many + "\nLIMIT 5")
    assert five.status == 200 and len(json_rows(five.body)[1]) == 5


def test_timeout_kills_the_worker_and_a_new_one_answers(tight: SparqlServer) -> None:
    before = tight.pool.pids()
    started = time.perf_counter()
    reply = call(tight, query=HEAVY)
    assert reply.status == 503 and "time limit of 1 s" in reply.text
    assert time.perf_counter() - started < 5
    assert all(not alive(pid) for pid in before)
    after = call(tight, query="ASK { ?s ?p ?o }")  # waits for the replacement worker
    assert after.status == 200 and json.loads(after.body)["boolean"] is True
    assert tight.pool.replaced >= 1 and tight.pool.pids() and set(tight.pool.pids()).isdisjoint(before)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# ---------------------------------------------------------------- stores, pages


def test_a_busy_port_is_reported(built: Project, server: SparqlServer) -> None:
    with pytest.raises(IadefError, match=f"cannot listen on 127.0.0.1:{server.port}") as failed:
        SparqlServer(built, StoreSpec("oxigraph"), ServeConfig(port=server.port))
    assert "--port 0" in str(failed.value)


def test_an_endpoint_cannot_be_served(built: Project) -> None:
    with pytest.raises(StoreError, match="not the SPARQL endpoint"):
        prepare_store(built, StoreSpec("endpoint", url="http://127.0.0.1:1/sparql"))


def test_memory_and_disk_stores(built: Project, tmp_path: Path) -> None:
    lines: list[str] = []
    for spec in (StoreSpec("memory"), StoreSpec("oxigraph-disk", path=tmp_path / "store")):
        config = ServeConfig(port=0, workers=2 if spec.kind == "oxigraph-disk" else 1)
        with running(built, spec, config, log=lines.append) as started:
            reply = call(started, query=LABELS)
            assert reply.status == 200 and "Mistral AI" in reply.text
            pids = started.pool.pids()
        assert pids and not any(alive(pid) for pid in pids), "workers must stop with the server"
    assert any('"GET /sparql" 200' in line for line in lines)
    assert not any("Mistral" in line or "query=" in line for line in lines), "the log holds no query text"


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# Test fixture, not a fact: one more quad in a graph of its own, as a later build would add.
ADDED = (
    "<https://w3id.org/iadef/id/test-reload> <http://www.w3.org/2000/01/rdf-schema#label> "
    '"reload test fixture" <https://example.org/iadef-test/reload> .\n'
)


def replace_build(project: Project, text: str) -> None:
    """Write graph/iadef.nq the way ``iadef build`` does: a new file renamed over the old one."""
    target = project.graph / "iadef.nq"
    staged = target.with_name(".iadef.nq.test")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, target)


def quads_served(server: SparqlServer) -> tuple[int, str]:
    reply = call(server, "POST", query=COUNT)
    if reply.status != 200:
        return -reply.status, reply.text
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"]), ""


@pytest.mark.parametrize("kind", ["oxigraph", "oxigraph-disk"], ids=["in memory", "on disk"])
def test_a_new_build_is_served_without_a_restart(kind: str, tmp_path: Path, dataset: Dataset) -> None:
    project = built_project(tmp_path / "project", dataset)
    spec = StoreSpec(kind, path=tmp_path / "store" if kind == "oxigraph-disk" else None)
    lines: list[str] = []
    config = ServeConfig(port=0, workers=2, quiet=True, reload_interval=0.2)
    original = (project.graph / "iadef.nq").read_text(encoding="utf-8")
    with running(project, spec, config, log=lines.append) as server:
        before, _ = quads_served(server)
        first_workers = server.pool.pids()
        seen: list[tuple[int, str]] = []
        stop = threading.Event()

        def client() -> None:  # queries all along the reload
            while not stop.is_set():
                seen.append(quads_served(server))

        watcher = threading.Thread(target=client)
        watcher.start()
        try:
            time.sleep(0.3)
            replace_build(project, original + ADDED)
            deadline = time.monotonic() + 60
            while quads_served(server)[0] != before + 1 and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.3)
        finally:
            stop.set()
            watcher.join()
        assert quads_served(server)[0] == before + 1
        assert server.reloads == 1
        assert any("graph/iadef.nq changed; now serving the new build" in line for line in lines), lines
        counts = [n for n, _ in seen]
        assert counts and set(counts) <= {before, before + 1}, [s for s in seen if s[0] not in (before, before + 1)]
        last_old = len(counts) - 1 - counts[::-1].index(before)
        assert counts[-1] == before + 1 and last_old < counts.index(before + 1), (
            "once the new build answers, the old one never answers again"
        )
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in first_workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in first_workers), "the old workers are stopped"
        assert len(server.pool.pids()) == 2

        replace_build(project, original + ADDED + "this line is not N-Quads\n")
        deadline = time.monotonic() + 60
        while not any("could not be loaded" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
        failure = next(line for line in lines if "could not be loaded" in line)
        # the line at fault, and the previous build goes on answering (a disk store checks before it clears)
        assert f"graph/iadef.nq:{original.count(chr(10)) + 2}: not valid N-Quads" in failure, failure
        assert "still serving the previous one" in failure
        assert quads_served(server) == (before + 1, "")

        replace_build(project, original)  # mended: served again
        deadline = time.monotonic() + 60
        while quads_served(server)[0] != before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert quads_served(server) == (before, "") and server.reloads == 2


def test_a_disk_store_that_fails_to_reload_says_why(tmp_path: Path, dataset: Dataset) -> None:
    """The build parses but the folder cannot be loaded (here: its marker file is damaged)."""
    from iadef.stores.oxigraph_disk import MARKER

    project = built_project(tmp_path / "project", dataset)
    folder = tmp_path / "store"
    lines: list[str] = []
    config = ServeConfig(port=0, workers=1, quiet=True, reload_interval=0.2)
    original = (project.graph / "iadef.nq").read_text(encoding="utf-8")
    with running(project, StoreSpec("oxigraph-disk", path=folder), config, log=lines.append) as server:
        before, _ = quads_served(server)
        marker = (folder / MARKER).read_text(encoding="utf-8")
        (folder / MARKER).write_text("{ damaged", encoding="utf-8")
        replace_build(project, original + ADDED)
        deadline = time.monotonic() + 60
        while not any("could not be loaded" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert any(f"{MARKER}" in line and "no query can be answered" in line for line in lines), lines
        started = time.perf_counter()
        status, text = quads_served(server)
        assert status == -503 and "the new build could not be served" in text and MARKER in text
        assert time.perf_counter() - started < 5, "answered at once, not after waiting for a worker"
        (folder / MARKER).write_text(marker, encoding="utf-8")  # repaired; the next build is served
        replace_build(project, original + ADDED + ADDED.replace("reload test", "second reload test"))
        deadline = time.monotonic() + 60
        while quads_served(server)[0] != before + 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert quads_served(server) == (before + 2, "")


def test_reloading_can_be_turned_off(tmp_path: Path, dataset: Dataset) -> None:
    project = built_project(tmp_path / "project", dataset)
    config = ServeConfig(port=0, workers=1, quiet=True, reload_interval=0)
    original = (project.graph / "iadef.nq").read_text(encoding="utf-8")
    with running(project, StoreSpec("oxigraph"), config, log=lambda line: None) as server:
        before, _ = quads_served(server)
        replace_build(project, original + ADDED)
        time.sleep(1.0)
        assert quads_served(server) == (before, "") and server.reloads == 0


def test_the_graph_page_is_served(server: SparqlServer, built: Project) -> None:
    reply = call(server, path="/", accept="text/html")
    assert reply.status == 200 and reply.body == (built.graph / "iadef.html").read_bytes()
    form = call(server, accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert form.status == 200 and b'id="query"' in form.body
    policy = form.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "script-src 'sha256-" in policy and "connect-src 'self'" in policy


def test_a_missing_graph_page_says_what_to_run(tmp_path: Path, dataset: Dataset) -> None:
    bare = built_project(tmp_path, dataset)
    with running(bare, StoreSpec("oxigraph"), ServeConfig(port=0, workers=1, quiet=True)) as started:
        reply = call(started, path="/")
    assert reply.status == 404 and b"iadef viz" in reply.body


# ---------------------------------------------------------------- standard clients


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated", "ignore:.*query type:RuntimeWarning")
def test_sparqlwrapper(server: SparqlServer) -> None:
    wrapper = pytest.importorskip("SPARQLWrapper", reason="SPARQLWrapper is not installed: pip install -e '.[test]'")
    client = wrapper.SPARQLWrapper(server.url + "sparql")
    client.setQuery(LABELS)
    client.setReturnFormat(wrapper.JSON)
    data = client.queryAndConvert()
    assert "Mistral AI" in {b["label"]["value"] for b in data["results"]["bindings"]}
    client.setReturnFormat(wrapper.XML)
    document = client.queryAndConvert()
    assert document.getElementsByTagName("variable")[0].getAttribute("name") == "entity"
    client.setReturnFormat(wrapper.CSV)
    assert client.queryAndConvert().decode("utf-8").startswith("entity,label\r\n")
    client.setReturnFormat(wrapper.TSV)
    assert client.queryAndConvert().decode("utf-8").startswith("?entity\t?label\n")
    client.setMethod(wrapper.POST)
    client.setQuery(CONSTRUCT)
    for fmt in (wrapper.TURTLE, wrapper.JSONLD, wrapper.XML):
        client.setReturnFormat(fmt)
        answer = client.queryAndConvert()
        graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer.decode("utf-8"), format="turtle")
        assert len(graph) > 5, fmt
    client.setQuery("SELEC x")
    with pytest.raises(wrapper.SPARQLExceptions.QueryBadFormed, match="syntax error"):
        client.queryAndConvert()


def test_curl(server: SparqlServer) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    run = subprocess.run(
        [curl, "-sS", "--fail", "-H", "Accept: text/csv", "--data-urlencode", f"query={LABELS}", server.url + "sparql"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert run.stdout.startswith(b"entity,label\r\n") and "Mistral AI" in run.stdout.decode("utf-8")


@pytest.mark.parametrize("name", LOCAL)
def test_named_queries_through_the_endpoint_client(name: str, server: SparqlServer, embedded: Engine) -> None:
    """iadef's own client (EndpointEngine) against iadef serve: the rows of the embedded engine."""
    from iadef.stores.endpoint import Endpoint, EndpointEngine

    query = CATALOGUE[name]
    remote = EndpointEngine(Endpoint(query_url=server.url + "sparql"))
    params = example_params(query)
    got = remote.query(query.text, bind(query, params, remote))
    expected = embedded.query(query.text, bind(query, params, embedded))
    assert got.variables == expected.variables
    assert sorted(got.rows, key=repr) == sorted(expected.rows, key=repr)


# ---------------------------------------------------------------- load


def test_concurrent_clients_get_no_error(server: SparqlServer, embedded: Engine) -> None:
    texts = [named(CATALOGUE[name], embedded) for name in LOCAL]
    expected = {text: len(embedded.query(text).rows) for text in texts}
    threads, per_thread = 8, 25
    errors: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        conn = HTTPConnection("127.0.0.1", server.port, timeout=60)
        try:
            for i in range(per_thread):
                text = texts[(number * per_thread + i) % len(texts)]
                started = time.perf_counter()
                reply = call(server, "POST", query=text, connection=conn)
                took = time.perf_counter() - started
                rows = len(json_rows(reply.body)[1]) if reply.status == 200 else -1
                with lock:
                    latencies.append(took)
                    if reply.status != 200 or rows != expected[text]:
                        errors.append(f"{reply.status} {rows} rows: {reply.text[:200]}")
        finally:
            conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    elapsed = time.perf_counter() - started
    assert not any(worker.is_alive() for worker in workers), "a client hung (no answer in 120 s)"
    assert errors == []
    assert len(latencies) == threads * per_thread
    latencies.sort()
    print(
        f"\n{len(latencies)} queries from {threads} clients in {elapsed:.2f} s: {len(latencies) / elapsed:.0f} req/s, "
        f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )  # throughput is measured by benchmarks/serve_load.py, not asserted: a shared CI machine varies 2x


# ---------------------------------------------------------------- the command


def test_help_documents_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    text = capsys.readouterr().out
    for needle in ("--port", "--timeout", "--max-rows", "--workers", "--cors", "--store", "read-only", "422", "503"):
        assert needle in text, needle
    assert "no write mode" in text
    assert "--reload-interval" in text and "reloads by itself" in text


def test_a_negative_reload_interval_is_refused(built: Project, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(built.root), "serve", "--port", "0", "--reload-interval", "-1"])
    assert stopped.value.code == 2
    assert "argument --reload-interval: '-1' is not a number of seconds from 0 to 86400" in capsys.readouterr().err


def test_the_command_refuses_an_endpoint_store(built: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(built.root), "serve", "--store", "http://127.0.0.1:1/sparql"]) == 1
    assert "not the SPARQL endpoint" in capsys.readouterr().err


def children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


@pytest.mark.slow
def test_the_command_serves_and_stops_on_sigterm(built: Project) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to see the worker processes")
    command = [sys.executable, "-m", "iadef", "--root", str(built.root), "serve", "--port", "0", "--store", "oxigraph"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("iadef serve: SPARQL endpoint http://127.0.0.1:"), first
        url = first.split()[-1]
        port = int(urllib.parse.urlsplit(url).port or 0)
        workers = children(process.pid)
        assert len(workers) >= 2  # two workers (and multiprocessing's resource tracker)
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": LABELS}), headers={"Accept": "text/csv"})
        assert "Mistral AI" in conn.getresponse().read().decode("utf-8")
        conn.close()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.stderr is not None
    err = process.stderr.read()
    assert '"GET /sparql" 200' in err and "stopped" in err and "Traceback" not in err
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "worker processes outlived the server"


# ---------------------------------------------------------------- in Chromium


class Tab:
    """A served page with everything that failed, was logged as an error, or popped up."""

    def __init__(self, browser: Any, url: str, ready: str) -> None:
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.goto(url)
        self.page.wait_for_selector(ready, state="attached", timeout=60_000)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.mark.slow
def test_the_graph_page_works_in_chromium(browser: Any, server: SparqlServer) -> None:
    tab = Tab(browser, server.url, "body[data-stable='1']")
    try:
        assert tab.page.evaluate("window.iadef.nodes.length") > 20
        assert tab.failed == [] and tab.errors == []
    finally:
        tab.page.close()


@pytest.mark.slow
def test_the_query_form_works_in_chromium(browser: Any, server: SparqlServer) -> None:
    tab = Tab(browser, server.url + "sparql", "body[data-ready='1']")
    page = tab.page
    try:
        page.select_option("#examples-list", "signatories")
        assert "SELECT" in page.input_value("#query")
        page.fill("#query", LABELS)
        page.click("#run")
        page.wait_for_selector("#answer table tbody tr", timeout=30_000)
        cells = page.eval_on_selector_all("#answer td", "cells => cells.map(c => c.firstChild.textContent)")
        assert "Mistral AI" in cells
        assert page.inner_text("#status").endswith(" ms")
        page.fill("#query", f'SELECT ?x WHERE {{ BIND ("{HOSTILE}" AS ?x) }}')
        page.press("#query", "Control+Enter")
        page.wait_for_function("() => document.querySelector('#answer td') !== null", timeout=30_000)
        assert page.inner_text("#answer td") == HOSTILE
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        page.fill("#query", CONSTRUCT)
        page.click("#run")
        page.wait_for_selector("#graph:not([hidden])", timeout=30_000)
        assert "rdfs:label" in page.inner_text("#graph")
        assert tab.failed == [] and tab.errors == [] and tab.dialogs == []
        page.fill("#query", "SELEC nothing")
        page.click("#run")
        page.wait_for_selector("#error:not([hidden])", timeout=30_000)
        assert "syntax error" in page.inner_text("#error") and page.inner_text("#status").startswith("error 400")
    finally:
        page.close()
