"""The answer formats of ``iadef serve``, written byte for byte the same for the same answer.

Results of SELECT and ASK:

- JSON (https://www.w3.org/TR/sparql11-results-json/) and CSV
  (https://www.w3.org/TR/sparql11-results-csv-tsv/): rdflib's serialisers, through
  :func:`iadef.sparql.results.render`, as ``iadef sparql --format json|csv`` prints them;
- XML (https://www.w3.org/TR/rdf-sparql-XMLres/) and TSV (same spec as CSV: ``?var``
  headers, terms in N-Triples syntax, tab and newline escaped): written here, since
  rdflib's TSV writer does not exist and its XML writer is not needed for so little.

Graphs (CONSTRUCT, DESCRIBE): Turtle through :func:`iadef.sparql.results.turtle` (rdflib
sorts it); N-Triples, JSON-LD and RDF/XML are written here from the sorted triples,
because rdflib's writers for these follow its store's set order, which changes from
process to process (``PYTHONHASHSEED``). The JSON-LD is the expanded form (one node
object per subject, full IRIs), which every JSON-LD processor reads without a context.
"""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape, quoteattr

from rdflib import RDF, XSD, BNode, Literal, URIRef

from iadef.serve.protocol import CSV, JSON, JSONLD, NTRIPLES, PLAIN_JSON, RDFXML, TSV, TURTLE, XML, HttpError
from iadef.sparql.answer import Answer, Term, Triple

RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BNODE_OK = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LOCAL_NAME = re.compile(r"[^\W\d][\w.-]*$")


def serialize(answer: Answer, media: str) -> bytes:
    """``answer`` in the format of media type ``media`` (one of :mod:`iadef.serve.protocol`'s types)."""
    from iadef.sparql.results import render, turtle

    if media in (JSON, PLAIN_JSON):
        text = render(answer, "json")
    elif media == CSV:
        text = render(answer, "csv")
    elif media == XML:
        text = xml_results(answer)
    elif media == TSV:
        text = tsv_results(answer)
    elif media == TURTLE:
        text = turtle(answer)
    elif media == NTRIPLES:
        text = "".join(f"{nt(s)} {nt(p)} {nt(o)} .\n" for s, p, o in sorted(answer.triples))
    elif media == JSONLD:
        text = jsonld(answer.triples)
    elif media == RDFXML:
        text = rdf_xml(answer.triples)
    else:
        raise HttpError(406, f"no writer for {media}")
    return text.encode("utf-8")


def nt(term: Term) -> str:
    """A term in N-Triples syntax (also the TSV results syntax)."""
    if isinstance(term, URIRef):
        return f"<{_iri(str(term))}>"
    if isinstance(term, BNode):
        return f"_:{bnode_label(term)}"
    text = '"' + "".join(_ECHAR.get(c, c) for c in str(term)) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"{text}^^<{_iri(str(term.datatype))}>"
    return text


def _iri(text: str) -> str:
    return _IRI_BAD.sub(lambda m: f"\\u{ord(m.group()):04X}", text)


def bnode_label(node: BNode) -> str:
    """The blank node's label if N-Triples allows it, else a label derived from it."""
    label = str(node)
    return label if _BNODE_OK.match(label) else "b" + label.encode("utf-8").hex()


def tsv_results(answer: Answer) -> str:
    """SPARQL 1.1 TSV results of a SELECT answer."""
    if answer.form != "SELECT":
        raise HttpError(406, "TSV holds SELECT results only", hint=f"ask for {JSON} or {XML}")
    lines = ["\t".join(f"?{name}" for name in answer.variables)]
    lines += ["\t".join("" if term is None else nt(term) for term in row) for row in answer.rows]
    return "\n".join(lines) + "\n"


def _xml_text(text: str) -> str:
    if _XML_BAD.search(text):
        raise HttpError(406, "the answer holds characters XML 1.0 cannot carry", hint=f"ask for {JSON}")
    return escape(text, {"\r": "&#13;"})


