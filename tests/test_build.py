"""`iadef build`: deterministic, committed graph up to date, atomic, 100% sourced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from iadef.cli.main import main
from iadef.curation.build import render
from iadef.curation.dataset import merged_graph
from iadef.curation.seedlines import graph_name
from iadef.curation.stats import compute
from iadef.namespaces import ONTOLOGY_GRAPH
from iadef.paths import Project

from .conftest import ROOT


def _build_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "iadef", "--root", str(ROOT), "build", "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )


def test_two_builds_with_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    _build_in_subprocess(tmp_path / "a", "1")
    _build_in_subprocess(tmp_path / "b", "4242")
    files_a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files_a == ["iadef.nq", "iadef.trig", "iadef.ttl", "manifest.json"]
    for name in files_a:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_committed_graph_is_up_to_date(project: Project, seeds, dataset: Dataset) -> None:
    fresh = render(project, seeds, dataset, project.graph)
    stale = [path.name for path, content in fresh.items() if not path.is_file() or path.read_bytes() != content]
    assert stale == [], "graph/ is stale: run `iadef build` and commit graph/"


def test_trig_nquads_and_turtle_agree(project: Project, dataset: Dataset) -> None:
    trig = Dataset()
    trig.parse(project.graph / "iadef.trig", format="trig")
    nq = Dataset()
    nq.parse(project.graph / "iadef.nq", format="nquads")
    # The ontology's axioms are blank nodes, labelled anew by each parser: compared by isomorphism.
    assert isomorphic(trig.graph(ONTOLOGY_GRAPH), nq.graph(ONTOLOGY_GRAPH))
    assert len(nq.graph(ONTOLOGY_GRAPH)) == len(Graph().parse(project.ontology, format="turtle"))
    others = ({q for q in d.quads((None, None, None, None)) if graph_name(q[3]) != ONTOLOGY_GRAPH} for d in (trig, nq))
    assert next(others) == next(others)
    turtle = Graph().parse(project.graph / "iadef.ttl", format="turtle")
    assert isomorphic(turtle, merged_graph(dataset))


def test_every_fact_has_provenance(dataset: Dataset) -> None:
    stats = compute(dataset)
    assert stats.triples > 500
    assert stats.with_provenance == stats.triples
    assert stats.sources == 5


def test_stats_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "stats"]) == 0
    out = capsys.readouterr().out
    assert "with provenance:" in out and "(100.0%)" in out
    assert "iadef:Ministry" in out and "iadef:partnerOf" in out


def test_build_leaves_no_temporary_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(ROOT), "build", "--out", str(tmp_path)]) == 0
    assert "sourced facts from 5 documents" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["iadef.nq", "iadef.trig", "iadef.ttl", "manifest.json"]


def test_help_is_light_and_lists_every_command() -> None:
    code = (
        "import sys, iadef.cli.main as c\n"
        "p = c.build_parser()\n"
        "heavy = [m for m in ('rdflib', 'owlready2', 'networkx', 'pyvis', 'pyoxigraph') if m in sys.modules]\n"
        "print(heavy)\n"
        "print(p.format_help())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.splitlines()[0] == "[]"
    for command in ("build", "check", "stats"):
        assert command in out


def test_every_command_is_documented_in_the_readme() -> None:
    from iadef.cli.main import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    missing = [name for name in sub.choices if f"iadef {name}" not in readme]  # type: ignore[union-attr]
    assert missing == []


def test_committed_page_is_up_to_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """graph/iadef.html is what `iadef viz` writes from the committed graph (the quick start rewrites it)."""
    project = Project(Path(__file__).resolve().parents[1])
    out = tmp_path / "page.html"
    assert main(["--root", str(project.root), "viz", "--out", str(out)]) == 0
    assert out.read_bytes() == (project.graph / "iadef.html").read_bytes(), "run `iadef viz` and commit graph/"
