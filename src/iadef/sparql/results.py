"""Answers as text: a readable table, Markdown, and the W3C SPARQL 1.1 result formats.

- ``table`` (default) and ``md`` show labels instead of IRIs: an entity's curated French
  label, a source document's title, an ontology term's French label, else the IRI in
  prefixed form (``fact:doc-001-…/03ce…``). ``table`` clips long cells to keep columns
  readable; ``md`` keeps every character.
- ``json`` and ``csv`` are the W3C *SPARQL 1.1 Query Results JSON Format* and *CSV
  Format*, written by rdflib's serialisers: IRIs stay IRIs, so other tools can read them.
  The CSV is left exactly standard. ``spreadsheet_safe`` (``--spreadsheet-safe``) is a
  separate, explicit mode for opening the file in a spreadsheet: a cell that starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so the
  spreadsheet shows it as text instead of running it as a formula (dates such as
  ``--11-19`` start with ``-``). That output is no longer exact W3C CSV, hence opt-in.
- ASK answers print ``true`` or ``false`` (JSON: the W3C boolean document); CONSTRUCT and
  DESCRIBE answers print Turtle whatever the format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import TYPE_CHECKING

from iadef import iris
from iadef.errors import QueryError
from iadef.sparql.answer import Answer, Engine, Plain, plain

if TYPE_CHECKING:
    from rdflib.query import Result

    from iadef.sparql.answer import Term

FORMATS = ("table", "csv", "json", "md")
CELL_WIDTH = 40
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

LABELS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?term ?label WHERE {
  { GRAPH ?graph { ?term rdfs:label ?label } }
  UNION
  { ?term rdfs:label ?label }
}
"""

_SHORT = {
    **iris.PREFIXES,
    "fact": iris.FACT,
    "source": iris.SOURCE,
    "rdf": iris.RDF,
    "rdfs": iris.RDFS,
    "xsd": iris.XSD,
    "owl": iris.OWL,
}

#: The namespaces of :data:`_SHORT`, longest first (the order :func:`compact` tries them).
_BY_LENGTH = sorted(_SHORT.items(), key=lambda item: -len(item[1]))


def labels_for(engine: Engine, lang: str = "fr") -> dict[str, str]:
    """One display label per labelled IRI: ``lang`` first, then English, untagged, any."""
    best: dict[str, tuple[int, str]] = {}
    for term, label in engine.query(LABELS_QUERY).plain_rows():
        if term is None or label is None or term[0] != "iri" or label[0] not in ("lang", "literal"):
            continue
        tag = label[2].lower() if label[0] == "lang" else ""
        rank = 0 if tag == lang else 1 if tag == "en" else 2 if not tag else 3
        candidate = (rank, label[1])
        key = term[1]
        if key not in best or candidate < best[key]:
            best[key] = candidate
    return {key: text for key, (_, text) in best.items()}


def compact(iri: str) -> str:
    """``prefix:local`` for the project's namespaces, else the IRI."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def display(term: Term | None, labels: Mapping[str, str] | None = None) -> str:
    """How a term reads in a table cell."""
    return shown(None if term is None else plain(term), labels)


def shown(term: Plain | None, labels: Mapping[str, str] | None = None) -> str:
    """How a :data:`~iadef.sparql.answer.Plain` term reads in a table cell."""
    if term is None:
        return ""
    kind, text, _ = term
    if kind == "iri":
        return (labels or {}).get(text) or compact(text)
    if kind == "bnode":
        return f"_:{text}"
    return " ".join(text.split())


def render(
    answer: Answer,
    fmt: str = "table",
    *,
    labels: Mapping[str, str] | None = None,
    spreadsheet_safe: bool = False,
    width: int = CELL_WIDTH,
) -> str:
    """The answer as text in ``fmt`` (table, csv, json, md); graphs are Turtle."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
    if answer.form in ("CONSTRUCT", "DESCRIBE"):
        return turtle(answer)
    if answer.form == "ASK":
        if fmt == "json":
            return _serialize(answer, "json")
        return "true\n" if answer.boolean else "false\n"
    if fmt == "json":
        return _serialize(answer, "json")
    if fmt == "csv":
        text = _serialize(answer, "csv")
        return _guard_csv(text) if spreadsheet_safe else text
    if fmt == "md":
        return markdown(answer, labels)
    return table(answer, labels, width)


def to_result(answer: Answer) -> Result:
    """An rdflib :class:`Result` holding the answer, for rdflib's result serialisers."""
    from rdflib import Variable
    from rdflib.query import Result

    if answer.form == "ASK":
        result = Result("ASK")
        result.askAnswer = bool(answer.boolean)
        return result
    result = Result("SELECT")
    variables = [Variable(name) for name in answer.variables]
    result.vars = variables
    result.bindings = [
        {var: term for var, term in zip(variables, row, strict=True) if term is not None} for row in answer.rows
    ]
    return result


def _serialize(answer: Answer, fmt: str) -> str:
    data = to_result(answer).serialize(format=fmt)
    text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
    return text if text.endswith("\n") else text + "\n"


def _guard_csv(text: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in row])
    return out.getvalue()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def table(answer: Answer, labels: Mapping[str, str] | None = None, width: int = CELL_WIDTH) -> str:
    """Aligned columns with labels, long cells clipped at ``width`` characters."""
    headers = list(answer.variables)
    cells = [[_clip(shown(term, labels), width) for term in row] for row in answer.plain_rows()]
    widths = [max([len(h)] + [len(row[i]) for row in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
    count = len(cells)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines) + "\n"


def markdown(answer: Answer, labels: Mapping[str, str] | None = None) -> str:
    """A GitHub-flavoured Markdown table with labels and full text."""

    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("|", "\\|")

    lines = ["| " + " | ".join(answer.variables) + " |", "|" + "---|" * len(answer.variables)]
    lines += ["| " + " | ".join(cell(shown(term, labels)) for term in row) + " |" for row in answer.plain_rows()]
    return "\n".join(lines) + "\n"


def turtle(answer: Answer) -> str:
    """A graph answer as Turtle with the project's prefixes."""
    from rdflib import Graph

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in sorted(_SHORT.items()):
        graph.bind(prefix, namespace)
    for triple in answer.triples:
        graph.add(triple)
    return graph.serialize(format="turtle")
