"""Hostile seeds, ontology and shapes (issue 14, items 9 and 11): a quote in another Unicode
normalisation, a negative amount or count, a currency not in ISO 4217, a class cycle in the
ontology, and a SHACL-SPARQL shape that uses SERVICE or does not parse. Each stops
``iadef build`` (or ``check``/``validate``) with file:line, what is wrong and what to do."""

from __future__ import annotations

import os
import unicodedata

import pytest

from iadef.cli.main import main
from iadef.paths import Project

DOC0 = "seeds/facts/doc-000-bretagne-partenariat-armees.yaml"
QUOTE = "Conforter l’ancrage des activités militaires en Bretagne"


def replace(project: Project, rel: str, old: str, new: str) -> int:
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def refused(project: Project, capsys: pytest.CaptureFixture[str], command: str = "build") -> str:
    assert main(["--root", str(project.root), command]) == 1
    assert os.listdir(project.graph) == []
    return capsys.readouterr().err


def test_a_quote_in_nfd_is_refused_with_a_hint_about_normalisation(
    scratch: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    decomposed = unicodedata.normalize("NFD", QUOTE)
    assert decomposed != QUOTE
    line = replace(scratch, DOC0, f"'{QUOTE}'", f"'{decomposed}'")
    assert refused(scratch, capsys) == (
        f"iadef: error: {DOC0}:{line}: quote not found in seeds/documents/000_ca57dd0de0f14747.txt: {decomposed!r}\n"
        "  hint: the quote differs from the document only in Unicode normalisation (an accent written as a "
        "separate combining character, NFD, against a composed letter, NFC, or the reverse): copy the passage "
        "from seeds/documents/000_ca57dd0de0f14747.txt itself\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "prop"),
    [("    v: 130000000\n", "    v: -5\n", "amount"), ("    v: 300\n", "    v: -1\n", "count")],
)
def test_a_negative_amount_or_count_is_refused(
    scratch: Project, capsys: pytest.CaptureFixture[str], old: str, new: str, prop: str
) -> None:
    line = replace(scratch, DOC0, old, new)
    value = new.split(": ")[1].strip()
    assert refused(scratch, capsys) == (
        f"iadef: error: {DOC0}:{line}: bad value for {prop}: '{value}' is negative: write a number of 0 or more\n"
    )


def test_a_currency_not_in_iso_4217_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = replace(scratch, DOC0, "    v: EUR\n", "    v: ZZZ\n")
    assert refused(scratch, capsys) == (
        f"iadef: error: {DOC0}:{line}: bad value for currency: 'ZZZ' is not in the ISO 4217 list of currency codes "
        "(src/iadef/curation/data/iso-4217.tsv)\n"
    )


def test_the_currency_list_is_data_with_its_source() -> None:
    from importlib import resources

    from iadef.curation.values import currencies

    text = resources.files("iadef.curation").joinpath("data", "iso-4217.tsv").read_text(encoding="utf-8")
    assert "Source: Debian package iso-codes" in text
    assert {"EUR", "USD", "CHF", "XXX"} <= currencies() and "ZZZ" not in currencies()
    assert len(currencies()) == 181


def test_a_class_cycle_in_the_ontology_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = replace(
        scratch,
        "ontology/iadef.ttl",
        "    rdfs:subClassOf iadef:Actor , org:Organization",
        "    rdfs:subClassOf iadef:Actor , iadef:Ministry , org:Organization",
    )
    assert line == 46
    assert refused(scratch, capsys, "check") == (
        "iadef: error: ontology/iadef.ttl:46: cycle in rdfs:subClassOf: Organization -> Ministry -> Organization "
        "(line 46: Organization subClassOf Ministry; line 139: Ministry subClassOf Organization)\n"
        "  hint: a class cannot be its own superclass through others (each would hold every member of the "
        "others): remove the rdfs:subClassOf that is wrong\n"
    )


SERVICE_SHAPE = '''
ish:Evil a sh:NodeShape ;
    sh:targetClass iadef:Organization ;
    sh:sparql [
        sh:message "evil" ;
        sh:select """SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ?p ?o } }""" ;
    ] .
'''
BROKEN_SHAPE = '''
ish:Broken a sh:NodeShape ;
    sh:targetClass iadef:Organization ;
    sh:sparql [
        sh:message "broken" ;
        sh:select """
            SELECT $this WHERE {
                $this ?p ?o
                FILTER (?o = )
            }""" ;
    ] .
'''


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_shape_whose_sparql_uses_service_is_refused(
    scratch: Project, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    shapes = scratch.root / "ontology" / "shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    shapes.write_text(text + SERVICE_SHAPE, encoding="utf-8")
    line = (text + SERVICE_SHAPE).count("\n", 0, len(text) + SERVICE_SHAPE.index("sh:select")) + 1
    assert refused(scratch, capsys, command) == (
        f"iadef: error: ontology/shapes.ttl:{line}: SPARQL of shape ish:Evil: SERVICE is refused\n"
        "  hint: a shape's query runs on the graph alone: remove the SERVICE, FROM or update\n"
    )


def test_a_shape_whose_sparql_does_not_parse_is_refused(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    shapes = scratch.root / "ontology" / "shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    shapes.write_text(text + BROKEN_SHAPE, encoding="utf-8")
    line = (text + BROKEN_SHAPE).count("\n", 0, len(text) + BROKEN_SHAPE.index("FILTER (?o = )")) + 1
    assert refused(scratch, capsys, "validate") == (
        f"iadef: error: ontology/shapes.ttl:{line}: SPARQL of shape ish:Broken: SPARQL syntax error at column 17: "
        "Expected SelectQuery\n"
        "  hint: fix the query's syntax at that line\n"
    )
