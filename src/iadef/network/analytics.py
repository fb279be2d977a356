"""Network analytics over the projection: who is central, who brokers, how A reaches B.

Every measure is computed on the *undirected simple* view of the projection
(:func:`undirected`): the direction of an RDF property is a modelling choice (an
agreement points at its parties, a person at the organisation where they hold a
post), and several relations between the same two nodes count as one tie.

- **Degree**: number of distinct neighbours.
- **Betweenness**: normalised shortest-path betweenness (exact, networkx).
- **PageRank**: damping 0.85 on the undirected view, computed here by power
  iteration in pure Python (same algorithm as ``networkx.pagerank``, which needs
  SciPy), so results do not depend on an optional numerical stack.
- **Communities**: Louvain (networkx) with a fixed seed; each community is named
  after its member with the highest PageRank.
- **Brokers**: articulation points (removing one disconnects the network) and
  bridges (ties whose removal does); bridges to a leaf are flagged ``pendant``.

Results are plain dicts and lists with readable labels in the chosen language,
rounded to 6 decimals and sorted with ties broken by key, so that JSON output is
byte-identical from run to run.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import islice, pairwise
from typing import Any

from iadef.network.projection import Projection, relation_label

SEED = 20240404
DAMPING = 0.85
DIGITS = 6


def undirected(projection: Projection) -> Any:
    """The undirected simple graph of the projection (a networkx graph), nodes and edges in sorted order."""
    import networkx as nx

    graph = projection.graph
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in graph.edges() if u != v}))
    return simple


def neighbours(projection: Projection) -> dict[str, set[str]]:
    """The same simple view without networkx: each node (in sorted order) and its distinct neighbours,
    so ``len(neighbours[key])`` is its degree."""
    graph = projection.graph
    found: dict[str, set[str]] = {key: set() for key in sorted(graph.nodes)}
    for u, v in graph.edges():
        if u != v:
            found[u].add(v)
            found[v].add(u)
    return found


def pagerank(
    simple: Mapping[str, Collection[str]], damping: float = DAMPING, tol: float = 1e-12, max_iter: int = 500
) -> dict[str, float]:
    """PageRank of an undirected simple graph (each tie followed both ways); dangling nodes spread evenly.

    ``simple`` maps each node to its neighbours: :func:`neighbours`, or a networkx graph (``simple[node]``
    is the node's neighbours there too) such as :func:`undirected` gives."""
    nodes = list(simple)
    if not nodes:
        return {}
    n = len(nodes)
    rank = dict.fromkeys(nodes, 1.0 / n)
    degree = {node: len(simple[node]) for node in nodes}
    for _ in range(max_iter):
        dangling = damping * sum(rank[node] for node in nodes if degree[node] == 0) / n
        base = (1.0 - damping) / n + dangling
        new = {node: base + damping * sum(rank[nb] / degree[nb] for nb in sorted(simple[node])) for node in nodes}
        delta = sum(abs(new[node] - rank[node]) for node in nodes)
        rank = new
        if delta < n * tol:
            break
    return rank


def _round(value: float) -> float:
    return round(value, DIGITS) + 0.0


def describe(projection: Projection, key: str, lang: str) -> dict[str, str]:
    """Key, readable label and readable class of a node."""
    data = projection.graph.nodes[key]
    return {"key": key, "label": projection.name(key, lang), "type": projection.term(data["cls"], lang)}


def metrics(projection: Projection) -> dict[str, dict[str, float]]:
    """Degree, betweenness and PageRank of every node, by key."""
    import networkx as nx

    simple = undirected(projection)
    between = nx.betweenness_centrality(simple, normalized=True)
    ranks = pagerank(simple)
    return {
        key: {
            "degree": float(simple.degree(key)),
            "betweenness": _round(between[key]),
            "pagerank": _round(ranks[key]),
        }
        for key in simple.nodes
    }


def ranking(values: dict[str, dict[str, float]], measure: str) -> list[str]:
    """Node keys by decreasing ``measure``, ties by key."""
    return sorted(values, key=lambda key: (-values[key][measure], key))


def communities(projection: Projection, ranks: dict[str, dict[str, float]]) -> list[list[str]]:
    """Louvain communities (fixed seed), largest first, members by decreasing PageRank."""
    import networkx as nx

    simple = undirected(projection)
    found = nx.community.louvain_communities(simple, seed=SEED)
    groups = [sorted(group, key=lambda key: (-ranks[key]["pagerank"], key)) for group in found]
    return sorted(groups, key=lambda group: (-len(group), group[0]))


def brokers(projection: Projection) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """Articulation points (sorted by key) and bridges ``(a, b, pendant)`` (sorted)."""
    import networkx as nx

    simple = undirected(projection)
    points = sorted(nx.articulation_points(simple))
    bridges = sorted(
        (min(a, b), max(a, b), simple.degree(a) == 1 or simple.degree(b) == 1) for a, b in nx.bridges(simple)
    )
    return points, bridges


def analyze(projection: Projection, lang: str = "fr", top: int = 10) -> dict[str, Any]:
    """Everything ``iadef analyze`` reports, as JSON-ready data."""
    values = metrics(projection)
    groups = communities(projection, values)
    points, bridges = brokers(projection)
    community_of = {key: index for index, group in enumerate(groups, start=1) for key in group}
    nodes = [
        {**describe(projection, key, lang), **values[key], "community": community_of[key], "broker": key in points}
        for key in ranking(values, "pagerank")
    ]
    return {
        "nodes": len(values),
        "edges": projection.graph.number_of_edges(),
        "top": {
            measure: [
                {**describe(projection, key, lang), measure: values[key][measure]}
                for key in ranking(values, measure)[:top]
            ]
            for measure in ("degree", "betweenness", "pagerank")
        },
        "communities": [
            {
                "id": index,
                "name": projection.name(group[0], lang),
                "size": len(group),
                "members": [describe(projection, key, lang) for key in group],
            }
            for index, group in enumerate(groups, start=1)
        ],
        "brokers": [
            {**describe(projection, key, lang), "betweenness": values[key]["betweenness"]}
            for key in sorted(points, key=lambda key: (-values[key]["betweenness"], key))
        ],
        "bridges": [
            {
                "a": describe(projection, a, lang),
                "b": describe(projection, b, lang),
                "pendant": pendant,
                "relations": [link["label"] for link in links_between(projection, a, b, lang)],
            }
            for a, b, pendant in bridges
        ],
        "all": nodes,
    }


def links_between(projection: Projection, a: str, b: str, lang: str = "fr") -> list[dict[str, Any]]:
    """Every edge between ``a`` and ``b`` in either direction, readable, with date and sources."""
    graph = projection.graph
    links = []
    for subject, obj in ((a, b), (b, a)):
        if not graph.has_edge(subject, obj):
            continue
        for _key, data in sorted(graph[subject][obj].items()):
            label = relation_label(projection, data, lang)
            links.append(
                {
                    "subject": describe(projection, subject, lang),
                    "relation": data["relation"],
                    "label": label,
                    "object": describe(projection, obj, lang),
                    "date": data.get("date"),
                    "sources": [
                        {
                            "source": item["source"],
                            "title": projection.sources.get(item["source"], item["source"]),
                            "quote": item["quote"],
                            "status": projection.term(item["status"], lang) if item["status"] else None,
                        }
                        for item in data["evidence"]
                    ],
                }
            )
    return links


def paths(
    projection: Projection, start: str, end: str, *, lang: str = "fr", longer: int = 0, limit: int = 10
) -> list[list[dict[str, Any]]]:
    """The shortest chains of relations from node ``start`` to node ``end`` (keys).

    Each chain is a list of hops ``{"from", "to", "links"}`` where ``links`` are all
    the relations joining the two nodes of the hop. ``longer`` > 0 also returns chains
    up to that many hops longer than the shortest; at most ``limit`` chains, shortest
    first. No chain at all gives an empty list.
    """
    import networkx as nx

    a, b = start, end
    simple = undirected(projection)
    if a == b or not nx.has_path(simple, a, b):
        return []
    if longer <= 0:
        found = list(islice(nx.all_shortest_paths(simple, a, b), limit))
    else:
        shortest = nx.shortest_path_length(simple, a, b)
        found = []
        for path in nx.shortest_simple_paths(simple, a, b):
            if len(path) - 1 > shortest + longer or len(found) >= limit:
                break
            found.append(path)
    found.sort(key=lambda path: (len(path), [projection.name(key, lang) for key in path], path))
    return [
        [
            {
                "from": describe(projection, u, lang),
                "to": describe(projection, v, lang),
                "links": links_between(projection, u, v, lang),
            }
            for u, v in pairwise(path)
        ]
        for path in found
    ]
