"""A pyoxigraph SELECT answer as plain rows, read from the TSV that pyoxigraph writes.

Reading solutions term by term makes one Python object per solution and per term
(``QuerySolution``, ``NamedNode``, ``Literal``…): for 10^4 rows of seven columns that took
about half as long again as the query itself (10^6 quads, ``agreements``). pyoxigraph can
instead write the whole answer as SPARQL 1.1 TSV in Rust; the text is split here into rows
of :data:`~iadef.sparql.answer.Plain` terms, each distinct cell parsed once. The terms are
those :func:`iadef.stores.oxigraph_engine.plain_converter` makes from the same solutions
(``tests/test_stores.py`` compares both readers on every named query and on every quad).

TSV cells are terms in Turtle syntax: ``<iri>``, ``_:id``, ``"text"`` with ``@lang`` or
``^^<datatype>``, or a bare ``true``, ``false``, integer, decimal or double. Tabs, line
breaks and quotes inside a literal are escaped, so a row is one line and a cell never holds
a tab; an empty cell is an unbound variable.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from iadef.errors import QueryError
from iadef.iris import XSD
from iadef.sparql.answer import Plain, PlainRow, plain_literal

if TYPE_CHECKING:
    import pyoxigraph

_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(match: re.Match[str]) -> str:
    code = match[1] or match[2]
    return chr(int(code, 16)) if code else _ESCAPED.get(match[3], match[0])


def unescape(text: str) -> str:
    """The string a Turtle string literal's body stands for (``\\t``, ``\\"``, ``\\u00e9``…)."""
    return _ESCAPE.sub(_unescaped, text) if "\\" in text else text


def tsv_term(cell: str) -> Plain:
    """One non-empty TSV cell as a :data:`Plain` term."""
    first = cell[0]
    if cell.startswith("<<"):
        raise QueryError(f"pyoxigraph returned a term iadef does not handle: {cell}")
    if first == "<":
        return ("iri", cell[1:-1], "")
    if first == "_":
        return ("bnode", cell[2:], "")
    if first == '"':
        end = cell.rindex('"')  # a language tag or a datatype IRI holds no quote
        text, rest = unescape(cell[1:end]), cell[end + 1 :]
        if not rest:
            return ("literal", text, "")
        if rest[0] == "@":  # a base direction (RDF 1.2: @en--ltr) is dropped, as pyoxigraph's .language does
            return plain_literal(text, rest[1:].partition("--")[0], None)
        return plain_literal(text, None, rest[3:-1])  # ^^<datatype>
    if cell in ("true", "false"):
        return plain_literal(cell, None, XSD + "boolean")
    if "e" in cell or "E" in cell:
        return plain_literal(cell, None, XSD + "double")
    return plain_literal(cell, None, XSD + ("decimal" if "." in cell else "integer"))


def solution_rows(result: pyoxigraph.QuerySolutions) -> tuple[tuple[str, ...], tuple[PlainRow, ...]] | None:
    """The variables and rows of a SELECT answer (None: no variable, read it solution by solution)."""
    import pyoxigraph

    names = tuple(v.value for v in result.variables)
    if not names:  # a row of no cell is an empty line: the TSV could not say how many there are
        return None
    written = result.serialize(format=pyoxigraph.QueryResultsFormat.TSV)  # bytes, as no output is given
    text = (written or b"").decode("utf-8")
    lines = text.split("\n")  # not splitlines(): U+2028 and the like may stand in a literal
    memo: dict[str, Plain | None] = {"": None}
    rows: list[PlainRow] = []
    for line in lines[1:-1]:  # the header, then one line per row, each ended by a line break
        row: list[Plain | None] = []
        for cell in line.split("\t"):
            term: Any = memo.get(cell, memo)
            if term is memo:
                term = memo[cell] = tsv_term(cell)
            row.append(term)
        rows.append(tuple(row))
    return names, tuple(rows)
