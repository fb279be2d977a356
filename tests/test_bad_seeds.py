"""Every bad seed stops the build with one clear message (file:line, what, fix) and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from iadef.cli.main import main
from iadef.paths import Project

DOC0 = "seeds/facts/doc-000-bretagne-partenariat-armees.yaml"
DOC4 = "seeds/facts/doc-004-feuille-de-route-ia-aura.yaml"


def _replace(project: Project, rel: str, old: str, new: str) -> int:
    path = project.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    index = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:index].count("\n") + 1


def _run(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--root", str(project.root), "build"])
    return code, capsys.readouterr().err


CASES = [
    # (name, file, old text, new text, expected message fragment)
    (
        "unknown class",
        DOC0,
        "    type: Region\n",
        "    type: Regoin\n",
        "unknown class 'Regoin'\n  hint: did you mean Region",
    ),
    (
        "unknown property",
        DOC0,
        "    p: signatory\n",
        "    p: signatary\n",
        "unknown property 'signatary'\n  hint: did you mean signatory",
    ),
    (
        "dangling reference",
        DOC0,
        "    o: loig-chesnais-girard\n",
        "    o: loig-chesnais\n",
        "o: 'loig-chesnais' is not declared under entities: of this file",
    ),
    (
        "a name split at its comma by a YAML flow list",
        DOC4,
        "    names: ['1,5 milliards']\n",
        "    names: [1,5 milliards]\n",
        "names of 'budget-france-2030-ia': '1' and '5 milliards' stand side by side in "
        "seeds/documents/004_2b2f93aa26f4d4cd.txt as one phrase with a comma\n"
        "  hint: a comma in a YAML flow list ([a, b]) ends a name: put a name with a comma in quotes",
    ),
    (
        "quote not in document",
        DOC0,
        "'Conforter l’ancrage des activités militaires en Bretagne'",
        "'Conforter l’ancrage des activités militaires en Normandie'",
        "quote not found in seeds/documents/000_ca57dd0de0f14747.txt",
    ),
    (
        "apostrophe near miss",
        DOC0,
        "'Conforter l’ancrage des activités militaires en Bretagne'",
        "'Conforter l''ancrage des activités militaires en Bretagne'",
        "differs from the document only in apostrophes",
    ),
    (
        "malformed date",
        DOC0,
        "    v: 2024-04\n",
        "    v: 2024-13\n",
        "bad value for signatureDate: '2024-13' has no month 13",
    ),
    ("impossible date", DOC0, "    v: 2024-04-26\n", "    v: 2023-02-29\n", "is not a real date"),
    (
        "non-numeric amount",
        DOC0,
        "    v: 130000000\n",
        "    v: 130 millions\n",
        "bad value for amount: '130 millions' is not a number",
    ),
    (
        "wrong type for a property",
        DOC0,
        "    o: loig-chesnais-girard\n",
        "    o: region-bretagne\n",
        "signatory expects a Person as object, but 'region-bretagne' is a Region",
    ),
    ("unknown status", DOC0, "    status: signed\n", "    status: done\n", "unknown status 'done'"),
    (
        "literal for an object property",
        DOC0,
        "    o: loig-chesnais-girard\n",
        "    v: loig-chesnais-girard\n",
        "signatory links to an entity: use o:, not v:",
    ),
    ("unknown field", DOC0, "    status: signed\n", "    statut: signed\n", "unknown field 'statut' in a fact"),
    ("malformed YAML", DOC0, "facts:\n", "facts: [\n", "malformed YAML"),
    (
        "duplicate key",
        DOC0,
        "  ministere-des-armees:\n    type: Ministry\n",
        "  region-bretagne:\n    type: Ministry\n",
        "duplicate key 'region-bretagne'",
    ),
    (
        "undeclared entity",
        "seeds/entities.yaml",
        "bruz:\n",
        "bruzz:\n",
        "entity 'bruz' is not declared in seeds/entities.yaml",
    ),
    ("YAML coercion NO stays text", DOC0, "    v: EUR\n", "    v: NO\n", "'NO' is not an ISO 4217 currency code"),
    ("leading zero stays text", DOC0, "    v: 130000000\n", "    v: 0123x\n", "'0123x' is not a number"),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_seed_is_refused_with_file_line_and_fix(
    scratch: Project, capsys: pytest.CaptureFixture[str], name: str, rel: str, old: str, new: str, expected: str
) -> None:
    _replace(scratch, rel, old, new)
    code, err = _run(scratch, capsys)
    assert code == 1
    assert expected in err
    assert err.startswith("iadef: error: seeds/")
    assert err.split(":")[3].strip().isdigit(), err  # file:line
    assert list((scratch.root / "graph").iterdir()) == []


def test_error_line_points_at_the_fault(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    line = _replace(scratch, DOC0, "    type: Region\n", "    type: Regoin\n")
    _, err = _run(scratch, capsys)
    assert f"{DOC0}:{line}: unknown class" in err


def test_cycle_in_sub_organisation(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch.root / DOC0
    path.write_text(
        path.read_text(encoding="utf-8") + "  - s: amiad\n    p: subOrganizationOf\n    o: amiad-volet-recherche\n"
        "    quote: 'la création de cette agence AMIAD avant l’été, dont le volet « recherche »'\n",
        encoding="utf-8",
    )
    code, err = _run(scratch, capsys)
    assert code == 1
    assert "cycle in subOrganizationOf" in err


def test_duplicate_fact(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch.root / DOC0
    fact = "  - s: bruz\n    p: near\n    o: rennes\n    quote: 'à Bruz, près de Rennes'\n"
    path.write_text(path.read_text(encoding="utf-8") + fact + fact, encoding="utf-8")
    code, err = _run(scratch, capsys)
    assert code == 1
    assert "duplicate fact bruz" in err


def test_non_utf8_file(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / DOC0).write_bytes("source: doc\n# caf\xe9\n".encode("latin-1"))
    code, err = _run(scratch, capsys)
    assert code == 1
    assert f"{DOC0}:2: not valid UTF-8" in err


def test_empty_file(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / DOC0).write_text("", encoding="utf-8")
    code, err = _run(scratch, capsys)
    assert code == 1
    assert f"{DOC0}:1: file is empty" in err


def test_huge_file(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / DOC0).write_text("# x\n" * 2_000_000, encoding="utf-8")
    code, err = _run(scratch, capsys)
    assert code == 1
    assert "more than the 5000000 allowed" in err


def test_missing_ontology(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (scratch.root / "ontology" / "iadef.ttl").unlink()
    code, err = _run(scratch, capsys)
    assert code == 1
    assert "no ontology at" in err


def test_malformed_ontology(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = scratch.root / "ontology" / "iadef.ttl"
    path.write_text(path.read_text(encoding="utf-8") + "\niadef:Broken a owl:Class , , .\n", encoding="utf-8")
    code, err = _run(scratch, capsys)
    assert code == 1
    assert "ontology/iadef.ttl: malformed Turtle" in err


def test_a_failed_build_leaves_the_previous_graph_intact(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--root", str(scratch.root), "build"]) == 0
    before = {p.name: p.read_bytes() for p in (scratch.root / "graph").iterdir()}
    _replace(scratch, DOC0, "    type: Region\n", "    type: Regoin\n")
    code, _ = _run(scratch, capsys)
    assert code == 1
    after = {p.name: p.read_bytes() for p in (scratch.root / "graph").iterdir()}
    assert after == before


def test_entity_without_any_mention(scratch: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path: Path = scratch.root / "seeds" / "entities.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nlonely-thing:\n  label: {fr: Chose seule}\n", encoding="utf-8"
    )
    code, err = _run(scratch, capsys)
    assert code == 1
    assert "entity 'lonely-thing' is not mentioned by any source document" in err
