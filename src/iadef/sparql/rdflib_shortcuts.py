"""Two evaluation shortcuts that make rdflib usable on a graph of one triple per named graph.

rdflib evaluates ``GRAPH ?g { … }`` by visiting every named graph of the dataset (520
on the seed graph, one per sourced fact), and joins two groups that themselves contain
joins with a nested loop over both sides (``_join``: every left solution against every
right one). The catalogue's queries join several ``GRAPH ?fact { … }`` evidence units, so
plain rdflib needs from seconds to minutes per query.

Both shortcuts give exactly the solutions rdflib's own code gives, only faster:

- ``GRAPH ?g { s p o }`` (one triple pattern, no property path, ``?g`` unbound) is read
  straight from the quad index, one solution per matching quad outside the default graph;
  a longer basic graph pattern is evaluated only in the graphs that hold a match for one
  of its triple patterns;
- a non-lazy join whose right side is only triple patterns is evaluated as rdflib's lazy
  joins are, the right side once per left solution with its bindings (for conjunctive
  patterns that is the join); other non-lazy joins bucket the right-hand solutions by the
  variables they all bind, so each left solution meets only compatible candidates.

They are installed in rdflib's ``CUSTOM_EVALS`` only while :func:`shortcuts` is active,
so the rest of the process sees stock rdflib. The cross-engine test (rdflib against
pyoxigraph on every named query) checks that the answers do not change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rdflib import BNode, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.paths import Path
from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalPart

_GRAPH_KEY = "iadef-graph-from-quads"
_JOIN_KEY = "iadef-bucketed-join"


@contextmanager
def shortcuts() -> Iterator[None]:
    """Install the shortcuts for the duration of a ``with`` block (not re-entrant-safe across threads)."""
    added = [key for key in (_GRAPH_KEY, _JOIN_KEY) if key not in CUSTOM_EVALS]
    if _GRAPH_KEY in added:
        CUSTOM_EVALS[_GRAPH_KEY] = _graph_from_quads
    if _JOIN_KEY in added:
        CUSTOM_EVALS[_JOIN_KEY] = _bucketed_join
    try:
        yield
    finally:
        for key in added:
            CUSTOM_EVALS.pop(key, None)


def _is_var(term: object) -> bool:
    return isinstance(term, (Variable, BNode))


def _graph_from_quads(ctx: Any, part: Any) -> Any:
    """``GRAPH ?g { BGP }`` with ``?g`` unbound, read from the quad index."""
    if part.name != "Graph" or not _is_var(part.term) or ctx[part.term] is not None:
        raise NotImplementedError
    inner = _bare(part.p)
    if inner.name != "BGP" or not inner.triples:
        raise NotImplementedError
    plain = [triple for triple in inner.triples if not isinstance(triple[1], Path)]
    if not plain:
        raise NotImplementedError
    if len(inner.triples) == 1:
        return _single_pattern(ctx, part.term, plain[0])
    pattern = tuple(ctx[term] for term in plain[0])
    names = sorted({g for *_, g in ctx.dataset.quads((*pattern, None)) if _named(g)})
    return _in_graphs(ctx, part, names)


def _bare(pattern: Any) -> Any:
    """``pattern`` without the empty-BGP joins rdflib leaves in EXISTS patterns."""
    while pattern.name == "Join":
        if pattern.p1.name == "BGP" and not pattern.p1.triples:
            pattern = pattern.p2
        elif pattern.p2.name == "BGP" and not pattern.p2.triples:
            pattern = pattern.p1
        else:
            break
    return pattern


def _named(graph: object) -> bool:
    return graph is not None and graph != DATASET_DEFAULT_GRAPH_ID


def _single_pattern(ctx: Any, graph_var: Any, triple: Sequence[Any]) -> Iterator[Any]:
    lookup = tuple(ctx[term] for term in triple)
    for *found, graph in ctx.dataset.quads((*lookup, None)):
        if not _named(graph):
            continue
        bound: dict[Any, Any] = {graph_var: graph}
        consistent = True
        for term, value in zip(triple, found, strict=True):
            if not _is_var(term) or ctx[term] is not None:
                continue
            if bound.get(term, value) != value:
                consistent = False
                break
            bound[term] = value
        if not consistent:
            continue
        child = ctx.push()
        for term, value in bound.items():
            child[term] = value
        yield child.solution()


def _in_graphs(ctx: Any, part: Any, names: Iterable[Any]) -> Iterator[Any]:
    for name in names:
        child = ctx.push()
        child[part.term] = name
        yield from evalPart(child, part)


def _bucketed_join(ctx: Any, part: Any) -> Any:
    """rdflib's non-lazy join, faster.

    A right side made only of triple patterns (BGPs, GRAPH blocks of them, joins of
    these) is evaluated once per left solution with its bindings: for conjunctive
    patterns that is the same as joining. Any other right side is evaluated once and
    bucketed by the variables all its solutions bind.
    """
    if part.name != "Join" or part.lazy:
        raise NotImplementedError
    if _conjunctive(part.p2):
        return _nested(ctx, part)
    return _join(evalPart(ctx, part.p1), list(evalPart(ctx, part.p2)))


def _conjunctive(pattern: Any) -> bool:
    if pattern.name == "BGP":
        return True
    if pattern.name == "Graph":
        return bool(_conjunctive(pattern.p))
    if pattern.name == "Join":
        return _conjunctive(pattern.p1) and _conjunctive(pattern.p2)
    return False


def _nested(ctx: Any, part: Any) -> Iterator[Any]:
    for left in evalPart(ctx, part.p1):
        for right in evalPart(ctx.thaw(left), part.p2):
            yield right.merge(left)


def _join(left: Iterable[Any], right: list[Any]) -> Iterator[Any]:
    if not right:
        return
    common = set(right[0].keys())
    for solution in right[1:]:
        common &= set(solution.keys())
    keys = sorted(common)
    buckets: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for solution in right:
        buckets[tuple(solution.get(key) for key in keys)].append(solution)
    for solution in left:
        values = tuple(solution.get(key) for key in keys)
        candidates = right if None in values else buckets.get(values, [])
        for other in candidates:
            if solution.compatible(other):
                yield solution.merge(other)
