"""The SPARQL of ``ontology/shapes.ttl`` (``sh:select``, ``sh:ask``), checked before pyshacl runs it.

pyshacl runs SHACL-SPARQL constraints with rdflib: a ``SERVICE`` would send the graph's
nodes to another server, and a syntax error ends in a traceback from deep inside pyshacl.
Each query is checked here with :func:`iadef.sparql.guard.check` (the prefixes of the file
prepended, as ``sh:prefixes`` would give them), and refused with the shape's name and the
line of the query in the shapes file.
"""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from iadef.errors import OntologyError, QueryError


def check_shape_queries(shapes: Graph, text: str, shown: str) -> None:
    """Raise an :class:`OntologyError` for the first SPARQL of a shape that is refused or does not parse."""
    from iadef.sparql.guard import check

    header = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in shapes.namespaces())
    skipped = header.count("\n")
    for predicate in (SH.select, SH.ask):
        for node, query in sorted(shapes.subject_objects(predicate), key=lambda pair: str(pair[1])):
            if not isinstance(query, Literal):
                continue
            start = _line_of(text, str(query))
            try:
                check(header + str(query))
            except QueryError as exc:
                line = start + exc.line - skipped - 1 if exc.line is not None and start else start or None
                message = re.sub(r" at line [0-9]+, column ", " at column ", exc.message)
                hint = "fix the query's syntax at that line"
                if "refused" in message:
                    message = message.split(":")[0]
                    hint = "a shape's query runs on the graph alone: remove the SERVICE, FROM or update"
                raise OntologyError(
                    f"SPARQL of shape {_name(shapes, _shape_of(shapes, node))}: {message}",
                    path=shown,
                    line=line,
                    hint=hint,
                ) from None


def _shape_of(shapes: Graph, node: Node) -> Node:
    """The shape whose ``sh:sparql`` (or ``sh:validator``…) holds ``node``, else ``node`` itself."""
    for subject in shapes.subjects(None, node):
        return subject
    return node


def _name(shapes: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return shapes.namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"
    return "(a blank node)"


def _line_of(text: str, query: str) -> int:
    """The line of the shapes file where the query text starts (0 if not found verbatim)."""
    first = query.strip().splitlines()[0] if query.strip() else ""
    position = text.find(first) if first else -1
    if position < 0:
        return 0
    before = query[: query.find(first)].count("\n")  # the query's own first lines, before its first word
    return text.count("\n", 0, position) + 1 - before
