"""Safe reading of RDF files given by users (``iadef validate FILE``, a future ``iadef import``).

Everything that could make a parser read more than the file, or turn a small file
into a huge graph, is refused *before* the file reaches rdflib:

* files larger than ``max_bytes`` are refused before they are read;
* the text must be UTF-8 (so that the checks below cannot be dodged with UTF-16);
* RDF/XML with ``<!DOCTYPE`` or ``<!ENTITY`` is refused: entity expansion ("billion
  laughs") and external entities (``SYSTEM "file:///etc/passwd"``) both need one;
* JSON-LD whose ``@context`` (or a context's ``@import``) is a reference rather than
  an inline object is refused, since rdflib would fetch it: offline unless
  ``allow_network=True``, and then only from http(s);
* relative IRIs are not resolved against the file's path (which would leak it into
  the data): a file without ``@base`` must use absolute IRIs.

After parsing, every IRI is checked against the basics of RFC 3987 (a scheme, no
spaces, no ``<>"{}|\\^``` characters), which rdflib does not enforce for Turtle, TriG,
RDF/XML or JSON-LD. Every refusal is an :class:`RdfInputError` with the file, the
line where it can be found, and what to do.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rdflib import Dataset, Literal, URIRef

from iadef.errors import IadefError
from iadef.files import read_bounded

MAX_BYTES = 50_000_000
FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".trig": "trig",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
NAMES = {
    "turtle": "Turtle",
    "nt": "N-Triples",
    "nquads": "N-Quads",
    "trig": "TriG",
    "xml": "RDF/XML",
    "json-ld": "JSON-LD",
}
NO_BASE = "urn:x-iadef:no-base"  # the base given to rdflib: relative IRIs stay recognisable
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|\\^`\x7f]*")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_CHAR = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")
_XML_DECLARATIONS = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_RELATIVE = re.compile(r"with relative '([^']*)'")
_N3_PROBLEM = re.compile(r"Bad syntax \((.*?)\) at \^")


class RdfInputError(IadefError):
    """An RDF file given by a user is malformed, too large, or not valid RDF."""


class UnsafeRdfError(RdfInputError):
    """An RDF file asks the parser to read something else (entities, remote contexts)."""


def guess_format(path: Path, shown: str | None = None) -> str:
    """The rdflib format name for a file extension, or an error listing the known ones."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise RdfInputError(
            f"unknown RDF file extension {path.suffix!r}",
            path=shown or str(path),
            hint=f"use one of {', '.join(sorted(FORMATS))}",
        )
    return found


def parse_rdf(
    path: Path,
    *,
    shown: str | None = None,
    rdf_format: str | None = None,
    allow_network: bool = False,
    max_bytes: int = MAX_BYTES,
) -> Dataset:
    """Read one RDF file into a dataset, or raise :class:`RdfInputError`."""
    shown = shown or str(path)
    rdf_format = rdf_format or guess_format(path, shown)
    raw = read_bounded(
        path, shown, max_bytes, error=RdfInputError, hint="split the file, or raise the limit if you trust it"
    )
    text = _decode(raw, shown)
    return parse_text(text, rdf_format, shown=shown, allow_network=allow_network)


def parse_text(text: str, rdf_format: str, *, shown: str = "<input>", allow_network: bool = False) -> Dataset:
    """Check and parse RDF given as text (see the module docstring for what is refused)."""
    if rdf_format == "xml":
        _refuse_xml_declarations(text, shown)
    if rdf_format == "json-ld":
        _refuse_remote_contexts(text, shown, allow_network)
    dataset = Dataset()
    rdflib_term = logging.getLogger("rdflib.term")
    level = rdflib_term.level
    rdflib_term.setLevel(logging.ERROR)  # invalid IRIs are reported below, with their line
    try:
        with warnings.catch_warnings():  # rdflib's own parsers use its deprecated ConjunctiveGraph
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=text, format=rdf_format, publicID=NO_BASE)
    except RecursionError:
        raise RdfInputError("nested too deeply to parse", path=shown, hint="flatten the structure") from None
    except Exception as exc:  # rdflib parsers raise many unrelated types
        raise _syntax_error(exc, text, rdf_format, shown) from None
    finally:
        rdflib_term.setLevel(level)
    _check_iris(dataset, text, shown)
    return dataset


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RdfInputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            path=shown,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="convert the file to UTF-8",
        ) from None


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _find(text: str, *needles: str) -> int:
    """The index of the first needle found in ``text`` (tried in order), or -1."""
    for needle in needles:
        index = text.find(needle)
        if index >= 0:
            return index
    return -1