def _xml_attr(text: str) -> str:
    if _XML_BAD.search(text):
        raise HttpError(406, "the answer holds characters XML 1.0 cannot carry", hint=f"ask for {JSON}")
    return quoteattr(text, {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _xml_term(term: Term) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term))}</bnode>"
    if term.language:
        return f"<literal xml:lang={_xml_attr(term.language)}>{_xml_text(str(term))}</literal>"
    if term.datatype is not None and term.datatype != XSD.string:
        return f"<literal datatype={_xml_attr(str(term.datatype))}>{_xml_text(str(term))}</literal>"
    return f"<literal>{_xml_text(str(term))}</literal>"


def xml_results(answer: Answer) -> str:
    """The SPARQL Query Results XML Format of a SELECT or ASK answer."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{RESULTS_NS}">']
    if answer.form == "ASK":
        lines += ["  <head/>", f"  <boolean>{'true' if answer.boolean else 'false'}</boolean>"]
    else:
        lines.append("  <head>")
        lines += [f"    <variable name={_xml_attr(name)}/>" for name in answer.variables]
        lines += ["  </head>", "  <results>"]
        for row in answer.rows:
            lines.append("    <result>")
            lines += [
                f"      <binding name={_xml_attr(name)}>{_xml_term(term)}</binding>"
                for name, term in zip(answer.variables, row, strict=True)
                if term is not None
            ]
            lines.append("    </result>")
        lines.append("  </results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _jsonld_value(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{bnode_label(term)}"}
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype is not None and term.datatype != XSD.string:
        return {"@value": str(term), "@type": str(term.datatype)}
    return {"@value": str(term)}


def jsonld(triples: tuple[Triple, ...]) -> str:
    """Expanded JSON-LD: one node object per subject, in sorted order."""
    nodes: dict[str, dict[str, list[dict[str, str]] | str]] = {}
    for s, p, o in sorted(triples):
        key = _jsonld_value(s)["@id"]
        node = nodes.setdefault(key, {"@id": key})
        values = node.setdefault(str(p), [])
        assert isinstance(values, list)
        values.append(_jsonld_value(o))
    return json.dumps(list(nodes.values()), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _split(predicate: Term) -> tuple[str, str]:
    match = _LOCAL_NAME.search(str(predicate))
    if not isinstance(predicate, URIRef) or match is None or match.start() == 0:
        raise HttpError(406, f"the property <{predicate}> cannot be written in RDF/XML", hint=f"ask for {TURTLE}")
    return str(predicate)[: match.start()], match.group()


def rdf_xml(triples: tuple[Triple, ...]) -> str:
    """RDF/XML: one ``rdf:Description`` per subject, in sorted order."""
    ordered = sorted(triples)
    spaces = sorted({_split(p)[0] for _, p, _ in ordered} - {str(RDF)})
    prefix = {str(RDF): "rdf", **{space: f"ns{i}" for i, space in enumerate(spaces, start=1)}}
    declared = " ".join(
        f"xmlns:{name}={_xml_attr(space)}" for space, name in sorted(prefix.items(), key=lambda x: x[1])
    )
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<rdf:RDF {declared}>"]
    current: Term | None = None
    for s, p, o in ordered:
        if s != current:
            if current is not None:
                lines.append("  </rdf:Description>")
            about = (
                f"rdf:nodeID={_xml_attr(bnode_label(s))}" if isinstance(s, BNode) else f"rdf:about={_xml_attr(str(s))}"
            )
            lines.append(f"  <rdf:Description {about}>")
            current = s
        space, local = _split(p)
        tag = f"{prefix[space]}:{local}"
        if isinstance(o, URIRef):
            lines.append(f"    <{tag} rdf:resource={_xml_attr(str(o))}/>")
        elif isinstance(o, BNode):
            lines.append(f"    <{tag} rdf:nodeID={_xml_attr(bnode_label(o))}/>")
        else:
            lines.append(f"    <{tag}{_literal_attrs(o)}>{_xml_text(str(o))}</{tag}>")
    if current is not None:
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return "\n".join(lines) + "\n"


def _literal_attrs(literal: Literal) -> str:
    if literal.language:
        return f" xml:lang={_xml_attr(literal.language)}"
    if literal.datatype is not None and literal.datatype != XSD.string:
        return f" rdf:datatype={_xml_attr(str(literal.datatype))}"
    return ""
