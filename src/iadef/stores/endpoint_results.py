from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from iadef.errors import EndpointError
from iadef.sparql.answer import Answer, Row, Term, Triple, canonical

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
GRAPH_TYPES = {"application/n-triples": "nt", "text/plain": "nt", "text/turtle": "turtle"}
HINT = "is the server running? check --endpoint"

XML_NS = "{http://www.w3.org/2005/sparql-results#}"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _from_json(body: bytes, form: str, content_type: str, url: str) -> Answer:
    if content_type not in (JSON_RESULTS, "application/json"):
        raise EndpointError(
            f"{url} answered {content_type or 'no content type'}, not SPARQL results (XML or JSON): "
            f"{body[:200].decode('utf-8', 'replace')!r}",
            hint="is --endpoint the server's SPARQL URL?",
        )
    try:
        data = json.loads(body)
        if form == "ASK":
            return Answer("ASK", boolean=bool(data["boolean"]))
        names = tuple(str(v) for v in data["head"]["vars"])
        rows: tuple[Row, ...] = tuple(
            tuple(canonical(_term(b[n])) if n in b else None for n in names) for b in data["results"]["bindings"]
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"{url} sent SPARQL JSON results iadef cannot read: {exc!r}", hint=HINT) from None
    return Answer("SELECT", names, rows)


def _from_xml(body: bytes, form: str, url: str) -> Answer | None:
    """SPARQL Query Results XML Format (https://www.w3.org/TR/rdf-sparql-XMLres/); None if not well-formed."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return None
    try:
        if form == "ASK":
            boolean = root.find(f"{XML_NS}boolean")
            if boolean is None or boolean.text is None:
                raise ValueError("no <boolean> element")
            return Answer("ASK", boolean=boolean.text.strip() == "true")
        names = tuple(v.attrib["name"] for v in root.iter(f"{XML_NS}variable"))
        seen: dict[tuple[str, str, str | None], Term] = {}  # a large result repeats its IRIs: build each once
        rows: list[Row] = []
        for result in root.iter(f"{XML_NS}result"):
            values = {b.attrib["name"]: _xml_term(b[0], seen) for b in result.iter(f"{XML_NS}binding")}
            rows.append(tuple(values.get(n) for n in names))
    except (ValueError, KeyError, IndexError) as exc:
        raise EndpointError(f"{url} sent SPARQL XML results iadef cannot read: {exc!r}", hint=HINT) from None
    return Answer("SELECT", names, tuple(rows))


def _xml_term(element: Any, seen: dict[tuple[str, str, str | None], Term]) -> Term:
    kind, text = element.tag.removeprefix(XML_NS), element.text or ""
    qualifier = element.attrib.get(XML_LANG) or element.attrib.get("datatype")
    key = (kind, text, qualifier)
    if key in seen:
        return seen[key]
    term: Term
    if kind == "uri":
        term = URIRef(text)
    elif kind == "bnode":
        term = BNode(text)
    elif kind == "literal":
        if XML_LANG in element.attrib:
            term = Literal(text, lang=element.attrib[XML_LANG])
        else:
            datatype = element.attrib.get("datatype")
            term = canonical(Literal(text, datatype=URIRef(datatype) if datatype else None))
    else:
        raise ValueError(f"unknown term element {kind!r}")
    seen[key] = term
    return term


def _term(value: Mapping[str, str]) -> Term:
    """An rdflib term from one SPARQL JSON binding (1.1 'literal', or Virtuoso's 1.0 'typed-literal')."""
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return Literal(text, lang=value["xml:lang"])
        datatype = value.get("datatype")
        return Literal(text, datatype=URIRef(datatype) if datatype else None)
    raise ValueError(f"unknown term type {kind!r}")


def _from_graph(body: bytes, content_type: str, url: str) -> tuple[Triple, ...]:
    syntax = GRAPH_TYPES.get(content_type)
    if syntax is None:
        raise EndpointError(f"{url} answered {content_type or 'no content type'}, not N-Triples or Turtle", hint=HINT)
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format=syntax)
    except Exception as exc:  # rdflib's parsers raise several unrelated types
        raise EndpointError(f"{url} sent a graph iadef cannot parse: {exc}", hint=HINT) from None
    triples: list[Triple] = []
    for s, p, o in graph:
        if (
            not isinstance(s, URIRef | BNode)
            or not isinstance(p, URIRef)
            or not isinstance(o, URIRef | BNode | Literal)
        ):
            raise EndpointError(f"{url} sent a triple iadef cannot read: {s} {p} {o}", hint=HINT)
        triples.append((s, p, canonical(o)))
    return tuple(sorted(triples))