def _refuse_xml_declarations(text: str, shown: str) -> None:
    match = _XML_DECLARATIONS.search(text)
    if match is not None:
        raise UnsafeRdfError(
            f"RDF/XML with a <!{match.group(1).upper()}> declaration is refused "
            "(entity expansion and external entities)",
            path=shown,
            line=_line_of(text, match.start()),
            hint="remove the DOCTYPE and its entities: write the values they stand for in full",
        )


def _refuse_remote_contexts(text: str, shown: str, allow_network: bool) -> None:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RdfInputError(f"malformed JSON: {exc.msg}", path=shown, line=exc.lineno) from None
    except RecursionError:
        raise RdfInputError("JSON nested too deeply to parse", path=shown, hint="flatten the document") from None
    for reference in _context_references(document):
        remote = reference.startswith(("http://", "https://"))
        if remote and allow_network:
            continue
        index = text.find(json.dumps(reference))
        raise UnsafeRdfError(
            f"JSON-LD @context {reference!r} is "
            + ("a remote document, refused offline" if remote else "not inline and not an http(s) URL"),
            path=shown,
            line=_line_of(text, index) if index >= 0 else None,
            hint="put the context inline as a JSON object"
            + (", or allow network access (--allow-network)" if remote else ""),
        )


def _context_references(node: Any, depth: int = 0) -> Iterator[str]:
    """Every string a JSON-LD document gives as a context (or a context's @import)."""
    if depth > 200:
        raise RdfInputError("JSON nested more than 200 levels", hint="flatten the document")
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, str):
                        yield item
            yield from _context_references(value, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from _context_references(item, depth + 1)


def _syntax_error(exc: Exception, text: str, rdf_format: str, shown: str) -> RdfInputError:
    message = str(exc)
    line: int | None = None
    relative = _RELATIVE.search(message)
    if relative is not None:
        return _relative_error(relative.group(1), text, shown)
    if hasattr(exc, "getLineNumber"):  # xml.sax.SAXParseException
        line = int(exc.getLineNumber())
        message = str(exc.getMessage())  # type: ignore[attr-defined]
    elif isinstance(getattr(exc, "lines", None), int):  # notation3.BadSyntax: 0-based line
        line = int(exc.lines) + 1  # type: ignore[attr-defined]
        problem = _N3_PROBLEM.search(message)
        message = problem.group(1) if problem else message.splitlines()[-1]
    elif rdf_format in ("nt", "nquads"):
        line = _first_bad_line(text, rdf_format)
        message = "this line is not a valid statement"
    return RdfInputError(
        f"malformed {NAMES.get(rdf_format, rdf_format)}: {message.strip()}",
        path=shown,
        line=line,
        hint="fix the syntax at that line",
    )


def _first_bad_line(text: str, rdf_format: str) -> int | None:
    """Line-based formats: the first line that does not parse on its own."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Dataset().parse(data=line + "\n", format=rdf_format, publicID=NO_BASE)
        except Exception:
            return number
    return None


def _relative_error(iri: str, text: str, shown: str) -> RdfInputError:
    index = _find(text, f"<{iri}>", f'"{iri}"')
    return RdfInputError(
        f"relative IRI <{iri}> and no base to resolve it against",
        path=shown,
        line=_line_of(text, index) if index >= 0 else None,
        hint="write absolute IRIs, or declare a base (@base in Turtle, xml:base, @base in a JSON-LD context)",
    )


def _check_iris(dataset: Dataset, text: str, shown: str) -> None:
    for quad in dataset.quads((None, None, None, None)):
        for term in _iris(quad):
            if term.startswith(NO_BASE) or not _SCHEME.match(term):
                raise _relative_error(term.removeprefix(NO_BASE).lstrip("/:"), text, shown)
            if not _IRI.fullmatch(term):
                raise _invalid_iri(term, text, shown)


def _iris(quad: tuple[Any, ...]) -> Iterator[str]:
    for term in quad:
        identifier = getattr(term, "identifier", term)
        if isinstance(identifier, URIRef):
            yield str(identifier)
        elif isinstance(identifier, Literal) and identifier.datatype is not None:
            yield str(identifier.datatype)


def _invalid_iri(iri: str, text: str, shown: str) -> RdfInputError:
    bad = _BAD_CHAR.search(iri)
    if bad is None:
        why = "it has no scheme (such as https:)"
    else:
        char = bad.group(0)
        why = "it contains a space" if char == " " else f"it contains {char!r}"
    index = _find(text, f"<{iri}>", iri)
    return RdfInputError(
        f"invalid IRI <{iri}>: {why}",
        path=shown,
        line=_line_of(text, index) if index >= 0 else None,
        hint="percent-encode the character (a space is %20) or fix the IRI",
    )
