"""GraphML (yEd, Cytoscape, networkx): typed keys for every node and edge attribute.

Every attribute is declared once as a ``<key>`` with its ``attr.type`` (``string`` or
``boolean``); the graph is directed, with parallel edges told apart by their ids. The node's
label and the edge's start day are ordinary keys here (GraphML has no dynamics).
"""

from __future__ import annotations

from iadef.network.exports.records import EDGE_FIELDS, NODE_FIELDS, EdgeRecord, NodeRecord
from iadef.network.exports.xml import attr, text

NODE_KEYS = tuple(f for f in NODE_FIELDS if f != "id")
EDGE_KEYS = tuple(f for f in EDGE_FIELDS if f not in ("id", "source", "target"))
BOOLEAN = frozenset({"symmetric"})


def _keys(domain: str, names: tuple[str, ...]) -> list[str]:
    return [
        f'  <key id="{domain[0]}_{name}" for="{domain}" attr.name="{name}" '
        f'attr.type="{"boolean" if name in BOOLEAN else "string"}"/>'
        for name in names
    ]


def _data(record: object, domain: str, names: tuple[str, ...]) -> list[str]:
    lines = []
    for name in names:
        value = getattr(record, name)
        if value == "":
            continue
        shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
        lines.append(f'      <data key="{domain[0]}_{name}">{text(shown)}</data>')
    return lines


def graphml(nodes: list[NodeRecord], edges: list[EdgeRecord], description: str) -> bytes:
    """The GraphML document of ``nodes`` and ``edges``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
        f"  <desc>{text(description)}</desc>",
        *_keys("node", NODE_KEYS),
        *_keys("edge", EDGE_KEYS),
        '  <graph id="iadef" edgedefault="directed">',
    ]
    for node in nodes:
        lines.append(f"    <node id={attr(node.id)}>")
        lines += _data(node, "node", NODE_KEYS)
        lines.append("    </node>")
    for edge in edges:
        lines.append(f"    <edge id={attr(edge.id)} source={attr(edge.source)} target={attr(edge.target)}>")
        lines += _data(edge, "edge", EDGE_KEYS)
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines).encode("utf-8")
