"""Hostile requests to ``iadef serve`` (issue 14, items 4, 7 and 8), over raw sockets: a body
shorter than its Content-Length (half-closed, or held open), two Content-Length headers, a
negative one, and a query nested too deeply. Each gets its status and message at once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from rdflib import Dataset

from iadef.paths import Project
from iadef.serve.server import ServeConfig, SparqlServer, running
from iadef.stores.setting import StoreSpec

from .built import built_project

ASK = b"ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Iterator[SparqlServer]:
    project: Project = built_project(tmp_path_factory.mktemp("hostile-serve"), dataset)
    config = ServeConfig(port=0, workers=1, quiet=True, body_timeout=1.0)
    with running(project, StoreSpec("oxigraph"), config, log=lambda line: None) as started:
        yield started


def exchange(server: SparqlServer, head: str, body: bytes, *, half_close: bool = False) -> tuple[int, str, float]:
    """Send a raw request; the status, the body of the answer and the seconds it took."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        head = head.replace("HOST", f"127.0.0.1:{server.port}")
        sock.sendall(head.replace("\n", "\r\n").encode("ascii") + b"\r\n" + body)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    head_bytes, _, answer = data.partition(b"\r\n\r\n")
    status = int(head_bytes.split(b" ", 2)[1])
    return status, answer.decode("utf-8"), time.monotonic() - started


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 1 << 30


def post(lengths: list[str]) -> str:
    headers = "".join(f"Content-Length: {length}\n" for length in lengths)
    return f"POST /sparql HTTP/1.1\nHost: HOST\nContent-Type: application/sparql-query\n{headers}"


def test_a_body_cut_short_by_a_half_close_is_not_run(server: SparqlServer) -> None:
    status, text, _ = exchange(server, post([str(len(ASK) + 1)]), ASK, half_close=True)
    assert (status, text) == (
        400,
        "400 Bad Request: the request body ended after 16 of the 17 bytes Content-Length announces\n"
        "  hint: send the whole body, or the right Content-Length; the truncated query was not run\n",
    )


def test_a_body_that_stops_arriving_is_408_promptly(server: SparqlServer) -> None:
    status, text, seconds = exchange(server, post([str(len(ASK) + 1)]), ASK)
    assert (status, text) == (
        408,
        "408 Request Timeout: the request body stopped arriving: 16 of 17 bytes in 1 s\n"
        "  hint: send the whole body that Content-Length announces\n",
    )
    assert seconds < 10


def test_two_content_lengths_are_refused(server: SparqlServer) -> None:
    status, text, _ = exchange(server, post(["16", "17"]), ASK)
    assert (status, text) == (
        400,
        "400 Bad Request: 2 Content-Length headers ('16', '17')\n  hint: send exactly one\n",
    )


@pytest.mark.parametrize("length", ["-5", "+16", "1e3"])
def test_a_content_length_that_is_not_a_number_of_bytes_is_400(server: SparqlServer, length: str) -> None:
    status, text, _ = exchange(server, post([length]), ASK)
    assert (status, text) == (
        400,
        f"400 Bad Request: bad Content-Length {length!r}\n  hint: a number of bytes: digits only\n",
    )


def test_the_right_body_is_still_answered(server: SparqlServer) -> None:
    status, text, _ = exchange(server, post([str(len(ASK))]) + "Accept: application/sparql-results+json\n", ASK)
    assert status == 200 and "true" in text, text


def test_a_query_nested_too_deeply_is_400(server: SparqlServer) -> None:
    query = ("SELECT ?x WHERE { ?x ?p ?o FILTER(" + "(" * 30 + "1" + ")" * 30 + ") }").encode("ascii")
    status, text, _ = exchange(server, post([str(len(query))]), query)
    assert (status, text) == (
        400,
        "400 Bad Request: query nested too deeply: more than 20 levels of (), {} and [] (at line 1, column 53)\n"
        "  hint: flatten the query: fewer nested parentheses, braces or brackets (split a long expression)\n",
    )


def test_a_query_over_the_size_limit_is_refused() -> None:
    from iadef.errors import QueryError
    from iadef.sparql.guard import MAX_QUERY_CHARS, check

    text = "ASK {}" + " " * MAX_QUERY_CHARS
    with pytest.raises(QueryError) as raised:
        check(text)
    assert raised.value.message == f"the query is {len(text)} characters long, more than the 1000000 allowed"
