"""Cypher for Neo4j: a script for ``cypher-shell -f`` (Neo4j 5) that loads the network.

No data is ever written into a statement's text: each batch of rows is set as a
parameter (``:param {rows: [...]}``, the cypher-shell and Neo4j Browser command), whose
values are Cypher literals written with JSON's escapes (``\\"``, ``\\\\``, ``\\n``,
``\\uXXXX`` for every non-ASCII or control character, all valid in a Cypher string), then
a fixed statement reads ``$rows``. Labels and relationship types are the ontology's local
names, checked to be plain identifiers and written between backticks.

Nodes are ``(:Entity:<Class> {key, label, label_fr, label_en, kind, ...})``, merged on
``key`` (a uniqueness constraint is created first), so running the script twice
changes nothing; relationships are merged on their ``id``.
"""

from __future__ import annotations

import json
import re
from itertools import groupby

from iadef.errors import OutputError
from iadef.network.exports.records import EDGE_FIELDS, NODE_FIELDS, EdgeRecord, NodeRecord

BATCH = 500
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
NODE_PROPERTIES = tuple(f for f in NODE_FIELDS if f not in ("id", "type"))
EDGE_PROPERTIES = tuple(f for f in EDGE_FIELDS if f not in ("source", "target", "relation"))


def name(identifier: str) -> str:
    """A label or relationship type between backticks; anything but a plain identifier is refused."""
    if not _IDENTIFIER.fullmatch(identifier):
        raise OutputError(f"cypher: {identifier!r} is not a plain identifier", hint="report this class or relation")
    return f"`{identifier}`"


def literal(value: object) -> str:
    """A Cypher literal for a string, a boolean or a map/list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{name(k)}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise OutputError(f"cypher: cannot write {type(value).__name__}")


def _batches(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


def cypher(nodes: list[NodeRecord], edges: list[EdgeRecord]) -> bytes:
    """The script loading ``nodes`` and ``edges`` into Neo4j."""
    lines = [
        "// iadef network for Neo4j 5: cypher-shell -f iadef.cypher (data only in :param, never in a statement)",
        "CREATE CONSTRAINT iadef_entity_key IF NOT EXISTS FOR (n:Entity) REQUIRE n.key IS UNIQUE;",
    ]
    for cls, group in groupby(sorted(nodes, key=lambda n: (n.type, n.id)), key=lambda n: n.type):
        rows: list[dict[str, object]] = [
            {"key": n.id, "props": {p: getattr(n, p) for p in NODE_PROPERTIES}} for n in group
        ]
        for batch in _batches(rows):
            lines.append(f":param {{rows: {literal(batch)}}}")
            lines.append(f"UNWIND $rows AS row MERGE (n:Entity {{key: row.key}}) SET n:{name(cls)} SET n += row.props;")
    for relation, edge_group in groupby(sorted(edges, key=lambda e: (e.relation, e.id)), key=lambda e: e.relation):
        rows = [
            {"source": e.source, "target": e.target, "props": {p: getattr(e, p) for p in EDGE_PROPERTIES}}
            for e in edge_group
        ]
        for batch in _batches(rows):
            lines.append(f":param {{rows: {literal(batch)}}}")
            lines.append(
                "UNWIND $rows AS row MATCH (a:Entity {key: row.source}), (b:Entity {key: row.target}) "
                f"MERGE (a)-[r:{name(relation)} {{id: row.props.id}}]->(b) SET r += row.props;"
            )
    lines.append("")
    return "\n".join(lines).encode("utf-8")
