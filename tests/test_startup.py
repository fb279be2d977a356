"""A reading command on the default store (pyoxigraph) loads no more than it needs.

``iadef query partners`` runs in a fresh process: it must import pyoxigraph and none of
rdflib, networkx or pyvis, and print exactly what the rdflib store prints. The table is
rendered from plain terms; the tests below check that those show every literal as rdflib
does (rdflib rewrites the lexical form of the XSD types it knows).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from iadef.sparql.answer import _KEPT, Answer, canonical, plain, plain_literal
from iadef.sparql.results import render

ROOT = Path(__file__).resolve().parents[1]

HEAVY = ("rdflib", "networkx", "pyvis", "pyoxigraph")

PROBE = """
import atexit, runpy, sys
heavy = {heavy!r}
atexit.register(lambda: sys.stderr.write("\\nIMPORTED " + " ".join(m for m in heavy if m in sys.modules) + "\\n"))
sys.argv = ["iadef", *{argv!r}]
runpy.run_module("iadef", run_name="__main__", alter_sys=True)
"""


def run_iadef(*argv: str) -> tuple[str, set[str]]:
    """Output of ``python -m iadef ARGV`` in a fresh process, and the heavy modules it imported."""
    env = {k: v for k, v in os.environ.items() if k != "IADEF_STORE"}
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY, argv=list(argv))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    marks = [line for line in done.stderr.splitlines() if line.startswith("IMPORTED")]
    assert marks, done.stderr
    return done.stdout, set(marks[-1].split()[1:])


def test_query_partners_imports_neither_rdflib_nor_networkx_nor_pyvis() -> None:
    out, imported = run_iadef("query", "partners")
    assert imported == {"pyoxigraph"}
    reference, with_rdflib = run_iadef("query", "partners", "--store", "memory")
    assert "rdflib" in with_rdflib
    assert out == reference
    assert "Région Bretagne" in out and out.endswith("(24 rows)\n")


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_other_formats_are_the_same_on_the_default_store(fmt: str) -> None:
    out, _ = run_iadef("query", "timeline", "--format", fmt)
    reference, _ = run_iadef("query", "timeline", "--format", fmt, "--store", "memory")
    assert out == reference


def _forms() -> list[tuple[str, URIRef]]:
    years = ("0000", "0001", "0999", "2024", "9999")
    days = [f"{d:02d}" for d in range(0, 34)]
    months = [f"{m:02d}" for m in range(0, 14)]
    forms = [(f"{y}-{m}-{d}", XSD.date) for y in years for m in months for d in days]
    forms += [(f"{y}-{m}", XSD.gYearMonth) for y in years for m in months]
    forms += [(y, XSD.gYear) for y in years]
    forms += [(f"--{m}-{d}", XSD.gMonthDay) for m in months for d in days]
    forms += [(v, XSD.integer) for v in ("0", "7", "-7", "10", "123456789012345678901234567890")]
    forms += [(v, XSD.boolean) for v in ("true", "false")]
    return forms


def test_the_kept_forms_are_kept_by_rdflib() -> None:
    for text, datatype in _forms():
        assert _KEPT[str(datatype)].fullmatch(text), (text, datatype)
        assert str(Literal(text, datatype=datatype)) == text, (text, datatype)


@pytest.mark.parametrize(
    ("text", "datatype"),
    [
        ("007", XSD.integer),
        ("+3", XSD.integer),
        ("-0", XSD.integer),
        ("1", XSD.boolean),
        ("1.0E0", XSD.double),
        ("2024-04-04T10:00:00Z", XSD.dateTime),
        ("2024-04-04Z", XSD.date),
        ("130000000.0", XSD.decimal),
        ("-0.00", XSD.decimal),
        ("1.50", XSD.decimal),
        ("2024-04", XSD.gYearMonth),
        ("2025-23", URIRef("http://id.loc.gov/datatypes/edtf/EDTF")),
        ("x", XSD.string),
    ],
)
def test_plain_literals_read_as_rdflib_shows_them(text: str, datatype: URIRef) -> None:
    expected = plain(canonical(Literal(text, datatype=datatype)))
    assert plain_literal(text, None, str(datatype)) == expected
    from_plain = Answer("SELECT", ("v",), plain=((plain_literal(text, None, str(datatype)),),))
    from_rdflib = Answer("SELECT", ("v",), ((canonical(Literal(text, datatype=datatype)),),))
    assert from_plain == from_rdflib
    assert render(from_plain, "table") == render(from_rdflib, "table")
