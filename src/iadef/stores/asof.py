"""The graph as it stood on a day: the one filter behind every ``--as-of DATE``.

:func:`slice_quads` keeps, of the built dataset, what was known on day D:

1. **A fact is in** when its source was issued on or before D and its own date, when the
   fact states one (``signatureDate 2024-04-04``), is not after D. Everything else about a
   fact left out goes with it: its named graph and its provenance in the default graph.
2. **A source's date** is its ``dcterms:issued``. A source with none is dated by the
   latest date its own facts report (a report's note says so, see :class:`Slice`), and is
   left out when its facts give no date either, unless ``include_undated``. A source can
   only report what happened before it was written, so the dates that say nothing of
   when it was written are not used: those of facts it states as planned (a target date),
   and the end of a period (``endDate``, ``periodEnd``: a plan for 2022-2028 may be
   announced in 2024).
3. **Partial dates compare at their precision** (:mod:`iadef.dates`): a fact dated 2024-04
   is in on 2024-04-30 and on 2024-04-15 (April has begun; the source does not say which
   day), out on 2024-03-31. A day of an unknown year (``--11-19``) is no date here.
4. **Statuses are those the sources knew then**: a status is the provenance of one
   source's fact, so once a later source is left out, the status an earlier source gave
   (planned, announced) is the one that remains.

What is not a sourced fact is kept: curated labels (``curation/`` graphs), the ontology,
the Wikidata links, and the descriptions of the sources kept (those of the sources left
out go). Every command that takes ``--as-of`` (``query``, ``sparql``, ``viz``, ``path``,
``analyze``, ``export``) opens its store through :func:`at_date`, so they all see the same
slice; ``iadef export --format jsonld --as-of D`` writes it for any other tool.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from iadef.dates import PartialDate, latest, parse
from iadef.namespaces import DCTERMS, FACT, IADEF, PROV, SOURCE

if TYPE_CHECKING:
    from iadef.sparql.answer import Engine, Quad
    from iadef.stores.rdflib_engine import RdflibEngine


@dataclass(frozen=True)
class AsOf:
    """``--as-of DAY`` and ``--include-undated``."""

    day: dt.date
    include_undated: bool = False


@dataclass
class Slice:
    """The quads kept, and what the reader must be told about how sources were dated."""

    quads: list[Quad]
    notes: list[str] = field(default_factory=list)
    kept_facts: int = 0
    dropped_facts: int = 0


def _date_of(term: object) -> PartialDate | None:
    return parse(str(term)) if isinstance(term, Literal) else None


def source_dates(quads: Iterable[Quad]) -> tuple[dict[str, PartialDate | None], dict[str, str]]:
    """Each source's date by rule 2, and how it was found (``issued`` or ``facts``) for those that have one."""
    issued: dict[str, PartialDate | None] = {}
    fact_source: dict[object, str] = {}
    fact_dates: dict[object, list[PartialDate]] = defaultdict(list)
    planned: set[object] = set()
    sources: set[str] = set()
    fact_prefix, source_prefix = str(FACT), str(SOURCE)
    # the terms once, not per quad: each Namespace attribute builds and checks a new URIRef
    issued_by, derived_from, status = DCTERMS.issued, PROV.wasDerivedFrom, IADEF.status
    for s, p, o, g in quads:
        if g is None:
            if p == issued_by and str(s).startswith(source_prefix):
                issued[str(s)] = _date_of(o)
            elif p == derived_from and str(s).startswith(fact_prefix):
                fact_source[s] = str(o)
                sources.add(str(o))
            elif p == status and o == PLANNED:
                planned.add(s)
        elif str(g).startswith(fact_prefix) and p not in NOT_REPORTED:
            found = _date_of(o)
            if found is not None:
                fact_dates[g].append(found)
    by_source: dict[str, list[PartialDate]] = defaultdict(list)
    for fact, source in fact_source.items():
        if fact not in planned:
            by_source[source] += fact_dates.get(fact, [])
    dates: dict[str, PartialDate | None] = {}
    how: dict[str, str] = {}
    for source in sorted(sources | set(issued)):
        if issued.get(source) is not None:
            dates[source], how[source] = issued[source], "issued"
        else:
            dates[source] = latest(by_source.get(source, []))
            if dates[source] is not None:
                how[source] = "facts"
    return dates, how


