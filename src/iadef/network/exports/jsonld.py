"""JSON-LD 1.1 of the RDF dataset: every named graph and its provenance, with a documented ``@context``.

Each node object is one subject of the default graph (provenance, sources) with its
properties; a fact's node object also holds, under ``@graph``, the one triple of its named
graph, so a fact and who says so read together::

    {"@id": "fact:doc-001-…/7a1dd930b1b49dad",
     "@type": ["iadef:Assertion"],
     "prov:wasDerivedFrom": [{"@id": "source:doc-001-…"}],
     "iadef:quote": [{"@value": "Le 4 avril 2024, …"}],
     "@graph": [{"@id": "id:convention-armees-territoire-bretagne",
                 "iadef:signatory": [{"@id": "id:sebastien-lecornu"}]}]}

The ``@context`` (:data:`CONTEXT`) only declares prefixes, so every term expands to the
IRI the build uses and a JSON-LD processor reads back exactly the build's quads. Terms
aligned with schema.org, ORG, PROV and FOAF are declared so in the ontology
(``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` towards them, ``ontology/iadef.ttl``),
which is not part of the export: its OWL axioms use blank nodes, which cannot be written
deterministically. Literals keep their datatype or language and their lexical form as
built (rdflib's JSON-LD parser rewrites literals to its canonical form unless
``rdflib.NORMALIZE_LITERALS`` is False: a decimal ``130000000.0`` then reads as
``130000000``, the same value). Keys are sorted and subjects ordered by IRI, so the bytes
are deterministic.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import RDF, Literal, URIRef

from iadef.errors import OutputError
from iadef.namespaces import PREFIXES
from iadef.sparql.answer import Quad

CONTEXT: dict[str, str] = {
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "edtf": "http://id.loc.gov/datatypes/edtf/",
    "sh": "http://www.w3.org/ns/shacl#",
}
_BY_LENGTH = sorted(CONTEXT.items(), key=lambda item: -len(item[1]))


def compact(iri: str) -> str:
    """``prefix:local`` for an IRI under a declared prefix, else the IRI itself."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace) :].startswith("//"):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _value(term: object) -> dict[str, str]:
    if isinstance(term, Literal):
        value = {"@value": str(term)}
        if term.language:
            value["@language"] = term.language
        elif term.datatype is not None:
            value["@type"] = compact(str(term.datatype))
        return value
    if isinstance(term, URIRef):
        return {"@id": compact(str(term))}
    raise OutputError(f"jsonld: blank node {term} cannot be written deterministically")


def _nodes(triples: Iterable[tuple[object, object, object]]) -> dict[str, dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    unique: dict[str, dict[str, str]]
    values: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    types: dict[str, list[str]] = defaultdict(list)
    for s, p, o in triples:
        if not isinstance(s, URIRef):
            raise OutputError(f"jsonld: blank node {s} cannot be written deterministically")
        subject = compact(str(s))
        nodes.setdefault(subject, {"@id": subject})
        if p == RDF.type and isinstance(o, URIRef):
            types[subject].append(compact(str(o)))
        else:
            values[(subject, compact(str(p)))].append(_value(o))
    for subject, classes in types.items():
        nodes[subject]["@type"] = sorted(set(classes))
    for (subject, prop), found in values.items():
        unique = {json.dumps(v, sort_keys=True): v for v in found}
        nodes[subject][prop] = [unique[k] for k in sorted(unique)]
    return nodes


def jsonld(quads: Iterable[Quad]) -> bytes:
    """The JSON-LD document of ``quads`` (graph None: the default graph)."""
    by_graph: dict[str | None, list[tuple[object, object, object]]] = defaultdict(list)
    for s, p, o, g in quads:
        if g is not None and not isinstance(g, URIRef):
            raise OutputError(f"jsonld: blank graph name {g} cannot be written deterministically")
        by_graph[None if g is None else compact(str(g))].append((s, p, o))
    top = _nodes(by_graph.pop(None, []))
    for name, triples in by_graph.items():
        assert name is not None
        nested = _nodes(triples)
        top.setdefault(name, {"@id": name})["@graph"] = [nested[k] for k in sorted(nested)]
    document = {"@context": CONTEXT, "@graph": [top[k] for k in sorted(top)]}
    return (json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
