"""Bind query parameters by inlining a ``VALUES`` block: the one place query text is changed.

The SPARQL 1.1 Protocol has no way to send parameters: a remote server receives only the
query text (no ``initBindings``, no ``substitutions``). :func:`inline_values` therefore
adds ``VALUES (?a ?b) { (<iri> "lit"@fr) }`` as the first element of the query's outermost
``WHERE`` group, the same idea as Jena's ``ParameterizedSparqlString`` and rdflib's
SEP-0007 proposal (bind by joining with inline data, not by pasting strings). Values are
written in N-Triples form by :func:`nt_term`: IRIs by rdflib (``n3()``, which refuses an IRI
holding ``>``, a space or a quote), literals as one-line strings with every quote,
backslash and control character escaped, so a value can never end the literal or the
block it sits in. (rdflib's ``Literal.n3()`` leaves tabs raw, which rdflib's own SPARQL
parser reads as spaces, and writes a value that opens with a quote as four quotes in a
row, which that parser misreads.) Blank nodes are refused: in a query a blank node is a
fresh variable.

The insertion point is found by a small SPARQL lexer (:func:`tokens`), never by a regex
over the raw text: a ``{`` inside a string, a comment or an IRI is not a brace. The
result is parsed again with rdflib, so a query that inlining would break is refused
with a :class:`~iadef.errors.QueryError` rather than sent.

A ``VALUES`` block at the start of the ``WHERE`` group is joined with the whole group, as
the parameters were meant to be. One difference from engine-side binding remains: a
variable that a nested group uses *only* in a ``FILTER`` is not bound inside that group
(SPARQL evaluates groups bottom-up), and a ``BIND (… AS ?param)`` would clash with it. The
named queries match their parameters with a triple pattern in every group that uses them,
and tests/test_sparql_bind.py checks that both ways give the same rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from iadef.errors import QueryError

if TYPE_CHECKING:
    from iadef.sparql.answer import Term

FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_VARNAME = re.compile(r"^[A-Za-z0-9_\u00b7\u00c0-\ufffd]+$")
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_LONG = {
    '"': re.compile(r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""', re.S),
    "'": re.compile(r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''", re.S),
}
_SHORT = {'"': re.compile(r'"(?:[^"\\\n\r]|\\.)*"'), "'": re.compile(r"'(?:[^'\\\n\r]|\\.)*'")}
_SPACE = re.compile(r"(?:\s+|#[^\n\r]*)+")
_VAR = re.compile(r"[?$][A-Za-z0-9_\u00b7\u00c0-\ufffd]+")
_WORD = re.compile(r"[A-Za-z0-9_\u00b7\u00c0-\ufffd:%\\.\-@]+")
_PUNCT = re.compile(r"\^\^|&&|\|\||<=|>=|!=|.", re.S)


@dataclass(frozen=True)
class Token:
    """One lexical unit of a query: its kind, its text and where it starts and ends."""

    kind: str  # iri, string, var, word, punct
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        """True if the token is one of ``words`` (keywords are case-insensitive)."""
        return self.kind == "word" and self.text.upper() in words


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text``, comments and white space skipped.

    At ``<`` an IRI is tried first (the SPARQL grammar's IRIREF), else it is the operator.
    """
    pos, size = 0, len(text)
    while pos < size:
        space = _SPACE.match(text, pos)
        if space:
            pos = space.end()
            continue
        char = text[pos]
        match: re.Match[str] | None
        if char in "\"'":
            match = _LONG[char].match(text, pos) if text.startswith(char * 3, pos) else _SHORT[char].match(text, pos)
            if match is None:
                line = text.count("\n", 0, pos) + 1
                raise QueryError(f"unterminated string at line {line}", hint="close the string literal")
            kind = "string"
        elif char == "<" and (match := _IRI.match(text, pos)):
            kind = "iri"
        elif char in "?$" and (match := _VAR.match(text, pos)):
            kind = "var"
        elif match := _WORD.match(text, pos):
            kind = "word"
        else:  # an operator or any other character: rdflib judges the syntax when the result is parsed
            match = _PUNCT.match(text, pos)
            assert match is not None
            kind = "punct"
        yield Token(kind, match.group(), pos, match.end())
        pos = match.end()


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first such keyword outside strings and comments."""
    for token in tokens(text):
        if token.is_word(*FORMS):
            return token.text.upper()
    raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")


def values_block(bindings: Mapping[str, Term]) -> str:
    """``VALUES (?a ?b) { (<iri> "lit") }`` with each term in its N-Triples form."""
    return values_table(tuple(bindings), [tuple(bindings.values())])


def values_table(names: Sequence[str], rows: Iterable[Sequence[Term]]) -> str:
    """``VALUES (?a ?b) { (<x> "y") (<z> "w") … }``: several rows, each term in its N-Triples form."""
    for name in names:
        if not _VARNAME.match(name):
            raise QueryError(f"{name!r} cannot be a SPARQL variable name", hint="use letters, digits and _")
    lines = []
    for row in rows:
        cells = []
        for name, term in zip(names, row, strict=True):
            try:
                cells.append(nt_term(term))
            except QueryError as exc:
                raise QueryError(f"parameter {name}: {exc.message}", hint=exc.hint) from None
        lines.append(f"({' '.join(cells)})")
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {' '.join(lines)} }}"


def inline_table(text: str, names: Sequence[str], rows: Iterable[Sequence[Term]]) -> str:
    """``text`` with a ``VALUES`` table of ``rows`` opening its outermost WHERE group (not parsed again)."""
    block = values_table(names, rows)
    result = text
    for position, insert in sorted(_edits(text, list(tokens(text)), block), reverse=True):
        result = result[:position] + insert + result[position:]
    return result


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ESCAPE = str.maketrans({**_ESCAPES, **{chr(c): f"\\u{c:04X}" for c in [*range(0x20), 0x7F] if chr(c) not in _ESCAPES}})


def nt_term(term: Term) -> str:
    """An IRI or a literal in N-Triples form, valid in SPARQL and SPARQL Update text; blank nodes refused."""
    from rdflib import Literal, URIRef

    if isinstance(term, URIRef):
        try:
            return term.n3()
        except Exception as exc:  # rdflib refuses IRIs with characters N-Triples cannot hold
            raise QueryError(f"{str(term)[:80]!r} is not a valid IRI: {exc}", hint="pass a valid IRI") from None
    if isinstance(term, Literal):
        text = '"' + str(term).translate(_ESCAPE) + '"'
        if term.language is not None:
            return f"{text}@{term.language}"
        return f"{text}^^{nt_term(term.datatype)}" if term.datatype is not None else text
    raise QueryError(
        f"a blank node ({term}) cannot be named in a query or an update",
        hint="bind an IRI or a literal",
    )


def inline_values(text: str, bindings: Mapping[str, Term], *, check: bool = True) -> str:
    """``text`` with ``bindings`` as a ``VALUES`` block opening its outermost WHERE group.

    Without bindings the text is returned unchanged. With ``check`` the result is parsed
    again with rdflib, and a :class:`QueryError` says why when it does not parse (a local
    engine that parses the text itself can skip that).
    """
    if not bindings:
        return text
    block = values_block(bindings)
    edits = _edits(text, list(tokens(text)), block)
    result = text
    for position, insert in sorted(edits, reverse=True):
        result = result[:position] + insert + result[position:]
    if check:
        reparse(result)
    return result


def inline_terms(text: str, bindings: Mapping[str, Term]) -> str | None:
    """``text`` with ``bindings`` as a ``VALUES`` block and written as constants in its WHERE group.

    For an engine that plans a query before it substitutes parameters (pyoxigraph), a
    bound variable that reaches a join only through ``VALUES`` may still be planned as
    unbound; written as a constant in every pattern, it is used. The ``VALUES`` block keeps
    the variable bound for the projection and the solution modifiers (ORDER BY…), which are
    left as they are. This is the semantics of engine-side binding (rdflib's
    ``initBindings``, pyoxigraph's ``substitutions``): the variable is the term everywhere.

    Returns None where that rewrite could change the meaning or the syntax: a form other
    than SELECT or ASK, a sub-select (whose variables have their own scope), a blank node,
    or a bound variable that the query assigns (``AS ?var``) or declares in a ``VALUES``
    header. The caller then binds the usual way. The result is not parsed again here: the
    engine parses it, and a caller should fall back on a syntax error.
    """
    if not bindings:
        return text
    from rdflib import BNode

    if any(isinstance(term, BNode) for term in bindings.values()):
        return None
    toks = list(tokens(text))
    form_at = next((i for i, t in enumerate(toks) if t.is_word(*FORMS)), None)
    if form_at is None or toks[form_at].text.upper() not in ("SELECT", "ASK"):
        return None
    opening = _first_group(toks, form_at + 1)
    if opening is None:
        return None
    closing = _matching(toks, opening)
    if any(t.is_word("SELECT") for t in toks[opening + 1 : closing]):
        return None
    names = set(bindings)
    if any(t.kind == "var" and t.text[1:] in names and toks[i - 1].is_word("AS") for i, t in enumerate(toks)):
        return None
    constants = {name: nt_term(term) for name, term in bindings.items()}
    edits: list[tuple[int, int, str]] = [(toks[opening].end, toks[opening].end, f" {values_block(bindings)}\n")]
    for i in range(opening + 1, closing):
        token = toks[i]
        if token.kind == "var" and token.text[1:] in names:
            if toks[i - 1].is_word("VALUES") or _in_values_header(toks, i):
                return None
            edits.append((token.start, token.end, constants[token.text[1:]]))
    result = text
    for start, end, replacement in sorted(edits, reverse=True):
        result = result[:start] + replacement + result[end:]
    return result


def _in_values_header(toks: list[Token], index: int) -> bool:
    """True if the variable at ``index`` is in a ``VALUES ( ?a ?b )`` header."""
    i = index - 1
    while i >= 0 and toks[i].kind == "var":
        i -= 1
    return i >= 1 and toks[i].text == "(" and toks[i - 1].is_word("VALUES")


def _edits(text: str, toks: list[Token], block: str) -> list[tuple[int, str]]:
    """Where to insert what: [(offset, text)]."""
    form_at = next((i for i, t in enumerate(toks) if t.is_word(*FORMS)), None)
    if form_at is None:
        raise QueryError("not a SPARQL query: no SELECT, CONSTRUCT, ASK or DESCRIBE")
    form = toks[form_at].text.upper()
    start = form_at + 1
    if form == "CONSTRUCT":
        following = toks[start] if start < len(toks) else None
        if following is not None and following.text == "{":
            start = _matching(toks, start) + 1  # skip the template: the WHERE group comes after it
        else:
            return _construct_where(text, toks, start, block)
    opening = _first_group(toks, start)
    if opening is None:
        if form == "DESCRIBE":
            return [(_describe_end(toks, start), f" WHERE {{ {block} }}")]
        raise QueryError(f"no WHERE group found in this {form} query")
    return _into_group(toks, opening, block)


def _into_group(toks: list[Token], opening: int, block: str) -> list[tuple[int, str]]:
    brace = toks[opening]
    if opening + 1 < len(toks) and toks[opening + 1].is_word("SELECT"):
        # '{ SELECT … }' is a sub-select, which cannot be preceded by VALUES: wrap it in a group.
        closing = toks[_matching(toks, opening)]
        return [(brace.end, f" {block} {{"), (closing.start, "} ")]
    return [(brace.end, f" {block}\n")]


def _construct_where(text: str, toks: list[Token], start: int, block: str) -> list[tuple[int, str]]:
    """``CONSTRUCT WHERE { T }`` allows triples only: rewrite it ``CONSTRUCT { T } WHERE { VALUES … T }``."""
    where = next((i for i in range(start, len(toks)) if toks[i].is_word("WHERE")), None)
    if where is None or where + 1 >= len(toks) or toks[where + 1].text != "{":
        raise QueryError("CONSTRUCT without a template or WHERE group")
    closing = _matching(toks, where + 1)
    template = text[toks[where + 1].start : toks[closing].end]
    return [(toks[start - 1].end, f" {template}"), (toks[where + 1].end, f" {block}\n")]


def _first_group(toks: list[Token], start: int) -> int | None:
    """Index of the first '{' outside parentheses (which may hold EXISTS { … } in a SELECT expression)."""
    depth = 0
    for i in range(start, len(toks)):
        text = toks[i].text if toks[i].kind == "punct" else ""
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        elif text == "{" and depth == 0:
            return i
    return None


def _matching(toks: list[Token], opening: int) -> int:
    depth = 0
    for i in range(opening, len(toks)):
        if toks[i].kind != "punct":
            continue
        if toks[i].text == "{":
            depth += 1
        elif toks[i].text == "}":
            depth -= 1
            if depth == 0:
                return i
    raise QueryError("unbalanced braces: a '{' is never closed", hint="check the query's groups")


def _describe_end(toks: list[Token], start: int) -> int:
    """End of ``DESCRIBE <a> ?b [FROM …]``, before any ORDER BY, LIMIT, OFFSET or VALUES."""
    end = toks[start - 1].end
    for token in toks[start:]:
        if token.is_word("ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP", "HAVING"):
            break
        end = token.end
    return end


def reparse(text: str) -> None:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        translateQuery(parseQuery(text))
    except ParseException as exc:
        raise QueryError(
            f"the query no longer parses once its parameters are inlined: line {exc.lineno}, column {exc.col}: "
            f"{exc.msg}",
            hint="check the query on its own first (`iadef sparql`)",
        ) from None
    except Exception as exc:  # rdflib reports semantic errors (a variable bound twice) as bare exceptions
        raise QueryError(
            f"the query is invalid once its parameters are inlined: {exc}",
            hint="a parameter must not also be assigned by BIND or (expr AS ?var)",
        ) from None


def bound_text(text: str, bindings: Mapping[str, Term], *, constants: bool = False) -> str | None:
    """``text`` with ``bindings`` written in (a VALUES block, and constants if asked); None if it cannot be.

    Not parsed again: the engine parses it. Blank nodes cannot be written in a query (None).
    """
    if constants:
        inlined = inline_terms(text, bindings)
        if inlined is not None:
            return inlined
    try:
        return inline_values(text, bindings, check=False)
    except QueryError:
        return None
