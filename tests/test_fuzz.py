"""Property-based tests: random and mutated seed files (and RDF files) either load or
fail with the project's own error type, never with another exception.

A tiny project (the real ontology, one short document, five entities, five facts)
keeps each example to a few milliseconds, so that mutations reach every stage of the
loader: YAML reading, fields, references, quotes, values, cycles, then the dataset.
Examples are derandomised so that CI runs are reproducible.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iadef.cli.main import main
from iadef.curation.dataset import build_dataset
from iadef.curation.loader import load_seeds
from iadef.curation.ontology import Ontology
from iadef.curation.rdfinput import FORMATS, parse_text
from iadef.errors import IadefError
from iadef.paths import Project

from .conftest import ROOT

DOCUMENT = (
    "Le 4 avril 2024, la Région Bretagne et le ministère des Armées ont signé une convention de partenariat "
    "de 130 millions d’euros à Rennes.\n"
)
FILES = {
    "seeds/sources.yaml": (
        "doc:\n  file: doc.txt\n  title: Une convention\n  language: fr\n  kind: article\n  issued: 2024-04-04\n"
    ),
    "seeds/entities.yaml": (
        "region-bretagne:\n  label: {fr: Région Bretagne, en: Brittany Region}\n"
        "ministere-des-armees:\n  label: {fr: ministère des Armées}\n  acronyms: [MINARM]\n"
        "convention:\n  label: {fr: convention de partenariat}\n"
        "rennes:\n  label: {fr: Rennes}\n"
        "budget:\n  label: {fr: budget de la convention}\n"
    ),
    "seeds/facts/doc.yaml": (
        "source: doc\n"
        "entities:\n"
        "  region-bretagne:\n    type: Region\n    names: [Région Bretagne]\n    quote: 'la Région Bretagne'\n"
        "  ministere-des-armees:\n    type: Ministry\n    quote: 'le ministère des Armées'\n"
        "  convention:\n    type: Convention\n    quote: 'une convention de partenariat'\n"
        "  rennes:\n    type: City\n    quote: 'à Rennes'\n"
        "  budget:\n    type: Budget\n    quote: '130 millions d’euros'\n"
        "facts:\n"
        "  - s: convention\n    p: party\n    o: region-bretagne\n"
        "    quote: 'la Région Bretagne et le ministère des Armées ont signé'\n    status: signed\n"
        "  - s: convention\n    p: signatureDate\n    v: 2024-04-04\n    quote: 'Le 4 avril 2024'\n"
        "  - s: convention\n    p: signedAt\n    o: rennes\n    quote: 'à Rennes'\n"
        "  - s: budget\n    p: amount\n    v: 130000000\n    quote: '130 millions d’euros'\n"
        "  - s: region-bretagne\n    p: partnerOf\n    o: ministere-des-armees\n    quote: 'ont signé une convention'\n"
        "  - s: convention\n    p: objective\n    v: partenariat\n    lang: fr\n"
        "    quote: 'une convention de partenariat'\n"
    ),
}
NAMES = sorted(FILES)
FUZZ = settings(
    max_examples=60,
    deadline=2000,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Ontology]:
    root = tmp_path_factory.mktemp("tiny")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    (root / "seeds" / "facts").mkdir(parents=True)
    (root / "seeds" / "documents").mkdir()
    (root / "seeds" / "documents" / "doc.txt").write_text(DOCUMENT, encoding="utf-8")
    project = Project(root)
    return project, Ontology.load(project.ontology)


def load_with(project: Project, ontology: Ontology, name: str, content: bytes) -> None:
    """Write the pristine seeds, replace one file by ``content``, and load: ok or IadefError."""
    for rel, text in FILES.items():
        (project.root / rel).write_text(text, encoding="utf-8")
    (project.root / name).write_bytes(content)
    try:
        build_dataset(load_seeds(project, ontology))
    except IadefError as exc:
        assert str(exc).strip(), "an error must say something"


def test_the_pristine_tiny_project_builds(tiny: tuple[Project, Ontology]) -> None:
    project, ontology = tiny
    for rel, text in FILES.items():
        (project.root / rel).write_text(text, encoding="utf-8")
    dataset = build_dataset(load_seeds(project, ontology))
    assert len(list(dataset.quads((None, None, None, None)))) > 20


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """One seed file with a few line- or character-level mutations."""
    name = draw(st.sampled_from(NAMES))
    lines = FILES[name].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace", "indent", "truncate"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "insert":
            lines.insert(at, draw(st.text(max_size=40)) + "\n")
        elif action == "replace" and lines[at]:
            column = draw(st.integers(0, len(lines[at]) - 1))
            char = draw(st.sampled_from([*":-[]{}'\"#&*!|>%@` \t\\x0", draw(st.characters())]))
            lines[at] = lines[at][:column] + char + lines[at][column + 1 :]
        elif action == "indent":
            lines[at] = draw(st.sampled_from([" ", "  ", "\t", ""])) + lines[at].lstrip(" ")
        elif action == "truncate":
            lines = lines[:at]
    return name, "".join(lines).encode("utf-8")


@FUZZ
@given(mutated())
def test_mutated_seed_files_load_or_fail_with_iadef_error(
    tiny: tuple[Project, Ontology], case: tuple[str, bytes]
) -> None:
    load_with(*tiny, *case)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates().map(str),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    ["source", "entities", "facts", "type", "names", "quote", "s", "p", "o", "v", "lang", "label", "fr", "language"]
)


@settings(FUZZ, max_examples=40)
@given(
    st.sampled_from(NAMES),
    st.dictionaries(FIELDS | st.text(max_size=10), YAML_VALUES, max_size=5),
)
def test_random_yaml_documents_load_or_fail_with_iadef_error(
    tiny: tuple[Project, Ontology], name: str, document: dict[str, object]
) -> None:
    load_with(*tiny, name, yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


@settings(FUZZ, max_examples=25)
@given(st.sampled_from(NAMES), st.binary(max_size=300))
def test_random_bytes_load_or_fail_with_iadef_error(tiny: tuple[Project, Ontology], name: str, content: bytes) -> None:
    load_with(*tiny, name, content)


RDF_SAMPLES = {
    "turtle": '@prefix ex: <http://example.org/> .\nex:a ex:p ex:b , "c"@fr ; ex:q 1.5 .\n',
    "nt": '<http://example.org/a> <http://example.org/p> "x"^^<http://www.w3.org/2001/XMLSchema#date> .\n',
    "xml": '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a"><ex:p>x</ex:p>'
    "</rdf:Description>\n</rdf:RDF>\n",
    "json-ld": '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": [{"@id": "ex:b"}, "c"]}',
}


@settings(FUZZ, max_examples=25)
@given(st.sampled_from(sorted(RDF_SAMPLES)), st.data())
def test_mutated_rdf_is_read_or_refused_with_iadef_error(rdf_format: str, data: st.DataObject) -> None:
    text = RDF_SAMPLES[rdf_format]
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 5))
    text = text[:at] + data.draw(st.text(max_size=8)) + text[at + cut :]
    assert rdf_format in FORMATS.values()
    try:
        parse_text(text, rdf_format, shown="fuzz")
    except IadefError as exc:
        assert str(exc).startswith("fuzz")


# ------------------------------------------------------------------ what fuzzing found, kept as regressions

DOC0 = "seeds/facts/doc-000-bretagne-partenariat-armees.yaml"


def _line_after(path: str, text: str) -> int:
    """The line a one-line insertion before ``text`` of the real seed file moves ``text`` to."""
    lines = (Path(__file__).resolve().parents[1] / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith(text)) + 1


LAUGHS = "lol: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"lol{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)
REGRESSIONS = [
    # (name, file, old text or None to append, new text, expected first line after "iadef: error: ");
    # ":+N:" is the N-th appended line
    (
        "YAML alias",
        DOC0,
        None,
        "  - s: &k bruz\n    p: near\n    o: *k\n    quote: 'à Bruz, près de Rennes'\n",
        f"{DOC0}:+3: YAML aliases (*name) are not allowed",
    ),
    (
        "YAML billion laughs",
        "seeds/entities.yaml",
        None,
        LAUGHS,
        "seeds/entities.yaml:+2: YAML aliases (*name) are not allowed",
    ),
    ("deep nesting", DOC0, None, "deep: " + "[" * 100_000 + "\n", f"{DOC0}:+1: nested more than 32 levels deep"),
    (
        "control character",
        DOC0,
        None,
        "# \x00\n",
        f"{DOC0}:+1: malformed YAML: control character U+0000 is not allowed",
    ),
    (
        "impossible issued date",
        "seeds/sources.yaml",
        "  issued: 2024-04-26\n",
        "  issued: 2024-02-30\n",
        "seeds/sources.yaml:15: bad value for issued: '2024-02-30' is not a real date (02/2024 has no day 30)",
    ),
    (
        "bad language tag of a source",
        "seeds/sources.yaml",
        "  language: fr\n",
        "  language: fr_FR\n",
        "seeds/sources.yaml:13: language 'fr_FR' of source 'doc-000-bretagne-partenariat-armees' is not a language "
        "tag such as fr or en",
    ),
    (
        "bad language tag of a text",
        DOC0,
        "    p: objective\n    v: Conforter",
        "    p: objective\n    lang: fr_FR\n    v: Conforter",
        f"{DOC0}:{_line_after(DOC0, '    v: Conforter')}: "
        "bad value for objective: 'fr_FR' is not a language tag such as fr or en",
    ),
]


@pytest.mark.parametrize(("name", "rel", "old", "new", "expected"), REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_bad_seed_found_by_fuzzing_is_refused_quickly(
    scratch: Project, capsys: pytest.CaptureFixture[str], name: str, rel: str, old: str | None, new: str, expected: str
) -> None:
    path = scratch.root / rel
    text = path.read_text(encoding="utf-8")
    end = text.count("\n")
    path.write_text(text + new if old is None else text.replace(old, new, 1), encoding="utf-8")
    started = time.perf_counter()
    assert main(["--root", str(scratch.root), "build"]) == 1
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    line = re.sub(r":\+(\d+):", lambda m: f":{end + int(m.group(1))}:", expected)
    at = text[: text.index(old)].count("\n") if old is not None else 0  # ":^N:" is the N-th line of ``old``
    line = re.sub(r":\^(\d+):", lambda m: f":{at + int(m.group(1))}:", line)
    assert err.splitlines()[0] == f"iadef: error: {line}"
    assert list(scratch.graph.iterdir()) == []
