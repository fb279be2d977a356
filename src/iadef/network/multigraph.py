"""The projection's graph: a directed multigraph with node and edge attributes, in plain dicts.

:class:`MultiDiGraph` has the part of :class:`networkx.MultiDiGraph`'s interface that iadef and its
tests use (``nodes``, ``nodes[key]``, ``nodes(data=True)``, ``edges(keys=..., data=...)``,
``edges[u, v, key]``, ``graph[u][v]``, ``add_node``, ``add_edge``, ``has_edge``, the counts), with
networkx's iteration orders: nodes as added, edges by source node, then target, then key, each
as first added. Code written for networkx's class reads this one unchanged (a networkx graph
can still be given to :class:`iadef.network.projection.Projection`). Why not networkx itself:
``import networkx`` takes about 0.07 s, a sixth of ``iadef viz`` on the seed graph, which needs
no graph algorithm. The analyses that do (:mod:`iadef.network.analytics`) build a networkx graph
from this one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Attrs = dict[str, Any]


class NodeView:
    """``graph.nodes``: iterate the keys, ``nodes[key]`` the attributes, ``nodes(data=True)`` both."""

    def __init__(self, nodes: dict[str, Attrs]) -> None:
        self._nodes = nodes

    def __getitem__(self, key: str) -> Attrs:
        return self._nodes[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, key: object) -> bool:
        return key in self._nodes

    def __call__(self, data: bool = False) -> list[Any]:
        return list(self._nodes.items()) if data else list(self._nodes)


class EdgeView:
    """``graph.edges``: ``edges()`` the pairs (one per edge), ``edges(keys=True, data=True)`` more,
    ``edges[u, v, key]`` the attributes."""

    def __init__(self, succ: dict[str, dict[str, dict[str, Attrs]]]) -> None:
        self._succ = succ

    def __call__(self, keys: bool = False, data: bool = False) -> list[Any]:
        found: list[Any] = []
        for u, targets in self._succ.items():
            for v, keyed in targets.items():
                for key, attrs in keyed.items():
                    found.append((u, v, *((key,) if keys else ()), *((attrs,) if data else ())))
        return found

    def __getitem__(self, edge: tuple[str, str, str]) -> Attrs:
        u, v, key = edge
        return self._succ[u][v][key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self())

    def __len__(self) -> int:
        return sum(len(keyed) for targets in self._succ.values() for keyed in targets.values())


class MultiDiGraph:
    """Nodes with attributes, and any number of keyed, attributed edges from one node to another."""

    def __init__(self) -> None:
        self._nodes: dict[str, Attrs] = {}
        self._succ: dict[str, dict[str, dict[str, Attrs]]] = {}

    @property
    def nodes(self) -> NodeView:
        return NodeView(self._nodes)

    @property
    def edges(self) -> EdgeView:
        return EdgeView(self._succ)

    def add_node(self, key: str, **attrs: Any) -> None:
        """Add a node, or update the attributes of one already there."""
        if key not in self._nodes:
            self._nodes[key] = {}
            self._succ[key] = {}
        self._nodes[key].update(attrs)

    def add_edge(self, u: str, v: str, key: str | int | None = None, **attrs: Any) -> Any:
        """Add an edge ``u -> v`` (and its ends if new), or update the one with this ``key``; without
        a key, the lowest whole number not used between ``u`` and ``v``. Returns the key."""
        for end in (u, v):
            if end not in self._nodes:
                self.add_node(end)
        keyed: dict[Any, Attrs] = self._succ[u].setdefault(v, {})
        if key is None:
            key = next(number for number in range(len(keyed) + 1) if number not in keyed)
        keyed.setdefault(key, {}).update(attrs)
        return key

    def has_edge(self, u: str, v: str, key: str | None = None) -> bool:
        keyed = self._succ.get(u, {}).get(v)
        return keyed is not None and (key is None or key in keyed)

    def number_of_nodes(self) -> int:
        return len(self._nodes)

    def number_of_edges(self) -> int:
        return len(self.edges)

    def __getitem__(self, u: str) -> dict[str, dict[str, Attrs]]:
        return self._succ[u]

    def __contains__(self, key: object) -> bool:
        return key in self._nodes

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)
