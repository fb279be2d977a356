"""GEXF 1.3 (Gephi): nodes and edges with typed attributes, and dates as spells.

The graph is ``mode="dynamic"`` with ``timeformat="date"``: an element with a date has one
spell opening on that date's first day (:mod:`iadef.network.exports.records`) and never
closing, so Gephi's timeline shows the network growing as agreements are signed and
mandates attested; an undated element has no spell and is present throughout. Edges
keep their direction (``defaultedgetype="directed"``); a symmetric relation (partnership,
proximity) says so in its ``symmetric`` attribute. Parallel edges between two nodes
differ by ``kind`` (the relation), as GEXF 1.3 allows. No timestamp is written (no
``lastmodifieddate``), so the bytes depend on the graph only.
"""

from __future__ import annotations

from iadef.network.exports.records import EDGE_FIELDS, NODE_FIELDS, EdgeRecord, NodeRecord
from iadef.network.exports.xml import attr, text

NAMESPACE = "http://gexf.net/1.3"
SCHEMA = "http://gexf.net/1.3/gexf.xsd"
# Attributes written as GEXF attributes (the rest are the element's own: id, label, source, target).
NODE_ATTRIBUTES = tuple(f for f in NODE_FIELDS if f not in ("id", "label", "start"))
EDGE_ATTRIBUTES = tuple(f for f in EDGE_FIELDS if f not in ("id", "source", "target", "label", "start"))


def _type(value: object) -> str:
    return "boolean" if isinstance(value, bool) else "string"


def _value(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _declare(cls: str, names: tuple[str, ...], sample: object) -> list[str]:
    lines = [f'    <attributes class="{cls}">']
    for name in names:
        kind = _type(getattr(sample, name)) if sample is not None else "string"
        lines.append(f'      <attribute id="{name}" title="{name}" type="{kind}"/>')
    lines.append("    </attributes>")
    return lines


def _attvalues(record: object, names: tuple[str, ...], indent: str) -> list[str]:
    lines = [f"{indent}<attvalues>"]
    for name in names:
        value = getattr(record, name)
        if value == "":
            continue  # GEXF: an absent value, not an empty string
        lines.append(f'{indent}  <attvalue for="{name}" value={attr(_value(value))}/>')
    lines.append(f"{indent}</attvalues>")
    return lines


def _spells(start: str, indent: str) -> list[str]:
    return [f"{indent}<spells>", f'{indent}  <spell start="{start}"/>', f"{indent}</spells>"] if start else []


def gexf(nodes: list[NodeRecord], edges: list[EdgeRecord], description: str) -> bytes:
    """The GEXF 1.3 document of ``nodes`` and ``edges``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<gexf xmlns="{NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{NAMESPACE} {SCHEMA}" version="1.3">',
        "  <meta>",
        "    <creator>iadef</creator>",
        f"    <description>{text(description)}</description>",
        "  </meta>",
        '  <graph defaultedgetype="directed" mode="dynamic" timeformat="date" timerepresentation="interval">',
        *_declare("node", NODE_ATTRIBUTES, nodes[0] if nodes else None),
        *_declare("edge", EDGE_ATTRIBUTES, edges[0] if edges else None),
        "    <nodes>",
    ]
    for node in nodes:
        lines.append(f"      <node id={attr(node.id)} label={attr(node.label)}>")
        lines += _attvalues(node, NODE_ATTRIBUTES, "        ")
        lines += _spells(node.start, "        ")
        lines.append("      </node>")
    lines += ["    </nodes>", "    <edges>"]
    for edge in edges:
        lines.append(
            f"      <edge id={attr(edge.id)} source={attr(edge.source)} target={attr(edge.target)} "
            f"kind={attr(edge.relation)} label={attr(edge.label)}>"
        )
        lines += _attvalues(edge, EDGE_ATTRIBUTES, "        ")
        lines += _spells(edge.start, "        ")
        lines.append("      </edge>")
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(lines).encode("utf-8")
