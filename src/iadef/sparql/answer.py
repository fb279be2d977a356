"""The engine protocol and its answers, whatever the engine.

An :class:`Answer`'s rows hold rdflib terms in a canonical form (see :func:`canonical`),
so that two engines' rows compare equal. An engine that does not work in rdflib terms
(pyoxigraph) may hand its rows over as :data:`Plain` terms instead — ``(kind, text,
extra)`` tuples of strings, already canonical — and they become rdflib terms only when
``rows`` is first read. Rendering a table reads :meth:`Answer.plain_rows`, which needs no
rdflib at all: that is how ``iadef query`` on pyoxigraph runs without importing rdflib
(about 50 ms of a 0.1 s command). This module imports rdflib only when it converts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol, overload

from iadef.iris import OWL, RDF, XSD, XSD_DECIMAL, XSD_STRING

if TYPE_CHECKING:
    from typing import TypeAlias

    from rdflib import BNode, Literal, URIRef

    Term: TypeAlias = URIRef | BNode | Literal
    Row: TypeAlias = tuple[Term | None, ...]
    Triple: TypeAlias = tuple[Term, Term, Term]
    Quad: TypeAlias = tuple[Term, Term, Term, URIRef | BNode | None]  # graph None: the default graph


#: A term without rdflib: ("iri", iri, ""), ("bnode", id, ""), ("lang", text, language tag)
#: or ("literal", canonical text, datatype IRI; "" for a simple or xsd:string literal).
Plain = tuple[str, str, str]

PlainRow = tuple[Plain | None, ...]


def __getattr__(name: str) -> Any:
    """``Term``, ``Row``, ``Triple`` and ``Quad`` at run time (for casts): rdflib types, imported on first use."""
    if name in ("Term", "Row", "Triple", "Quad"):
        from rdflib import BNode, Literal, URIRef

        term = URIRef | BNode | Literal
        return {
            "Term": term,
            "Row": tuple[term | None, ...],
            "Triple": tuple[term, term, term],
            "Quad": tuple[term, term, term, URIRef | BNode | None],
        }[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Answer:
    """What a query returned, whatever the engine (read-only once made).

    ``plain``: the rows as :data:`Plain` terms, given instead of ``rows``; ``rows`` then
    converts them to rdflib terms the first time it is read.
    """

    __slots__ = ("_plain", "_rows", "boolean", "form", "triples", "variables")

    def __init__(
        self,
        form: str,  # SELECT, ASK, CONSTRUCT or DESCRIBE
        variables: tuple[str, ...] = (),
        rows: tuple[Row, ...] = (),
        boolean: bool | None = None,
        triples: tuple[Triple, ...] = (),
        *,
        plain: tuple[PlainRow, ...] | None = None,
    ) -> None:
        self.form = form
        self.variables = variables
        self.boolean = boolean
        self.triples = triples
        self._rows: tuple[Row, ...] | None = None if plain is not None else rows
        self._plain = plain

    @property
    def rows(self) -> tuple[Row, ...]:
        """The rows in rdflib terms, canonical."""
        if self._rows is None:
            convert = rdflib_converter()
            self._rows = tuple(tuple(None if t is None else convert(t) for t in row) for row in self._plain or ())
        return self._rows

    def plain_rows(self) -> tuple[PlainRow, ...]:
        """The rows as :data:`Plain` terms (no rdflib needed when the engine gave them so)."""
        if self._plain is None:
            self._plain = tuple(tuple(None if t is None else plain(t) for t in row) for row in self.rows)
        return self._plain

    @property
    def size(self) -> int:
        """How many rows, without converting them."""
        return len(self._plain) if self._rows is None and self._plain is not None else len(self.rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Answer):
            return NotImplemented
        return (self.form, self.variables, self.rows, self.boolean, self.triples) == (
            other.form,
            other.variables,
            other.rows,
            other.boolean,
            other.triples,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Answer(form={self.form!r}, variables={self.variables!r}, {self.size} rows, boolean={self.boolean!r})"

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.form, self.variables, self.boolean, self.triples, self._rows, self._plain)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.form, self.variables, self.boolean, self.triples, self._rows, self._plain = state


class Engine(Protocol):
    """A SPARQL engine over the built dataset."""

    name: str
    #: Whether a forked child may run queries on this engine (see :mod:`iadef.sparql.guard`).
    fork_safe: bool

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, parsed: Any = None, constants: bool = False
    ) -> Answer:
        """Run ``text`` with ``bindings`` pre-bound; ``parsed`` is an rdflib Query the engine may reuse.

        ``constants``: an engine that receives the parameters in the query text may also
        write them as constants in its patterns (same rows; a hint for its planner).
        """
        ...

    def quads(
        self, subject: Term | None = None, predicate: Term | None = None, obj: Term | None = None
    ) -> Iterator[Quad]:
        """The quads matching a pattern (None: any), in every graph (None: the default graph), objects canonical."""
        ...

    def close(self) -> None:
        """Release the store (files, connections)."""
        ...


def canonical_decimal(text: str) -> str | None:
    """The XSD 1.1 canonical form of a decimal's lexical form (None: not a finite decimal)."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    shown = format(number.normalize(), "f")
    return "0" if shown in ("-0", "0") else shown


