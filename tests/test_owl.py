"""HermiT through owlready2 on the real ontology (needs Java; no mock of the reasoner)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from iadef.curation.owl import JAVA_HINT, check_consistency, inferred_graph
from iadef.errors import ReasonerError
from iadef.namespaces import EDTF

ONTOLOGY = Path(__file__).parents[1] / "ontology" / "iadef.ttl"
IADEF = "https://w3id.org/iadef/def/"
ID = "https://w3id.org/iadef/id/"
slow = pytest.mark.slow  # each HermiT run takes one to three seconds


def iadef(name: str) -> URIRef:
    return URIRef(IADEF + name)


def ex(name: str) -> URIRef:
    return URIRef(ID + name)


def ontology() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY, format="turtle")
    return graph


def person_and_company() -> Graph:
    graph = ontology()
    graph.add((ex("x"), RDF.type, iadef("Person")))
    graph.add((ex("x"), RDF.type, iadef("Company")))
    return graph


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the process's temporary directory at an empty folder of the test."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


@slow
def test_ontology_alone_is_consistent() -> None:
    report = check_consistency(ontology())
    assert report.consistent, report.message
    assert report.unsatisfiable == []
    assert report.seconds > 0


@slow
def test_person_that_is_a_company_is_inconsistent() -> None:
    report = check_consistency(person_and_company())
    assert not report.consistent
    assert "inconsistent" in report.message
    assert report.inferred == []


@slow
def test_transitive_and_symmetric_values_are_inferred() -> None:
    graph = ontology()
    graph.add((ex("a"), iadef("subOrganizationOf"), ex("b")))
    graph.add((ex("b"), iadef("subOrganizationOf"), ex("c")))
    graph.add((ex("p"), iadef("partnerOf"), ex("q")))
    report = check_consistency(graph, infer_property_values=True)
    assert report.consistent, report.message
    inferred = set(report.inferred)
    assert (ID + "a", IADEF + "subOrganizationOf", ID + "c") in inferred
    assert (ID + "q", IADEF + "partnerOf", ID + "p") in inferred
    assert (ID + "c", IADEF + "hasSubOrganization", ID + "a") in inferred
    assert (ID + "b", str(RDF.type), IADEF + "Organization") in inferred  # domain
    assert (ID + "a", IADEF + "subOrganizationOf", ID + "b") not in inferred  # asserted


@slow
def test_inferred_graph_holds_only_new_triples() -> None:
    graph = ontology()
    graph.add((ex("a"), iadef("subOrganizationOf"), ex("b")))
    graph.add((ex("b"), iadef("subOrganizationOf"), ex("c")))
    inferred = inferred_graph(graph)
    assert (ex("a"), iadef("subOrganizationOf"), ex("c")) in inferred
    assert not any(triple in graph for triple in inferred)


@slow
def test_inferred_graph_refuses_an_inconsistent_graph() -> None:
    with pytest.raises(ReasonerError, match="inconsistent"):
        inferred_graph(person_and_company())


@slow
def test_dates_edtf_and_ill_typed_literals_do_not_stop_hermit() -> None:
    graph = ontology()
    values = [
        Literal("2024-05-01", datatype=XSD.date),
        Literal("2024", datatype=XSD.gYear),
        Literal("2024-05", datatype=XSD.gYearMonth),
        Literal("--05-01", datatype=XSD.gMonthDay),
        Literal("2024-05~", datatype=EDTF),
        Literal("1,5", datatype=XSD.decimal),  # ill-typed: owlready2 would refuse the file
    ]
    for value in values:
        graph.add((ex("plan"), iadef("adoptionDate"), value))
    report = check_consistency(graph)
    assert report.consistent, report.message
    assert "1 triple(s) left out" in report.message


@slow
def test_no_file_is_left_in_the_temporary_directory(private_tmp: Path) -> None:
    check_consistency(ontology(), infer_property_values=True)
    check_consistency(person_and_company())  # owlready2 leaks its file on this path
    assert os.listdir(private_tmp) == []


def test_time_limit_kills_the_reasoner(private_tmp: Path) -> None:
    with pytest.raises(ReasonerError, match="did not finish"):
        check_consistency(ontology(), timeout_s=0.05)
    assert os.listdir(private_tmp) == []
    assert _wait_until_no_process_mentions(str(private_tmp))


def test_missing_java_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ReasonerError, match="Java is missing") as caught:
        check_consistency(ontology())
    assert caught.value.hint == JAVA_HINT
    assert "apt-get install default-jre-headless" in str(caught.value)


def _wait_until_no_process_mentions(text: str, seconds: float = 5) -> bool:
    """True once no running process has ``text`` in its command line (Linux only)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(text in _cmdline(entry) for entry in proc.iterdir()):
            return True
        time.sleep(0.1)
    return False


def _cmdline(entry: Path) -> str:
    try:
        return (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""
