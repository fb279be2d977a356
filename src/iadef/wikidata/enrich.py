"""Wikidata in the graph, from the cache only: links and selected facts, with provenance.

:func:`link_quads` turns the accepted and auto decisions of ``seeds/wikidata-links.yaml``
into ``id:KEY owl:sameAs wd:Q…`` in the named graph ``graph/wikidata-links``; the
default graph describes each link as an ``rdf:Statement`` with its status, date,
evidence, seed line, who made it (the curators, or the ``iadef link`` software agent)
and, when the item is in the cache, the Wikidata revision and retrieval time.

:func:`enrich` copies the official website (P856), inception (P571), coordinates (P625)
and headquarters (P159) of each linked item from the cache into the named graph
``graph/wikidata``, written to ``graph/wikidata.trig`` with the links. Statements use
Wikidata's own IRIs (``wd:Q…``, ``wdt:P…``), so the same query works on this graph
and on the Wikidata Query Service. The graph is ``prov:wasDerivedFrom`` each entity and
each cached revision, which carries its revision id and retrieval time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef

from iadef.namespaces import CURATORS, DCTERMS, IADEF, ID, PREFIXES, PROV
from iadef.output import trig, write_atomic
from iadef.paths import Project
from iadef.wikidata import entity as wd
from iadef.wikidata.cache import Cache
from iadef.wikidata.client import WikidataClient
from iadef.wikidata.decisions import Decision, read_decisions
from iadef.wikidata.settings import (
    CACHE_DIR,
    DIRECT_BASE,
    ENRICHED_FILE,
    ENTITY_BASE,
    LINK_AGENT,
    LINK_RECORD,
    LINKS_FILE,
    LINKS_GRAPH,
    REVISION_URL,
    WIKIDATA_GRAPH,
    Settings,
)
from iadef.yamlfile import read_yaml

WD = Namespace(ENTITY_BASE)
WDT = Namespace(DIRECT_BASE)
SCHEMA = Namespace("http://schema.org/")  # as in Wikidata's own RDF (schema:version, schema:dateModified)
PAV = Namespace("http://purl.org/pav/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
EXTRA_PREFIXES = {"wd": WD, "wdt": WDT, "pav": PAV, "adms": ADMS, "geo": GEO, "owl": OWL}
COPIED = ("P856", "P571", "P625", "P159")


@dataclass
class EnrichReport:
    """What ``iadef enrich`` wrote."""

    path: Path
    entities: int = 0
    facts: int = 0
    links: int = 0
    without_data: list[str] = field(default_factory=list)
    changed: bool = False


def _dataset() -> Dataset:
    dataset = Dataset()
    for prefix, namespace in {**PREFIXES, **EXTRA_PREFIXES}.items():
        dataset.bind(prefix, namespace)
    return dataset


def _linked(project: Project) -> list[Decision]:
    entities = read_yaml(project.entities, project.relative(project.entities))
    decisions = read_decisions(project.root / LINKS_FILE, LINKS_FILE.as_posix(), set(entities))
    return [decisions[k] for k in sorted(decisions) if decisions[k].linked]


def _cached_items(project: Project, qids: list[str]) -> dict[str, wd.Json]:
    client = WikidataClient(Settings(offline=True), Cache(project.root / CACHE_DIR))
    items = client.entities(qids, partial=True)
    return {q: item for q, item in items.items() if not wd.is_missing(item)}


def _revision(meta: Graph, item: wd.Json) -> URIRef | None:
    """Describe the cached revision of ``item``; return its IRI."""
    qid, rev = wd.resolved_id(item), item.get("lastrevid")
    if not isinstance(rev, int):
        return None
    node = URIRef(REVISION_URL.format(qid=qid, rev=rev))
    meta.add((node, RDF.type, PROV.Entity))
    meta.add((node, PROV.specializationOf, WD[qid]))
    meta.add((node, SCHEMA.about, WD[qid]))
    meta.add((node, SCHEMA.version, Literal(rev)))
    if isinstance(item.get("modified"), str):
        meta.add((node, SCHEMA.dateModified, Literal(item["modified"], datatype=XSD.dateTime)))
    if isinstance(item.get("_retrieved"), str):
        meta.add((node, PAV.retrievedOn, Literal(item["_retrieved"], datatype=XSD.dateTime)))
    return node


def _add_links(dataset: Dataset, decisions: list[Decision], items: dict[str, wd.Json]) -> None:
    meta, graph = dataset.default_graph, dataset.graph(URIRef(LINKS_GRAPH))
    meta.add((URIRef(LINKS_GRAPH), RDF.type, PROV.Entity))
    meta.add((URIRef(LINKS_GRAPH), DCTERMS.source, Literal(LINKS_FILE.as_posix())))
    meta.add((URIRef(LINK_AGENT), RDF.type, PROV.SoftwareAgent))
    meta.add((URIRef(LINK_AGENT), RDFS.label, Literal("iadef link", lang="en")))
    for d in decisions:
        item = items.get(d.qid)
        qid = wd.resolved_id(item) if item else d.qid
        graph.add((ID[d.key], OWL.sameAs, WD[qid]))
        record = URIRef(LINK_RECORD + d.key)
        for p, o in (
            (RDF.type, RDF.Statement),
            (RDF.type, PROV.Entity),
            (RDF.subject, ID[d.key]),
            (RDF.predicate, OWL.sameAs),
            (RDF.object, WD[qid]),
            (DCTERMS.isPartOf, URIRef(LINKS_GRAPH)),
            (ADMS.status, Literal(d.status)),
            (DCTERMS.date, Literal(d.date, datatype=XSD.date)),
            (PROV.wasAttributedTo, CURATORS if d.human else URIRef(LINK_AGENT)),
            (PROV.wasDerivedFrom, WD[qid]),
            (IADEF.seedFile, Literal(LINKS_FILE.as_posix(), datatype=XSD.string)),
        ):
            dataset.default_graph.add((record, p, o))
        if d.line is not None:
            meta.add((record, IADEF.seedLine, Literal(d.line)))
        if d.evidence:
            meta.add((record, RDFS.comment, Literal(d.evidence, lang="en")))
        revision = _revision(meta, item) if item else None
        if revision is not None:
            meta.add((record, PROV.wasDerivedFrom, revision))


def link_quads(project: Project) -> Dataset:
    """The accepted and auto links as owl:sameAs, with their provenance (offline)."""
    decisions = _linked(project)
    dataset = _dataset()
    _add_links(dataset, decisions, _cached_items(project, [d.qid for d in decisions]))
    return dataset


def _time(value: wd.Time) -> Literal | None:
    text = value.text
    if not text.startswith("+") or len(text) < 11:
        return None
    year, month, day = text[1:5], text[6:8], text[9:11]
    if value.precision == 9 or month == "00":
        return Literal(year, datatype=XSD.gYear)
    if value.precision == 10 or day == "00":
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    if value.precision >= 11:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    return None


def _facts(graph: Graph, item: wd.Json) -> int:
    subject, added = WD[wd.resolved_id(item)], 0
    for lang in ("fr", "en"):
        for text in wd.texts(item, "labels", (lang,)):
            graph.add((subject, RDFS.label, Literal(text, lang=lang)))
    for value in wd.values(item, "P856"):
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            graph.add((subject, WDT.P856, URIRef(value)))
            added += 1
    for value in wd.values(item, "P571"):
        literal = _time(value) if isinstance(value, wd.Time) else None
        if literal is not None:
            graph.add((subject, WDT.P571, literal))
            added += 1
    for value in wd.values(item, "P625"):
        if isinstance(value, wd.Coordinates):
            point = f"Point({value.longitude:g} {value.latitude:g})"
            graph.add((subject, WDT.P625, Literal(point, datatype=GEO.wktLiteral)))
            added += 1
    for qid in wd.items(item, "P159"):
        graph.add((subject, WDT.P159, WD[qid]))
        added += 1
    return added


def enriched(project: Project) -> tuple[Dataset, EnrichReport]:
    """The enriched dataset (Wikidata facts + links) and its report; nothing written."""
    report = EnrichReport(path=project.root / ENRICHED_FILE)
    decisions = _linked(project)
    items = _cached_items(project, [d.qid for d in decisions])
    dataset = _dataset()
    _add_links(dataset, decisions, items)
    report.links = len(decisions)
    meta, graph = dataset.default_graph, dataset.graph(URIRef(WIKIDATA_GRAPH))
    name = URIRef(WIKIDATA_GRAPH)
    meta.add((name, RDF.type, PROV.Entity))
    meta.add((name, RDFS.comment, Literal("Facts copied from Wikidata (CC0) by iadef enrich.", lang="en")))
    meta.add((name, DCTERMS.source, Literal(CACHE_DIR.as_posix() + "/")))
    for d in decisions:
        item = items.get(d.qid)
        if item is None:
            report.without_data.append(d.key)
            continue
        report.entities += 1
        report.facts += _facts(graph, item)
        meta.add((name, PROV.wasDerivedFrom, WD[wd.resolved_id(item)]))
        revision = _revision(meta, item)
        if revision is not None:
            meta.add((name, PROV.wasDerivedFrom, revision))
    return dataset, report


def enrich(project: Project) -> EnrichReport:
    """Write ``graph/wikidata.trig`` (atomically; unchanged files are not rewritten)."""
    dataset, report = enriched(project)
    content = trig(dataset)
    if not (report.path.is_file() and report.path.read_bytes() == content):
        write_atomic(report.path, content)
        report.changed = True
    return report
