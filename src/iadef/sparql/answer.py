from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Protocol, overload

from rdflib import XSD, BNode, Literal, URIRef

if TYPE_CHECKING:
    pass


Term = URIRef | BNode | Literal


Row = tuple[Term | None, ...]


Triple = tuple[Term, Term, Term]


Quad = tuple[Term, Term, Term, URIRef | BNode | None]  # graph None: the default graph


@dataclass(frozen=True)
class Answer:
    """What a query returned, whatever the engine."""

    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()


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


@overload
def canonical(term: Term) -> Term: ...


@overload
def canonical(term: None) -> None: ...


def canonical(term: Term | None) -> Term | None:
    """The form in which both engines report a term."""
    if not isinstance(term, Literal) or term.language is not None:
        return term
    if term.datatype == XSD.string:
        return Literal(str(term))
    if term.datatype == XSD.decimal:
        try:
            number = Decimal(str(term))
        except InvalidOperation:
            return term
        if not number.is_finite():
            return term
        text = format(number.normalize(), "f")
        return Literal("0" if text in ("-0", "0") else text, datatype=XSD.decimal)
    return term
