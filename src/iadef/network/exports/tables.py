"""CSV: ``nodes.csv`` (one row per node) and ``edges.csv`` (one row per edge and source, with its quote).

Spreadsheet-safe: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is prefixed with an apostrophe, so that Excel and LibreOffice show it as text
instead of running it as a formula (OWASP, "CSV injection"). Rows end with CRLF
(RFC 4180); ``bom=True`` starts each file with a UTF-8 byte order mark, which Excel needs
to read UTF-8 (LibreOffice asks, and reads either).
"""

from __future__ import annotations

import csv
import io

from iadef.network.exports.records import NODE_FIELDS, EdgeRecord, Evidence, NodeRecord

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
EDGE_COLUMNS = (
    "id",
    "source",
    "target",
    "source_label",
    "target_label",
    "relation",
    "label_fr",
    "label_en",
    "post",
    "date",
    "symmetric",
    "document",
    "document_title",
    "quote",
    "status",
)


def safe(value: object) -> str:
    """A cell a spreadsheet shows as text: a leading formula character is neutralised by an apostrophe."""
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def _csv(header: tuple[str, ...], rows: list[list[object]], bom: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe(cell) for cell in row] for row in rows)
    return ("\ufeff" if bom else "").encode("utf-8") + buffer.getvalue().encode("utf-8")


def nodes_csv(nodes: list[NodeRecord], *, bom: bool = False) -> bytes:
    return _csv(NODE_FIELDS, [[getattr(n, f) for f in NODE_FIELDS] for n in nodes], bom)


def edges_csv(rows: list[Evidence], labels: dict[str, str], *, bom: bool = False) -> bytes:
    """``labels``: node key -> its label, for the two label columns."""
    table: list[list[object]] = []
    for row in rows:
        edge: EdgeRecord = row.edge
        table.append(
            [edge.id, edge.source, edge.target, labels.get(edge.source, ""), labels.get(edge.target, ""),
             edge.relation, edge.label_fr, edge.label_en, edge.post, edge.date, edge.symmetric,
             row.source, row.title, row.quote, row.status]
        )  # fmt: skip
    return _csv(EDGE_COLUMNS, table, bom)
