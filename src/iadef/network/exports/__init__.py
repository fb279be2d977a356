"""Exports for the tools analysts already use: Gephi, yEd, Cytoscape, spreadsheets, Neo4j, JSON-LD.

:func:`network_files` writes the network projection (:mod:`iadef.network.projection`, the
same one the page draws) as GEXF 1.3, GraphML, CSV or Cypher; :func:`dataset_files` writes
the RDF dataset itself as JSON-LD. Each returns file name -> bytes, deterministic (sorted,
no timestamp); the caller writes them atomically (:func:`iadef.output.write_all`).
"""

from __future__ import annotations

from collections.abc import Iterable

from iadef.network.projection import Projection
from iadef.sparql.answer import Quad

NETWORK_FORMATS = ("gexf", "graphml", "csv", "cypher")
FORMATS = ("gexf", "graphml", "csv", "jsonld", "cypher")
SUFFIX = {"gexf": ".gexf", "graphml": ".graphml", "jsonld": ".jsonld", "cypher": ".cypher"}


def network_files(
    fmt: str, projection: Projection, keys: list[str], *, lang: str = "fr", bom: bool = False, description: str = ""
) -> dict[str, bytes]:
    """The files of the network restricted to the nodes ``keys``, in format ``fmt``."""
    from iadef.network.exports.records import evidence_rows, records

    nodes, edges = records(projection, keys, lang)
    if fmt == "gexf":
        from iadef.network.exports.gexf import gexf

        return {"iadef.gexf": gexf(nodes, edges, description)}
    if fmt == "graphml":
        from iadef.network.exports.graphml import graphml

        return {"iadef.graphml": graphml(nodes, edges, description)}
    if fmt == "cypher":
        from iadef.network.exports.cypher import cypher

        return {"iadef.cypher": cypher(nodes, edges)}
    if fmt == "csv":
        from iadef.network.exports.tables import edges_csv, nodes_csv

        labels = {node.id: node.label for node in nodes}
        return {
            "nodes.csv": nodes_csv(nodes, bom=bom),
            "edges.csv": edges_csv(evidence_rows(projection, edges), labels, bom=bom),
        }
    raise ValueError(f"not a network format: {fmt}")


def dataset_files(quads: Iterable[Quad]) -> dict[str, bytes]:
    """The dataset as JSON-LD (:mod:`iadef.network.exports.jsonld`)."""
    from iadef.network.exports.jsonld import jsonld

    return {"iadef.jsonld": jsonld(quads)}
