"""`iadef export`: every format round-trips, bytes are deterministic, cells and literals are safe."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from iadef.cli.main import main
from iadef.namespaces import ONTOLOGY_GRAPH
from iadef.network.exports import network_files
from iadef.network.exports.cypher import literal
from iadef.network.exports.records import EDGE_FIELDS, NODE_FIELDS, records
from iadef.network.exports.tables import safe
from iadef.network.projection import Projection
from iadef.sparql.answer import canonical

from .built import built_project

HOSTILE = '=HYPERLINK("http://x")'


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, root: Path) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    files = {}
    for fmt in ("gexf", "graphml", "jsonld", "cypher"):
        files[fmt] = out / f"iadef.{fmt}"
        assert main(["--root", str(root), "export", "--format", fmt, "--out", str(files[fmt])]) == 0
    files["csv"] = out / "csv"
    assert main(["--root", str(root), "export", "--format", "csv", "--out", str(files["csv"])]) == 0
    return files


def _expected(network: Projection) -> tuple[dict[str, dict[str, object]], dict[str, dict[str, object]]]:
    nodes, edges = records(network, sorted(network.graph.nodes))
    return (
        {n.id: {f: getattr(n, f) for f in NODE_FIELDS if getattr(n, f) != ""} for n in nodes},
        {e.id: {f: getattr(e, f) for f in EDGE_FIELDS if getattr(e, f) != ""} for e in edges},
    )


def test_gexf_round_trips_through_networkx(exported: dict[str, Path], network: Projection) -> None:
    text = exported["gexf"].read_text(encoding="utf-8")
    assert 'xmlns="http://gexf.net/1.3"' in text and 'version="1.3"' in text and 'mode="dynamic"' in text
    graph = nx.read_gexf(exported["gexf"])  # networkx reads GEXF 1.3 (spells included)
    nodes, edges = _expected(network)
    assert set(graph.nodes) == set(nodes) == set(network.graph.nodes)
    for key, data in graph.nodes(data=True):
        want = dict(nodes[key])
        start = want.pop("start", None)
        want.pop("id")
        assert data.pop("spells", [(None, "None")])[0][0] == start
        assert data == want
    read = {data["id"]: (s, t, data) for s, t, data in graph.edges(data=True)}
    assert set(read) == set(edges) and len(read) == network.graph.number_of_edges()
    for key, (s, t, data) in read.items():
        want = dict(edges[key])
        assert (s, t) == (want.pop("source"), want.pop("target"))
        start = want.pop("start", None)
        assert data.pop("spells", [(None, "None")])[0][0] == start
        assert data == want
    # the Bretagne convention is signed on 4 April 2024: its party edges open then on Gephi's timeline
    convention = [d for _, _, d in read.values() if d["id"].startswith("convention-armees-territoire-bretagne|party")]
    assert convention and all(d["date"] == "2024-04-04" for d in convention)


GEXF_XSD = Path(__file__).resolve().parent / "gexf_schema" / "1.3" / "gexf.xsd"


def test_gexf_is_valid_against_the_gexf_1_3_schema(exported: dict[str, Path], tmp_path: Path, dataset: Dataset) -> None:
    import xmlschema

    schema = xmlschema.XMLSchema(str(GEXF_XSD))
    schema.validate(str(exported["gexf"]))
    # hostile text (markup, quotes, a control character XML 1.0 cannot hold) stays well-formed and valid
    project = built_project(tmp_path / "p", dataset, {'"Mistral AI"': json.dumps("<b a=\"1\">\u0001 & 'x'")})
    out = tmp_path / "hostile.gexf"
    assert main(["--root", str(project.root), "export", "--format", "gexf", "--out", str(out)]) == 0
    schema.validate(str(out))
    labels = {d["label"] for _, d in nx.read_gexf(out).nodes(data=True)}
    assert "<b a=\"1\">\ufffd & 'x'" in labels


def test_graphml_round_trips_through_networkx(exported: dict[str, Path], network: Projection) -> None:
    graph = nx.read_graphml(exported["graphml"])
    nodes, edges = _expected(network)
    want = {k: {f: v for f, v in d.items() if f != "id"} for k, d in nodes.items()}
    assert dict(graph.nodes(data=True)) == want
    read = {key: (s, t, data) for s, t, key, data in graph.edges(keys=True, data=True)}
    assert set(read) == set(edges)
    for key, (s, t, data) in read.items():
        want = {f: v for f, v in edges[key].items() if f not in ("id", "source", "target")}
        assert (s, t) == (edges[key]["source"], edges[key]["target"])
        assert data == want
    assert 'attr.type="boolean"' in exported["graphml"].read_text(encoding="utf-8")


def test_jsonld_parses_to_a_dataset_isomorphic_to_the_build(
    exported: dict[str, Path], root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = Dataset(default_union=False)
    built.parse(root / "graph" / "iadef.nq", format="nquads")
    read = Dataset(default_union=False)
    # rdflib's JSON-LD parser rewrites literals to its canonical form by default (a decimal
    # 130000000.0 becomes 130000000, the same value); read the lexical forms as written, as
    # its N-Quads parser does
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)
    read.parse(exported["jsonld"], format="json-ld")

    def graphs(dataset: Dataset) -> dict[object, object]:
        """Each graph with its literals in RDF 1.1 canonical form: "x"^^xsd:string is "x" (the
        default store, pyoxigraph, reports them so), decimals canonical as both engines give them."""
        found = {}
        for g in dataset.graphs():
            if len(g) and g.identifier != ONTOLOGY_GRAPH:
                same = Graph()
                for s, p, o in g:
                    same.add((s, p, canonical(o)))
                found[g.identifier] = same
        return found

    mine, theirs = graphs(built), graphs(read)
    assert set(mine) == set(theirs)
    assert len(mine) > 500
    for name, graph in mine.items():
        assert isomorphic(graph, theirs[name]), name  # type: ignore[arg-type]
    document = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    assert document["@context"]["prov"] == "http://www.w3.org/ns/prov#"
    fact = next(n for n in document["@graph"] if "@graph" in n and "prov:wasDerivedFrom" in n)
    assert fact["@id"].startswith("fact:") and "iadef:quote" in fact


def test_csv_has_one_edge_row_per_source_with_its_quote(exported: dict[str, Path], network: Projection) -> None:
    raw = (exported["csv"] / "edges.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    expected = sum(len(d["evidence"]) for _, _, d in network.graph.edges(data=True))
    assert len(rows) == expected
    assert all(row["quote"] and row["document"] for row in rows)
    nodes = list(csv.DictReader(io.StringIO((exported["csv"] / "nodes.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in nodes] == sorted(network.graph.nodes)


@pytest.mark.parametrize("cell", ["=1+1", "+33 1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_spreadsheet_formulas_are_neutralised(cell: str) -> None:
    assert safe(cell) == "'" + cell
    assert safe("Mistral AI") == "Mistral AI"


def test_csv_with_a_hostile_label_and_a_bom(tmp_path: Path, dataset: Dataset) -> None:
    project = built_project(tmp_path / "p", dataset, {'"Mistral AI"': json.dumps(HOSTILE)})
    out = tmp_path / "csv"
    assert main(["--root", str(project.root), "export", "--format", "csv", "--bom", "--out", str(out)]) == 0
    for name in ("nodes.csv", "edges.csv"):
        raw = (out / name).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        cells = [cell for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for cell in row]
        assert "'" + HOSTILE in cells
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_cypher_keeps_data_out_of_statements(exported: dict[str, Path], network: Projection) -> None:
    lines = exported["cypher"].read_text(encoding="utf-8").splitlines()
    params = [line for line in lines if line.startswith(":param ")]
    statements = [line for line in lines if line and not line.startswith((":param ", "//"))]
    assert statements and params
    assert all(line.isascii() for line in lines)
    for statement in statements:
        assert '"' not in statement and "'" not in statement  # no literal in a statement's text
    keys = set()
    edges = 0
    for line in params:
        # the literal is JSON once its backtick-quoted keys are quoted: read it back
        data = json.loads(re.sub(r"`(\w+)`", r'"\1"', line.removeprefix(":param {rows:"))[:-1])
        for row in data:
            if "key" in row:
                keys.add(row["key"])
            else:
                edges += 1
    assert keys == set(network.graph.nodes)
    assert edges == network.graph.number_of_edges()


def test_cypher_literals_escape_quotes_and_newlines() -> None:
    text = "a\"b'c\\d\ne`f é"
    assert json.loads(literal(text)) == text
    assert "\n" not in literal(text) and literal(text).isascii()
    with pytest.raises(Exception, match="not a plain identifier"):
        literal({"x` DETACH DELETE n //": "1"})


def test_exports_are_deterministic_and_rewrites_are_unchanged(
    tmp_path: Path, root: Path, network: Projection, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = sorted(network.graph.nodes)
    for fmt in ("gexf", "graphml", "csv", "cypher"):
        assert network_files(fmt, network, keys) == network_files(fmt, network, keys)
    out = tmp_path / "a.gexf"
    assert main(["--root", str(root), "export", "--format", "gexf", "--out", str(out)]) == 0
    first = out.read_bytes()
    assert main(["--root", str(root), "export", "--format", "gexf", "--out", str(out)]) == 0
    assert out.read_bytes() == first
    assert "(unchanged" in capsys.readouterr().out


def test_focus_and_type_restrict_the_export(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "export", "--format", "graphml", "--focus", "mistral ai"]) == 0
    graph = nx.parse_graphml(capsys.readouterr().out)
    assert "mistral-ai" in graph and 2 < graph.number_of_nodes() < 20
    assert main(["--root", str(root), "export", "--format", "graphml", "--type", "Person"]) == 0
    people = nx.parse_graphml(capsys.readouterr().out)
    assert people.number_of_nodes() > 3
    assert {d["kind"] for _, d in people.nodes(data=True)} == {"Person"}


def test_export_errors_say_what_to_do(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "export", "--format", "csv"]) == 1
    assert "--out DIR" in capsys.readouterr().err
    assert main(["--root", str(root), "export", "--format", "jsonld", "--focus", "mistral"]) == 1
    assert "hint:" in capsys.readouterr().err


def test_jsonld_to_stdout(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "export", "--format", "jsonld"]) == 0
    read = Dataset(default_union=False)
    read.parse(data=capsys.readouterr().out, format="json-ld")
    assert len(read.graph(URIRef(str(ONTOLOGY_GRAPH)))) == 0
    assert len(list(read.graphs())) > 500


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_a_safe_cell_and_a_faithful_cypher_literal(text: str) -> None:
    cell = safe(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)
    written = literal(text)
    assert written.isascii() and "\n" not in written and "\r" not in written
    assert json.loads(written) == text
