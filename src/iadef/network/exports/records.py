"""The network as flat records: what every tabular export (GEXF, GraphML, CSV, Cypher) writes.

One :class:`NodeRecord` per node and one :class:`EdgeRecord` per edge of the projection
(:mod:`iadef.network.projection`), in projection order (nodes by key, edges by subject,
object and relation), every value a string or a boolean, so that the formats agree and
their bytes are deterministic. Lists (acronyms, sources, quotes, statuses) are joined by
:data:`SEPARATOR`; their items are sorted and unique. ``start`` is the first day of the
element's date (its period's first day for a month, a year or a season), the beginning of
its GEXF spell; an undated element has none and is present at every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from iadef.dates import parse
from iadef.network.projection import EDGE_DATES, Projection, relation_label

SEPARATOR = " | "


@dataclass(frozen=True)
class NodeRecord:
    id: str
    label: str
    label_fr: str
    label_en: str
    type: str
    kind: str
    acronyms: str
    aliases: str
    dates: str
    start: str
    sources: str
    quotes: str
    statuses: str


@dataclass(frozen=True)
class EdgeRecord:
    id: str
    source: str
    target: str
    relation: str
    label: str
    label_fr: str
    label_en: str
    post: str
    date: str
    start: str
    symmetric: bool
    sources: str
    quotes: str
    statuses: str


@dataclass(frozen=True)
class Evidence:
    """One row of ``edges.csv``: an edge as one source states it."""

    edge: EdgeRecord
    source: str
    title: str
    quote: str
    status: str


NODE_FIELDS: tuple[str, ...] = tuple(NodeRecord.__dataclass_fields__)
EDGE_FIELDS: tuple[str, ...] = tuple(EdgeRecord.__dataclass_fields__)


def _join(items: list[str]) -> str:
    return SEPARATOR.join(sorted({item for item in items if item}))


def _start(value: str | None) -> str:
    parsed = parse(value) if value else None
    return parsed.start() if parsed else ""


def node_date(data: dict[str, Any]) -> str | None:
    """A dated node's own date: the first of the edge-date properties it has (as the projection dates edges)."""
    for prop in EDGE_DATES:
        values: list[str] = [str(value) for name, value in data["dates"] if name == prop and parse(str(value))]
        if values:
            return max(values, key=lambda v: (len(v), v))
    return None


def records(projection: Projection, keys: list[str], lang: str = "fr") -> tuple[list[NodeRecord], list[EdgeRecord]]:
    """The records of the nodes ``keys`` and of the edges between them."""
    graph = projection.graph
    shown = set(keys)
    edges: list[EdgeRecord] = []
    first: dict[str, list[str]] = {key: [] for key in keys}
    for s, o, key, data in graph.edges(keys=True, data=True):
        if s not in shown or o not in shown:
            continue
        start = _start(data["date"])
        edges.append(
            EdgeRecord(
                id=f"{s}|{key}|{o}",
                source=s,
                target=o,
                relation=data["rel"],
                label=relation_label(projection, data, lang),
                label_fr=relation_label(projection, data, "fr"),
                label_en=relation_label(projection, data, "en"),
                post=data["post"] or "",
                date=data["date"] or "",
                start=start,
                symmetric=bool(data["symmetric"]),
                sources=_join([e["source"] for e in data["evidence"]]),
                quotes=_join([e["quote"] for e in data["evidence"]]),
                statuses=_join([e["status"] or "" for e in data["evidence"]]),
            )
        )
        if start:
            first[s].append(start)
            first[o].append(start)
    nodes = []
    for key in sorted(keys):
        data = graph.nodes[key]
        own = _start(node_date(data))
        # a node is present from its own date, or from its first dated edge if that is earlier (Gephi
        # hides an edge whose ends are absent); a node with no date, or with undated edges, always
        undated_edge = any(not e.start for e in edges if key in (e.source, e.target))
        starts = [*first[key], own] if own else []
        nodes.append(
            NodeRecord(
                id=key,
                label=projection.name(key, lang),
                label_fr=projection.name(key, "fr"),
                label_en=projection.name(key, "en"),
                type=data["cls"],
                kind=data["kind"],
                acronyms=_join(data["acronyms"]),
                aliases=_join(data["aliases"]),
                dates=SEPARATOR.join(f"{name}={value}" for name, value in data["dates"]),
                start="" if undated_edge or not starts else min(starts),
                sources=_join([e["source"] for e in data["evidence"]]),
                quotes=_join([e["quote"] for e in data["evidence"]]),
                statuses=_join([e["status"] or "" for e in data["evidence"]]),
            )
        )
    return nodes, edges


def evidence_rows(projection: Projection, edges: list[EdgeRecord]) -> list[Evidence]:
    """One row per edge and source quote, in edge order then source and quote."""
    graph = projection.graph
    rows = []
    for edge in edges:
        key = edge.id.split("|")[1]
        data = graph.edges[edge.source, edge.target, key]
        for item in sorted(data["evidence"], key=lambda e: (e["source"], e["quote"], e["status"] or "")):
            title = projection.sources.get(item["source"], "")
            rows.append(Evidence(edge, item["source"], title, item["quote"], item["status"] or ""))
    return rows
