"""RDF given by users: refused before parsing when it could make the parser read more than
the file, refused with file:line when it is malformed or holds invalid IRIs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from iadef.curation import rdfinput
from iadef.curation.rdfinput import RdfInputError, UnsafeRdfError, parse_rdf
from iadef.errors import IadefError

RDF_HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    "<!DOCTYPE rdf:RDF [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + "]>\n"
    + RDF_HEAD
    + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n'
)

EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n'
    + RDF_HEAD
    + '<!ENTITY secret SYSTEM "file:///etc/passwd">\n'
    + '<rdf:Description rdf:about="http://example.org/a"><ex:p>&secret;</ex:p></rdf:Description>\n</rdf:RDF>\n'
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path, **options: object) -> RdfInputError:
    with pytest.raises(RdfInputError) as caught:
        parse_rdf(path, shown=path.name, **options)  # type: ignore[arg-type]
    assert isinstance(caught.value, IadefError)
    return caught.value


def test_billion_laughs_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not be reached")

    monkeypatch.setattr(rdfinput.Dataset, "parse", no_parsing)
    started = time.perf_counter()
    error = refused(write(tmp_path, "laughs.rdf", BILLION_LAUGHS))
    assert time.perf_counter() - started < 1
    assert isinstance(error, UnsafeRdfError)
    assert str(error) == (
        "laughs.rdf:2: RDF/XML with a <!DOCTYPE> declaration is refused (entity expansion and external entities)\n"
        "  hint: remove the DOCTYPE and its entities: write the values they stand for in full"
    )


def test_external_entity_is_refused_before_parsing(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "secret.rdf", EXTERNAL_ENTITY))
    assert isinstance(error, UnsafeRdfError)
    assert (error.path, error.line) == ("secret.rdf", 3)
    assert error.message == "RDF/XML with a <!ENTITY> declaration is refused (entity expansion and external entities)"


def test_doctype_cannot_hide_behind_utf16(tmp_path: Path) -> None:
    path = tmp_path / "laughs16.rdf"
    path.write_bytes(BILLION_LAUGHS.encode("utf-16"))
    assert str(refused(path)) == "laughs16.rdf:1: not valid UTF-8 (byte 0xff)\n  hint: convert the file to UTF-8"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "space.ttl",
            "@prefix ex: <http://example.org/> .\n\nex:a ex:p <http://example.org/a b> .\n",
            "space.ttl:3: invalid IRI <http://example.org/a b>: it contains a space",
        ),
        (
            "brace.ttl",
            "<http://example.org/{a}> <http://example.org/p> 1 .\n",
            "brace.ttl:1: invalid IRI <http://example.org/{a}>: it contains '{'",
        ),
        (
            "pipe.nt",
            "<http://example.org/a> <http://example.org/p> <http://example.org/a|b> .\n",
            "pipe.nt:1: invalid IRI <http://example.org/a|b>: it contains '|'",
        ),
        (
            "caret.nq",
            "<http://example.org/a> <http://example.org/p> <http://example.org/o> <http://example.org/g^1> .\n",
            "caret.nq:1: invalid IRI <http://example.org/g^1>: it contains '^'",
        ),
        (
            "space.rdf",
            '<?xml version="1.0"?>\n' + RDF_HEAD + '<rdf:Description rdf:about="http://example.org/a b">'
            "<ex:p>x</ex:p></rdf:Description>\n</rdf:RDF>\n",
            "space.rdf:3: invalid IRI <http://example.org/a b>: it contains a space",
        ),
        (
            "datatype.ttl",
            '<http://example.org/a> <http://example.org/p> "1"^^<http://example.org/my type> .\n',
            "datatype.ttl:1: invalid IRI <http://example.org/my type>: it contains a space",
        ),
        (
            "relative.ttl",
            "@prefix ex: <http://example.org/> .\nex:a ex:p <other> .\n",
            "relative.ttl:2: relative IRI <other> and no base to resolve it against",
        ),
    ],
)
def test_invalid_iri_is_refused_with_its_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    assert str(refused(write(tmp_path, name, text))).split("\n")[0] == expected


def test_remote_jsonld_context_is_refused_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("no network access may be attempted")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    path = write(
        tmp_path, "remote.jsonld", '{\n  "@context": "https://schema.org/",\n  "@id": "https://example.org/a"\n}\n'
    )
    error = refused(path)
    assert isinstance(error, UnsafeRdfError)
    assert str(error) == (
        "remote.jsonld:2: JSON-LD @context 'https://schema.org/' is a remote document, refused offline\n"
        "  hint: put the context inline as a JSON object, or allow network access (--allow-network)"
    )


def test_remote_context_nested_in_a_list_or_import_is_refused(tmp_path: Path) -> None:
    nested = '{"@graph": [{"@context": [{"ex": "http://example.org/"}, "http://example.org/ctx.jsonld"]}]}'
    assert refused(write(tmp_path, "nested.jsonld", nested)).message == (
        "JSON-LD @context 'http://example.org/ctx.jsonld' is a remote document, refused offline"
    )
    imported = '{"@context": {"@import": "https://example.org/base.jsonld"}, "@id": "https://example.org/a"}'
    assert refused(write(tmp_path, "import.jsonld", imported)).message == (
        "JSON-LD @context 'https://example.org/base.jsonld' is a remote document, refused offline"
    )


def test_local_file_context_is_refused_even_with_network(tmp_path: Path) -> None:
    path = write(tmp_path, "local.jsonld", '{"@context": "file:///etc/passwd", "@id": "https://example.org/a"}')
    error = refused(path, allow_network=True)
    assert error.message == "JSON-LD @context 'file:///etc/passwd' is not inline and not an http(s) URL"
    assert error.hint == "put the context inline as a JSON object"


def test_inline_jsonld_context_is_read(tmp_path: Path) -> None:
    text = '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "x"}'
    dataset = parse_rdf(write(tmp_path, "ok.jsonld", text))
    assert (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("x")) in dataset


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            "bad.ttl",
            "@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b ,, .\n",
            "bad.ttl:3: malformed Turtle: objectList expected",
        ),
        (
            "bad.nt",
            "<http://a.org/a> <http://a.org/b> <http://a.org/c> .\n<http://a.org/a> <http://a.org/b> .\n",
            "bad.nt:2: malformed N-Triples: this line is not a valid statement",
        ),
        (
            "bad.rdf",
            "<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n<oops></rdf:RDF>",
            "bad.rdf:3: malformed RDF/XML: mismatched tag",
        ),
        ("bad.jsonld", '{\n "@id": \n}', "bad.jsonld:3: malformed JSON: Expecting value"),
        (
            "bad.trig",
            "<http://a.org/g> { <http://a.org/a> <http://a.org/b> }\n",
            "bad.trig:1: malformed TriG: objectList expected",
        ),
        ("bad.csv", "a,b\n", "bad.csv: unknown RDF file extension '.csv'"),
    ],
)
def test_malformed_rdf_is_refused_with_its_line(tmp_path: Path, name: str, text: str, expected: str) -> None:
    assert str(refused(write(tmp_path, name, text))).split("\n")[0] == expected


def test_size_limit_is_checked_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big.nt", "<http://a.org/a> <http://a.org/b> <http://a.org/c> .\n" * 100)

    def no_reading(self: Path) -> bytes:
        raise AssertionError("the file must not be read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert refused(path, max_bytes=1000).message == "file is 5300 bytes, more than the 1000 allowed"


def test_a_well_formed_file_is_read(tmp_path: Path) -> None:
    text = "@prefix ex: <http://example.org/> .\nex:a ex:p ex:b , 'c' .\n"
    dataset = parse_rdf(write(tmp_path, "ok.ttl", text))
    assert len(dataset) == 2