@overload
def canonical(term: Term) -> Term: ...


@overload
def canonical(term: None) -> None: ...


def canonical(term: Term | None) -> Term | None:
    """The form in which both engines report a term."""
    from rdflib import XSD, Literal

    if not isinstance(term, Literal) or term.language is not None:
        return term
    if term.datatype == XSD.string:
        return Literal(str(term))
    if term.datatype == XSD.decimal:
        text = canonical_decimal(str(term))
        return term if text is None else Literal(text, datatype=XSD.decimal)
    return term


#: Lexical forms that rdflib keeps as they are (checked over every month and day, valid or
#: not, in tests/test_startup.py): an XSD literal of another form goes through rdflib.
_KEPT = {
    XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    XSD + "gYearMonth": re.compile(r"[0-9]{4}-[0-9]{2}"),
    XSD + "gYear": re.compile(r"[0-9]{4}"),
    XSD + "gMonthDay": re.compile(r"--[0-9]{2}-[0-9]{2}"),
    XSD + "integer": re.compile(r"0|-?[1-9][0-9]*"),
    XSD + "boolean": re.compile(r"true|false"),
}


def plain_literal(text: str, language: str | None, datatype: str | None) -> Plain:
    """A literal as a :data:`Plain` term, with the text rdflib would give it, in canonical form.

    rdflib normalises the lexical form of the XSD types it knows (``007`` → ``7``,
    ``…Z`` → ``…+00:00``); where that could change the text (an XSD, RDF or OWL datatype
    whose form is not in :data:`_KEPT`) the literal goes through rdflib, so both engines
    still show the same text. Other datatypes (EDTF) are kept as they are, as rdflib does.
    """
    if language:
        return ("lang", text, language)
    if datatype is None or datatype == XSD_STRING:
        return ("literal", text, "")
    if datatype == XSD_DECIMAL:
        return ("literal", canonical_decimal(text) or text, datatype)
    kept = _KEPT.get(datatype)
    if (kept is not None and kept.fullmatch(text)) or not datatype.startswith((XSD, RDF, OWL)):
        return ("literal", text, datatype)
    from rdflib import Literal, URIRef

    return plain(canonical(Literal(text, datatype=URIRef(datatype))))


def plain(term: Term) -> Plain:
    """An rdflib term as a :data:`Plain` term (its text as rdflib shows it)."""
    from rdflib import BNode, Literal

    if isinstance(term, Literal):
        if term.language:
            return ("lang", str(term), term.language)
        datatype = "" if term.datatype is None or str(term.datatype) == XSD_STRING else str(term.datatype)
        return ("literal", str(term), datatype)
    if isinstance(term, BNode):
        return ("bnode", str(term), "")
    return ("iri", str(term), "")


def rdflib_converter() -> Any:
    """A function from :data:`Plain` terms to rdflib terms (canonical), remembering what it made.

    Answers repeat terms (an actor on every row): the memo keeps large answers cheap.
    """
    from rdflib import BNode, Literal, URIRef

    memo: dict[Plain, Term] = {}

    def convert(term: Plain) -> Term:
        found = memo.get(term)
        if found is not None:
            return found
        kind, text, extra = term
        made: Term
        if kind == "iri":
            made = URIRef(text)
        elif kind == "lang":
            made = Literal(text, lang=extra)
        elif kind == "literal":
            made = Literal(text, datatype=URIRef(extra)) if extra else Literal(text)
        else:
            made = BNode(text)
        memo[term] = made
        return made

    return convert