def sources_dated(quads: Iterable[Quad]) -> dict[str, str]:
    """Source key -> its date as written (rule 2), for the sources that have one."""
    dates, _ = source_dates(quads)
    return {source.removeprefix(str(SOURCE)): date.text for source, date in dates.items() if date is not None}


# Dates that do not date the source that gives them (rule 2): a period's end, a planned fact's.
NOT_REPORTED = frozenset({IADEF.endDate, IADEF.periodEnd})
PLANNED = IADEF.Planned

DATING_QUERY = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX iadef:   <https://w3id.org/iadef/def/>
PREFIX prov:    <http://www.w3.org/ns/prov#>
SELECT ?source ?issued ?fact ?date WHERE {
  { ?source dcterms:issued ?issued }
  UNION
  {
    ?fact prov:wasDerivedFrom ?source .
    FILTER NOT EXISTS { ?source dcterms:issued ?anyIssued }
    FILTER NOT EXISTS { ?fact iadef:status iadef:Planned }
    GRAPH ?fact { ?s ?p ?date }
    FILTER (isLiteral(?date) && ?p != iadef:endDate && ?p != iadef:periodEnd)
  }
}
"""
# The same in two steps for given sources, as VALUES tables (iadef.sparql.bind.inline_table): their
# issue dates, then the literals of the facts of those that have none.
ISSUED_QUERY = """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?source ?issued WHERE { ?source dcterms:issued ?issued }
"""
FACT_LITERALS_QUERY = """
PREFIX iadef: <https://w3id.org/iadef/def/>
PREFIX prov:  <http://www.w3.org/ns/prov#>
SELECT ?source ?fact ?date WHERE {
  ?fact prov:wasDerivedFrom ?source .
  FILTER NOT EXISTS { ?fact iadef:status iadef:Planned }
  GRAPH ?fact { ?s ?p ?date }
  FILTER (isLiteral(?date) && ?p != iadef:endDate && ?p != iadef:periodEnd)
}
"""
BATCH = 200  # sources per query


def dated_sources(engine: Engine, sources: Iterable[str] | None = None) -> dict[str, str]:
    """:func:`sources_dated` read from a store: of every source, or only of ``sources`` (keys).

    Given the sources a page shows, only their issue dates and the facts of the undated
    ones are read, so a focused page does not scan the store.
    """
    from iadef.sparql.bind import inline_table
    from iadef.stores.rdflib_engine import RdflibEngine

    quads: list[Quad] = []
    if sources is not None and isinstance(engine, RdflibEngine):
        return _rdflib_dated(engine, sources)
    if sources is None:
        for source, issue, fact, date in engine.query(DATING_QUERY).rows:
            _dating_quads(quads, source, issue, fact, date)
        return sources_dated(quads)
    wanted = [SOURCE[key] for key in sorted(set(sources))]
    issued: set[object] = set()
    for start in range(0, len(wanted), BATCH):
        table = [(s,) for s in wanted[start : start + BATCH]]
        for source, date in engine.query(inline_table(ISSUED_QUERY, ["source"], table)).rows:
            issued.add(source)
            _dating_quads(quads, source, date, None, None)
    undated = [s for s in wanted if s not in issued]
    for start in range(0, len(undated), BATCH):
        table = [(s,) for s in undated[start : start + BATCH]]
        for source, fact, date in engine.query(inline_table(FACT_LITERALS_QUERY, ["source"], table)).rows:
            _dating_quads(quads, source, None, fact, date)
    return sources_dated(quads)


def _rdflib_dated(engine: RdflibEngine, sources: Iterable[str]) -> dict[str, str]:
    """:func:`dated_sources` by index look-ups (rdflib's SPARQL evaluator is the slower of its two ways)."""
    quads: list[Quad] = []
    for key in sorted(set(sources)):
        source = SOURCE[key]
        issued = [o for _, _, o, g in engine.quads(source, DCTERMS.issued, None) if g is None]
        for date in issued:
            _dating_quads(quads, source, date, None, None)
        if issued:
            continue
        for fact, _, _, g in engine.quads(None, PROV.wasDerivedFrom, source):
            if g is None and (fact, IADEF.status, PLANNED) not in engine.dataset.default_graph:
                for _, predicate, value in engine.dataset.graph(fact).triples((None, None, None)):
                    if predicate not in NOT_REPORTED:
                        _dating_quads(quads, source, None, fact, value)
    return sources_dated(quads)


def _dating_quads(quads: list[Quad], source: object, issued: object, fact: object, date: object) -> None:
    """The quads :func:`source_dates` reads for one row of the dating queries."""
    if not isinstance(source, URIRef):
        return
    if isinstance(issued, Literal):
        quads.append((source, DCTERMS.issued, issued, None))
    elif isinstance(fact, URIRef) and isinstance(date, Literal):
        quads.append((fact, PROV.wasDerivedFrom, source, None))
        quads.append((fact, DCTERMS.date, date, fact))


def fact_dates(quads: Iterable[Quad]) -> dict[object, PartialDate]:
    """Fact graph -> the date the fact itself states (its object), for facts that state one."""
    fact_prefix = str(FACT)
    return {
        g: found
        for _, _, o, g in quads
        if g is not None and str(g).startswith(fact_prefix) and (found := _date_of(o)) is not None
    }


def slice_quads(quads: list[Quad], as_of: AsOf) -> Slice:
    """The quads known on ``as_of.day`` (rules in the module docstring)."""
    day = as_of.day
    dates, how = source_dates(quads)
    own = fact_dates(quads)
    fact_prefix, source_prefix = str(FACT), str(SOURCE)
    fact_source = {s: str(o) for s, p, o, g in quads if g is None and p == PROV.wasDerivedFrom}
    notes: list[str] = []
    kept_sources: set[str] = set()
    for source, date in sorted(dates.items()):
        key = source.removeprefix(source_prefix)
        if date is None:
            if as_of.include_undated:
                kept_sources.add(source)
                notes.append(f"source {key} gives no date at all: kept (--include-undated)")
            else:
                notes.append(f"source {key} gives no date at all: left out (--include-undated keeps it)")
            continue
        if how.get(source) == "facts":
            notes.append(f"source {key} has no issue date: dated {date.text}, the latest date its facts report")
        if date.not_after(day):
            kept_sources.add(source)
    dropped: set[object] = set()
    kept: set[object] = set()
    for fact, source in fact_source.items():
        if not str(fact).startswith(fact_prefix):
            continue
        date = own.get(fact)
        if source in kept_sources and (date is None or date.not_after(day)):
            kept.add(fact)
        else:
            dropped.add(fact)
    left_out = {URIRef(s) for s in dates if s not in kept_sources}
    result = [q for q in quads if q[3] not in dropped and not (q[3] is None and (q[0] in dropped or q[0] in left_out))]
    return Slice(result, notes, kept_facts=len(kept), dropped_facts=len(dropped))


def at_date(engine: Engine, as_of: AsOf) -> tuple[Engine, Slice]:
    """An in-memory engine of the same kind (rdflib, or Oxigraph for Oxigraph and servers) over the slice."""
    from iadef.stores.oxigraph_engine import OxigraphEngine, quads_store
    from iadef.stores.rdflib_engine import RdflibEngine, dataset_quads, quads_dataset

    if isinstance(engine, RdflibEngine):  # the terms as stored; other engines give theirs canonical
        sliced = slice_quads(list(dataset_quads(engine.dataset)), as_of)
        return RdflibEngine(quads_dataset(sliced.quads)), sliced
    sliced = slice_quads(list(engine.quads()), as_of)
    engine.close()
    return OxigraphEngine(quads_store(sliced.quads)), sliced
