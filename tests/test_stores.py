"""The store setting (memory, oxigraph, oxigraph:DIR, endpoint), the on-disk store and focused pages.

Driven by the real graph: the seeds' dataset written as ``graph/iadef.nq`` in a private
project folder, the real ontology and the real named queries.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Dataset, URIRef

from iadef.cli.main import main
from iadef.curation.ontology import Ontology
from iadef.errors import StoreError
from iadef.namespaces import FACT, IADEF, ID
from iadef.network.focus import focused_dataset, focused_page
from iadef.network.page import page_data, select
from iadef.network.projection import project_dataset
from iadef.paths import Project
from iadef.sparql.answer import Engine
from iadef.sparql.catalogue import bind, execute, load_catalogue
from iadef.sparql.guard import check, run_with_timeout
from iadef.stores.asof import dated_sources
from iadef.stores.opening import endpoint_for, open_engine, open_store, whole_dataset
from iadef.stores.oxigraph_disk import MARKER, open_disk_store
from iadef.stores.oxigraph_engine import OxigraphEngine
from iadef.stores.rdflib_engine import RdflibEngine
from iadef.stores.setting import StoreSpec, parse_spec, resolve

from .built import built_project, without_ontology
from .test_queries import example_call

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = load_catalogue(ROOT / "queries")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Project:
    return built_project(tmp_path_factory.mktemp("stores-project"), dataset)


@pytest.fixture(scope="module")
def memory(built: Project) -> Engine:
    return open_engine(built, "rdflib")


@pytest.fixture(scope="module")
def disk(built: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("oxigraph") / "store"
    engine = open_store(built, StoreSpec("oxigraph-disk", path=folder))
    yield engine
    engine.close()


# ------------------------------------------------------------------ the setting


def test_spec_forms(tmp_path: Path) -> None:
    assert parse_spec("memory", origin="--store", base=tmp_path).kind == "memory"
    assert parse_spec("oxigraph", origin="--store", base=tmp_path).kind == "oxigraph"
    disk = parse_spec("oxigraph:store", origin="--store", base=tmp_path)
    assert (disk.kind, disk.path) == ("oxigraph-disk", tmp_path / "store")
    assert parse_spec("oxigraph:/abs/dir", origin="--store", base=tmp_path).path == Path("/abs/dir")
    url = parse_spec("http://127.0.0.1:8890/sparql", origin="--store", base=tmp_path)
    assert (url.kind, url.url) == ("endpoint", "http://127.0.0.1:8890/sparql")
    assert parse_spec("sparql:https://example.org/q", origin="x", base=tmp_path).url == "https://example.org/q"
    with pytest.raises(StoreError, match=r"--store: unknown store 'fuseki'") as info:
        parse_spec("fuseki", origin="--store", base=tmp_path)
    assert "oxigraph:DIR" in str(info.value)
    with pytest.raises(StoreError, match="needs a folder"):
        parse_spec("oxigraph:", origin="--store", base=tmp_path)


def test_setting_order_command_line_then_environment_then_file(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert resolve(project, environ={}).kind == "oxigraph"
    (tmp_path / "iadef.toml").write_text(
        '# where iadef reads the graph\nstore = "oxigraph:data/store"\nuser = "reader"\n'
        'graph-store = "http://127.0.0.1:1/sparql-graph-crud-auth"\n',
        encoding="utf-8",
    )
    from_file = resolve(project, environ={})
    assert (from_file.kind, from_file.path, from_file.origin) == (
        "oxigraph-disk",
        tmp_path / "data/store",
        "iadef.toml:2",
    )
    from_env = resolve(project, environ={"IADEF_STORE": "http://127.0.0.1:1/sparql"})
    assert (from_env.kind, from_env.user, from_env.origin) == ("endpoint", "reader", "IADEF_STORE")
    assert endpoint_for(from_env).graph_store_url == "http://127.0.0.1:1/sparql-graph-crud-auth"
    assert resolve(project, "memory", environ={"IADEF_STORE": "oxigraph"}).kind == "memory"
    assert resolve(project, endpoint="http://h/sparql", environ={}).url == "http://h/sparql"
    with pytest.raises(StoreError, match="not both"):
        resolve(project, "memory", endpoint="http://h/sparql", environ={})
    with pytest.raises(StoreError, match="is not an http"):
        resolve(project, endpoint="oxigraph", environ={})


def test_config_file_errors_name_the_line(tmp_path: Path) -> None:
    project = Project(tmp_path)
    (tmp_path / "iadef.toml").write_text('store = "memory"\n\nstroe = "oxigraph"\n', encoding="utf-8")
    with pytest.raises(StoreError) as unknown:
        resolve(project, environ={})
    assert str(unknown.value).startswith("iadef.toml:3: unknown setting 'stroe'")
    (tmp_path / "iadef.toml").write_text("store = 3\n", encoding="utf-8")
    with pytest.raises(StoreError, match=r"iadef.toml:1: store must be a string"):
        resolve(project, environ={})
    (tmp_path / "iadef.toml").write_text('store = "memory\n', encoding="utf-8")
    with pytest.raises(StoreError, match=r"iadef.toml: .*line 1"):
        resolve(project, environ={})
    (tmp_path / "iadef.toml").write_text('store = "couchdb"\n', encoding="utf-8")
    with pytest.raises(StoreError, match=r"iadef.toml:1: unknown store 'couchdb'"):
        resolve(project, environ={})


# ------------------------------------------------------------------ the on-disk Oxigraph store


def test_disk_store_loads_once_and_follows_the_build(built: Project, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    nq = tmp_path / "iadef.nq"
    shutil.copy(built.graph / "iadef.nq", nq)
    store, first = open_disk_store(nq, built.ontology, folder)
    del store
    assert first.loaded and first.quads > 5000
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    assert marker["state"] == "ready" and marker["quads"] == first.quads
    store, second = open_disk_store(nq, built.ontology, folder)
    del store
    assert not second.loaded and second.quads == first.quads
    os.utime(nq, ns=(1, 1))  # touched, same bytes: no reload
    store, touched = open_disk_store(nq, built.ontology, folder)
    del store
    assert not touched.loaded
    lines = nq.read_bytes().splitlines(keepends=True)
    nq.write_bytes(b"".join(lines[:-10]))  # the build changed: reload, and the store holds the new build
    store, changed = open_disk_store(nq, built.ontology, folder)
    assert changed.loaded and changed.quads == first.quads - 10
    assert len(store) == changed.quads
    del store


def test_interrupted_load_is_redone_and_foreign_folders_are_refused(built: Project, tmp_path: Path) -> None:
    folder = tmp_path / "store"
    store, _ = open_disk_store(built.graph / "iadef.nq", built.ontology, folder)
    del store
    (folder / MARKER).write_text('{"format": 1, "state": "loading"}', encoding="utf-8")
    store, again = open_disk_store(built.graph / "iadef.nq", built.ontology, folder)
    del store
    assert again.loaded
    foreign = tmp_path / "someone-elses"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError, match="not written by iadef"):
        open_disk_store(built.graph / "iadef.nq", built.ontology, foreign)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(StoreError, match="run `iadef build` first"):
        open_disk_store(tmp_path / "missing.nq", built.ontology, tmp_path / "other")


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_every_named_query_same_rows_on_disk(name: str, memory: Engine, disk: Engine) -> None:
    query = CATALOGUE[name]
    params, network = example_call(query)
    if network:
        pytest.skip("needs the network (federated Wikidata query)")
    checked = check(query.text, name=name)
    first = execute(checked, memory, bind(query, params, memory))
    second = execute(checked, disk, bind(query, params, disk))
    assert first.variables == second.variables
    assert first.rows == second.rows
    if not name.endswith("-violation"):
        assert first.rows, f"{name} returns rows on the seeds"


def test_quads_agree_across_stores(memory: Engine, disk: Engine) -> None:
    mistral = ID["mistral-ai"]
    for pattern in ((mistral, None, None), (None, None, mistral), (None, RDF.type, IADEF.SourceDocument)):
        a, b = set(memory.quads(*pattern)), set(disk.quads(*pattern))
        assert a == b and a
    types = {(o, g) for _, _, o, g in memory.quads(mistral, RDF.type, None)}
    assert any(o == IADEF.Company and str(g).startswith(str(FACT)) for o, g in types)
    assert all(g is None for *_, g in memory.quads(None, RDF.type, IADEF.SourceDocument))


def test_whole_dataset_matches_the_file(built: Project, memory: Engine, disk: Engine) -> None:
    assert isinstance(disk, OxigraphEngine)

    def named(engine: Engine) -> set[object]:  # blank nodes of the ontology get other labels in each store
        return {q for q in engine.quads() if not any(isinstance(t, BNode) for t in q)}

    expected = named(memory)
    assert named(RdflibEngine(whole_dataset(disk))) == expected
    assert len(expected) > 6000  # the graph and the ontology graph


def test_run_with_timeout_forks_only_when_allowed() -> None:
    here = os.getpid()
    assert run_with_timeout(os.getpid, 10) != here  # a forked child on Linux
    assert run_with_timeout(os.getpid, 10, fork=False) == here  # a thread of this process


def test_queries_on_a_freshly_loaded_disk_store_never_hang(built: Project, tmp_path: Path) -> None:
    """RocksDB's background threads made a forked child wait forever (about 1 query in 20).

    The on-disk engine says it is not fork-safe, so ``execute`` runs its queries in a thread.
    Forty fresh loads, each queried at once, as ``iadef query --store oxigraph:DIR`` does:
    before the fix, the chance that none hung was about 13%.
    """
    checked = check(CATALOGUE["partners"].text, name="partners")
    expected = None
    for i in range(40):
        engine = open_store(built, StoreSpec("oxigraph-disk", path=tmp_path / f"s{i}"))
        try:
            assert engine.fork_safe is False
            rows = execute(checked, engine, timeout=20).rows
        finally:
            engine.close()
        assert rows and (expected is None or rows == expected)
        expected = rows


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "oxigraph-disk"])
@pytest.mark.parametrize("broken", ["graph", "ontology"])
def test_a_corrupt_graph_file_is_named_with_its_line(
    kind: str, broken: str, tmp_path: Path, dataset: Dataset, capsys: pytest.CaptureFixture[str]
) -> None:
    # A build holds the ontology, so the stores read ontology/iadef.ttl only for a graph without it.
    project = built_project(tmp_path / "project", dataset if broken == "graph" else without_ontology(dataset))
    target = project.graph / "iadef.nq" if broken == "graph" else project.ontology
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = 6 if broken == "graph" else len(lines) + 1
    target.write_text(
        "".join([*lines[:5], "this line is not RDF\n", *lines[5:]])
        if broken == "graph"
        else "".join(lines) + "@prefix broken\n",
        encoding="utf-8",
    )
    shown = "graph/iadef.nq" if broken == "graph" else "ontology/iadef.ttl"
    spec = StoreSpec(kind, path=tmp_path / "store" if kind == "oxigraph-disk" else None)
    with pytest.raises(StoreError) as failed:
        open_store(project, spec)
    error = failed.value
    assert str(error.path).endswith(shown) and error.line == bad, str(error)
    assert error.message.startswith("not valid N-Quads" if broken == "graph" else "not valid Turtle")
    assert "iadef build" in str(error.hint) if broken == "graph" else "iadef check" in str(error.hint)
    code = main(
        [
            "--root",
            str(project.root),
            "query",
            "partners",
            "--store",
            kind if kind != "oxigraph-disk" else f"oxigraph:{tmp_path / 'store2'}",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and f"{shown}:{bad}: not valid" in err and "Traceback" not in err


# ------------------------------------------------------------------ focused pages from a store


def test_focused_neighbourhood_gives_the_same_page_as_the_whole_graph(built: Project, disk: Engine) -> None:
    ontology = Ontology.load(built.ontology)
    full = project_dataset(whole_dataset(disk), ontology)
    keys = sorted(full.graph.nodes)
    assert len(keys) > 50
    dates = dated_sources(disk)  # the sources' dates over the whole store (the page's slider)
    for key in keys:
        part = project_dataset(focused_dataset(disk, ontology, ID[key], 1), ontology, dates)
        assert len(part.graph) < len(full.graph) or key == "ministere-des-armees"
        a = page_data(full, select(full, focus=key, depth=1), focus=key)
        b = page_data(part, select(part, focus=key, depth=1), focus=key)
        for section in ("nodes", "edges", "details", "edgeDetails"):
            assert a[section] == b[section], (key, section)
    for key in ("mistral-ai", "region-bretagne"):
        part = project_dataset(focused_dataset(disk, ontology, ID[key], 2), ontology, dates)
        a, b = (page_data(p, select(p, focus=key, depth=2), focus=key) for p in (full, part))
        assert a["edges"] == b["edges"] and a["details"] == b["details"]


def test_focused_page_reads_only_the_neighbourhood(built: Project, disk: Engine) -> None:
    ontology = Ontology.load(built.ontology)
    part = focused_dataset(disk, ontology, ID["mistral-ai"], 1)
    read = {g for g in part.graphs() if str(g.identifier).startswith(str(FACT))}
    everything = {g for *_, g in disk.quads() if g is not None and str(g).startswith(str(FACT))}
    assert 0 < len(read) < len(everything) / 2
    page = focused_page(disk, built, "mistral-ai", 1, "en")
    assert b"Mistral AI" in page and b"<script src=" not in page


# ------------------------------------------------------------------ the CLI


def test_cli_reads_the_store_setting(built: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(built.root)
    assert main(["--root", root, "query", "partners", "--format", "csv"]) == 0
    in_memory = capsys.readouterr().out
    folder = tmp_path / "cli-store"
    assert main(["--root", root, "query", "partners", "--format", "csv", "--store", f"oxigraph:{folder}"]) == 0
    assert capsys.readouterr().out == in_memory
    assert (folder / MARKER).is_file()
    os.environ["IADEF_STORE"] = f"oxigraph:{folder}"
    try:
        assert main(["--root", root, "query", "partners", "--format", "csv"]) == 0
        assert capsys.readouterr().out == in_memory
        out = tmp_path / "ego.html"
        assert main(["--root", root, "viz", "--focus", "mistral ai", "--out", str(out)]) == 0
        assert b"Mistral AI" in out.read_bytes()
        assert main(["--root", root, "stats"]) == 0
        assert "with provenance:" in capsys.readouterr().out
    finally:
        del os.environ["IADEF_STORE"]
    assert main(["--root", root, "query", "partners", "--engine", "oxigraph", "--store", "memory"]) == 1
    assert "cannot be combined" in capsys.readouterr().err
    assert main(["--root", root, "query", "partners", "--store", "nowhere"]) == 1
    assert "--store: unknown store 'nowhere'" in capsys.readouterr().err


def test_focus_on_a_post_is_explained(built: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "p.html")
    code = main(
        ["--root", str(built.root), "viz", "--store", "oxigraph", "--out", out, "--focus", "ministre des Armées"]
    )
    assert code == 1
    assert "is a post, not a node" in capsys.readouterr().err


def test_uri_terms_round_trip(memory: Engine, disk: Engine) -> None:
    graphs = {g for *_, g in memory.quads(ID["mistral-ai"], None, None)}
    assert all(g is None or isinstance(g, URIRef) for g in graphs)
    assert graphs == {g for *_, g in disk.quads(ID["mistral-ai"], None, None)}
