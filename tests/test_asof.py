"""`--as-of DATE`: the graph as it stood on a day, the same slice for every command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import networkx as nx
import pytest
from rdflib import XSD, Literal

from iadef.cli.main import main
from iadef.dates import parse, parse_day
from iadef.errors import IadefError
from iadef.namespaces import DCTERMS, FACT, IADEF, ID, PROV, SOURCE
from iadef.sparql.answer import Quad
from iadef.stores.asof import AsOf, slice_quads

CONVENTION = "convention-armees-territoire-bretagne"


# ---------------------------------------------------------------- partial dates


@pytest.mark.parametrize(
    ("value", "day", "known"),
    [
        ("2024-04", "2024-04-30", True),
        ("2024-04", "2024-04-15", True),  # April has begun: a fact dated 2024-04 is in on the 15th
        ("2024-04", "2024-04-01", True),
        ("2024-04", "2024-03-31", False),
        ("2024-04-04", "2024-04-03", False),
        ("2024-04-04", "2024-04-04", True),
        ("2024", "2023-12-31", False),
        ("2024", "2024-01-01", True),
        ("2025-23", "2025-08-31", False),  # EDTF autumn 2025 begins in September
        ("2025-23", "2025-09-01", True),
    ],
)
def test_partial_dates_compare_at_their_precision(value: str, day: str, known: bool) -> None:
    date = parse(value)
    assert date is not None
    assert date.not_after(dt.date.fromisoformat(day)) is known


def test_a_day_of_an_unknown_year_is_no_date() -> None:
    assert parse("--11-19") is None
    assert parse("2024-13") is None
    with pytest.raises(IadefError, match="YYYY-MM-DD"):
        parse_day("avril 2024")


# ---------------------------------------------------------------- the rules on a small dataset


def _fact(name: str, s: str, p: str, o: object, source: str, status: str | None = None) -> list[Quad]:
    g = FACT[name]
    quads: list[Quad] = [(ID[s], IADEF[p], o, g), (g, PROV.wasDerivedFrom, SOURCE[source], None)]  # type: ignore[list-item]
    if status:
        quads.append((g, IADEF.status, IADEF[status], None))
    return quads


def _small() -> list[Quad]:
    return [
        (SOURCE.early, DCTERMS.issued, Literal("2024-01-10", datatype=XSD.date), None),
        (SOURCE.late, DCTERMS.issued, Literal("2024-06-01", datatype=XSD.date), None),
        *_fact("planned", "deal", "party", ID.a, "early", "Planned"),
        *_fact("signed", "deal", "party", ID.a, "late", "Signed"),
        *_fact("future", "deal", "signatureDate", Literal("2024-05", datatype=XSD.gYearMonth), "early"),
        *_fact("undated", "deal", "party", ID.b, "nowhere"),
        *_fact("dated-by-facts", "event", "date", Literal("2024-03-02", datatype=XSD.date), "inferred"),
    ]


def _kept(quads: list[Quad]) -> set[str]:
    return {str(g).removeprefix(str(FACT)) for *_, g in quads if g is not None}


def test_status_as_the_sources_knew_it_then() -> None:
    march = slice_quads(_small(), AsOf(dt.date(2024, 3, 1)))
    assert _kept(march.quads) == {"planned"}
    statuses = {str(o) for s, p, o, g in march.quads if p == IADEF.status}
    assert statuses == {str(IADEF.Planned)}
    june = slice_quads(_small(), AsOf(dt.date(2024, 6, 1)))
    assert _kept(june.quads) == {"planned", "signed", "future", "dated-by-facts"}
    assert {str(o) for s, p, o, g in june.quads if p == IADEF.status} == {str(IADEF.Planned), str(IADEF.Signed)}


def test_a_fact_dated_after_the_day_is_out_even_from_an_earlier_source() -> None:
    assert "future" not in _kept(slice_quads(_small(), AsOf(dt.date(2024, 4, 30))).quads)
    assert "future" in _kept(slice_quads(_small(), AsOf(dt.date(2024, 5, 1))).quads)


def test_undated_sources_are_dated_by_their_facts_or_left_out() -> None:
    sliced = slice_quads(_small(), AsOf(dt.date(2024, 3, 5)))
    assert "dated-by-facts" in _kept(sliced.quads)
    assert "undated" not in _kept(sliced.quads)
    assert any("inferred has no issue date: dated 2024-03-02" in note for note in sliced.notes)
    assert any("nowhere gives no date at all: left out" in note for note in sliced.notes)
    kept = slice_quads(_small(), AsOf(dt.date(2024, 3, 5), include_undated=True))
    assert "undated" in _kept(kept.quads)
    # the provenance of what is left out goes with it, and so does the description of a source left out
    assert not any(s == FACT.signed for s, *_ in sliced.quads)
    assert not any(s == SOURCE.late for s, *_ in sliced.quads)


# ---------------------------------------------------------------- the commands


def test_partners_before_and_after_the_bretagne_convention(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "query", "partners", "--as-of", "2024-04-01", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert CONVENTION not in out
    assert "doc-001-convention-armees-territoire-bretagne has no issue date: dated 2024-04-04" in err
    assert main(["--root", str(root), "query", "partners", "--as-of", "2024-04-05", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]["bindings"]
    vias = {row.get("via", {}).get("value") for row in rows}
    assert str(ID[CONVENTION]) in vias
    # the magazine (issued 2024-04-26) is not known yet on 5 April; the ministry's page is, and so is
    # the roadmap's release, dated 2022 by its plan's period start (its end, 2028, does not date it)
    assert {row["source"]["value"] for row in rows} == {
        str(SOURCE["doc-001-convention-armees-territoire-bretagne"]),
        str(SOURCE["doc-004-feuille-de-route-ia-aura"]),
    }


def test_the_oxigraph_engine_gives_the_same_slice(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = []
    for engine in ("rdflib", "oxigraph"):
        argv = ["--root", str(root), "query", "partners", "--as-of", "2024-04-05", "--format", "csv"]
        assert main([*argv, "--engine", engine]) == 0
        answers.append(capsys.readouterr().out)
    assert answers[0] == answers[1] and CONVENTION in answers[0]


def test_include_undated_keeps_the_mistral_agreement(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--root", str(root), "query", "partners", "--as-of", "2024-04-05", "--format", "csv"]
    assert main(argv) == 0
    assert "mistral-ai" not in capsys.readouterr().out
    assert main([*argv, "--include-undated"]) == 0
    out, err = capsys.readouterr()
    assert "mistral-ai" in out and "kept (--include-undated)" in err


def test_sparql_runs_on_the_slice(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ask = f"ASK {{ GRAPH ?g {{ <{ID[CONVENTION]}> ?p ?o }} ?g <{PROV.wasDerivedFrom}> ?source }}"
    assert main(["--root", str(root), "sparql", ask, "--as-of", "2024-04-01", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is False
    assert main(["--root", str(root), "sparql", ask, "--as-of", "2024-04-05", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["boolean"] is True


def test_network_commands_take_as_of(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "analyze", "--format", "json", "--as-of", "2024-04-05"]) == 0
    early = json.loads(capsys.readouterr().out)["nodes"]
    assert main(["--root", str(root), "analyze", "--format", "json"]) == 0
    assert 0 < early < json.loads(capsys.readouterr().out)["nodes"]
    assert main(["--root", str(root), "export", "--format", "graphml", "--as-of", "2024-04-05"]) == 0
    graph = nx.parse_graphml(capsys.readouterr().out)
    assert CONVENTION in graph and "mistral-ai" not in graph
    page = tmp_path / "p.html"
    assert main(["--root", str(root), "viz", "--out", str(page), "--as-of", "2024-04-05"]) == 0
    assert main(["--root", str(root), "path", "ministère des Armées", "Région Bretagne", "--as-of", "2024-04-05"]) == 0
    assert "Région Bretagne" in capsys.readouterr().out
    # before the convention, the Region is not in the graph at all: the look-up says so
    assert main(["--root", str(root), "path", "ministère des Armées", "Région Bretagne", "--as-of", "2024-04-01"]) == 1


def test_jsonld_of_the_slice(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "export", "--format", "jsonld", "--as-of", "2024-04-05"]) == 0
    text = capsys.readouterr().out
    assert "doc-001-convention-armees-territoire-bretagne" in text and "doc-003-accord-cadre-mistral-ai" not in text


def test_as_of_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(root), "query", "partners", "--as-of", "5 avril"]) == 1
    assert "--as-of" in capsys.readouterr().err
    assert main(["--root", str(root), "query", "partners", "--include-undated"]) == 1
    assert "only applies with --as-of" in capsys.readouterr().err


@pytest.mark.parametrize("engine_name", ["rdflib", "oxigraph"])
def test_sources_are_dated_alike_from_quads_from_a_store_and_for_a_few(root: Path, engine_name: str) -> None:
    from iadef.paths import Project
    from iadef.stores.asof import dated_sources, sources_dated
    from iadef.stores.opening import open_engine

    engine = open_engine(Project(root), engine_name)
    whole = dated_sources(engine)
    assert whole == sources_dated(list(engine.quads()))
    assert whole["doc-001-convention-armees-territoire-bretagne"] == "2024-04-04"  # by its facts
    assert whole["doc-000-bretagne-partenariat-armees"] == "2024-04-26"  # issued
    assert "doc-003-accord-cadre-mistral-ai" not in whole  # no date at all
    few = ["doc-001-convention-armees-territoire-bretagne", "doc-003-accord-cadre-mistral-ai"]
    assert dated_sources(engine, few) == {few[0]: "2024-04-04"}


def test_planned_dates_and_period_ends_do_not_date_a_source(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The roadmap's release gives its plan's period 2022-2028 and no issue date: it is dated 2022, not 2028."""
    assert main(["--root", str(root), "query", "partners", "--as-of", "2023-01-01", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "doc-004-feuille-de-route-ia-aura has no issue date: dated 2022, the latest date its facts report" in err
    assert "feuille-de-route-ia-etat-region-aura" in out
