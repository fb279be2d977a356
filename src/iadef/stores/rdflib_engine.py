from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from rdflib import BNode, Dataset, URIRef

from iadef.errors import IadefError, QueryError
from iadef.sparql.answer import Answer, Quad, Term, Triple, canonical

if TYPE_CHECKING:
    pass


class RdflibEngine:
    """rdflib's SPARQL 1.1 engine over a :class:`~rdflib.Dataset` (default graph not the union)."""

    name = "rdflib"
    fork_safe = True

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset

    def query(
        self, text: str, bindings: Mapping[str, Term] | None = None, *, parsed: Any = None, constants: bool = False
    ) -> Answer:
        from iadef.sparql.rdflib_shortcuts import shortcuts

        with shortcuts():
            try:
                result = self.dataset.query(parsed if parsed is not None else text, initBindings=dict(bindings or {}))
                return _from_rdflib(result)
            except IadefError:
                raise
            except Exception as exc:  # rdflib raises bare exceptions from deep inside its evaluator
                raise QueryError(f"rdflib could not run the query: {type(exc).__name__}: {exc}") from None

    def quads(
        self, subject: Term | None = None, predicate: Term | None = None, obj: Term | None = None
    ) -> Iterator[Quad]:
        for s, p, o, g in dataset_quads(self.dataset, subject, predicate, obj):
            yield s, p, canonical(o), g

    def close(self) -> None:
        """Nothing to release: the dataset is garbage-collected."""


def dataset_quads(
    dataset: Dataset, subject: Term | None = None, predicate: Term | None = None, obj: Term | None = None
) -> Iterator[Quad]:
    """The quads of an rdflib dataset matching a pattern, terms as stored, the default graph named None."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    for s, p, o, g in dataset.quads((subject, predicate, obj, None)):
        name: Any = getattr(g, "identifier", g)
        yield (
            cast(Term, s),
            cast(Term, p),
            cast(Term, o),
            None if name is None or name == DATASET_DEFAULT_GRAPH_ID else name,
        )


def quads_dataset(quads: Iterable[Quad]) -> Dataset:
    """An rdflib dataset (default graph not the union) holding ``quads`` (graph None: the default graph)."""
    dataset = Dataset(default_union=False)
    contexts: dict[URIRef | BNode | None, Any] = {}
    for s, p, o, g in quads:
        if g not in contexts:
            contexts[g] = dataset.default_graph if g is None else dataset.graph(g)
        contexts[g].add((s, p, o))
    return dataset


def _from_rdflib(result: Any) -> Answer:
    if result.type == "SELECT":
        names = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(canonical(b.get(v)) for v in result.vars) for b in result.bindings)
        return Answer("SELECT", names, rows)
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    triples: list[Triple] = [(s, p, canonical(o)) for s, p, o in result.graph]
    return Answer(str(result.type), triples=tuple(sorted(triples)))
