"""The RDF graph seen as a network of actors and the things that link them.

``project_dataset(dataset, ontology)`` turns the built dataset (one sourced fact per named
graph) into a multigraph (:mod:`iadef.network.multigraph`, networkx's interface in plain dicts);
``project_quads(quads, ontology)`` does the same from its quads (as
:meth:`iadef.sparql.answer.Engine.quads` gives them), which a focused page reads from a store
without building an rdflib dataset. The rules, in order:

1. **Nodes.** Every curated entity whose class falls under one of :data:`KINDS`
   becomes a node: organisations (every subclass of ``iadef:Organization``), people,
   places, agreements (conventions, framework agreements, contracts, roadmaps,
   partnerships), programmes (laws, plans, strategies), budgets, facilities,
   products and events. Agreements stay nodes linked to their parties, signatories,
   beneficiaries and pilots, because an agreement has its own date, objectives and
   sources, and two actors bound by the same agreement are then two hops apart.
2. **Mandates become edges.** A mandate (``holder`` P, ``post`` X) whose post is
   ``postIn`` organisation O gives one edge P → O with relation ``iadef:holdsPost``;
   the post is kept on the edge (``post``), the mandate's ``attestedOn`` is the edge
   date and the quotes of every fact involved are the edge's evidence. Posts and
   mandates are not nodes.
3. **Topics, headcounts and posts are attributes.** A sourced triple between a node
   and an entity that is not a node (``about`` a topic, ``headcountOf`` an
   organisation, a post with no organisation) is listed in the node's ``facts``.
4. **Edges.** Every other sourced triple between two nodes is an edge subject →
   object keyed by the property's local name; the same triple stated by several
   sources is one edge with all its evidence. Symmetric properties
   (``partnerOf``, ``near``) are marked so that views can draw them without arrows.
5. **Dates.** Literal facts of nodes go to ``dates`` (properties whose value kind is
   a date) or ``facts``. An edge's date is its mandate's date, or else the date of
   the agreement, event or programme it belongs to (signature date first), at the
   most precise form a source gives.

Only asserted facts count (never inferred ones), so every edge can show its sources
and quotes. Nodes are added in key order and edges in (subject, object, relation)
order, so everything computed from the projection is deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Literal

from iadef.curation.ontology import Ontology
from iadef.namespaces import CURATION, DCTERMS, FACT, IADEF, ID, PROV, SKOS, SOURCE
from iadef.sparql.lookup import fold

if TYPE_CHECKING:
    from iadef.sparql.answer import Quad

KINDS: tuple[str, ...] = (
    "Organization",
    "Person",
    "Place",
    "Agreement",
    "Programme",
    "Budget",
    "Facility",
    "Product",
    "Event",
)
DATED_KINDS = frozenset({"Agreement", "Event", "Programme"})
EDGE_DATES: tuple[str, ...] = ("signatureDate", "date", "startDate", "adoptionDate", "foundingDate")


class Evidence(TypedDict):
    """One quote supporting a node or an edge, with its source key and status."""

    source: str
    quote: str
    status: str | None


@dataclass
class Projection:
    """The network, and what is needed to label it in French or English."""

    graph: Any  # iadef.network.multigraph.MultiDiGraph, or a networkx.MultiDiGraph (no type hints)
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # entity key -> lang -> label
    terms: dict[str, dict[str, str]] = field(default_factory=dict)  # ontology local name -> lang -> label
    sources: dict[str, str] = field(default_factory=dict)  # source key -> title
    ancestors: dict[str, list[str]] = field(default_factory=dict)  # class -> itself and its iadef superclasses
    classes: dict[str, str] = field(default_factory=dict)  # entity key (node or not) -> class
    source_dates: dict[str, str] = field(default_factory=dict)  # source key -> its date (iadef.stores.asof)

    def name(self, key: str, lang: str = "fr") -> str:
        """The label of an entity (node or not) in ``lang``, falling back to French, then the key."""
        return pick(self.names.get(key, {}), lang) or key

    def term(self, local: str, lang: str = "fr") -> str:
        """The label of an ontology class or property in ``lang``."""
        return pick(self.terms.get(local, {}), lang) or local


def relation_label(projection: Projection, edge: dict[str, Any], lang: str = "fr") -> str:
    """An edge's relation in plain words; a mandate edge names its post ("holds post: X")."""
    label = projection.term(edge["rel"], lang)
    if edge.get("post"):
        return f"{label}{' : ' if lang == 'fr' else ': '}{projection.name(edge['post'], lang)}"
    return label


def pick(labels: dict[str, str], lang: str) -> str | None:
    """``labels[lang]``, else French, else English, else any, else None."""
    for candidate in (lang, "fr", "en"):
        if labels.get(candidate):
            return labels[candidate]
    return next((labels[k] for k in sorted(labels) if labels[k]), None)


def _local(term: object, namespace: str) -> str | None:
    text = str(term)
    return text[len(namespace) :] if text.startswith(namespace) else None


@dataclass
class _Fact:
    subject: str
    prop: str
    ref: str | None  # entity key of the object, for object properties
    value: Literal | None  # the literal, for data properties
    evidence: Evidence


# What the projection reads of a fact graph's provenance (source, quote, status) and of an
# entity's curated names; iadef.network.focus fetches exactly these.
PROVENANCE_READ = (PROV.wasDerivedFrom, IADEF.quote, IADEF.status)
CURATED_NAMES = frozenset({RDFS.label, IADEF.acronym})


def _provenance(quads: Sequence[Quad]) -> dict[tuple[object, object], object]:
    """(fact graph, property) -> the first value, for the provenance the projection reads."""
    index: dict[tuple[object, object], object] = {}
    read = frozenset(PROVENANCE_READ)
    for s, p, o, g in quads:
        if g is None and p in read:
            index.setdefault((s, p), o)
    return index


def read_facts(quads: Sequence[Quad]) -> list[_Fact]:
    """Every sourced fact among ``quads`` with its evidence, sorted."""
    meta = _provenance(quads)
    facts = []
    fact_prefix, id_prefix, iadef_prefix, source_prefix = str(FACT), str(ID), str(IADEF), str(SOURCE)
    # namespace attributes are looked up once: each access builds a new URIRef
    rdf_type, alt_label, derived, has_quote, has_status = RDF.type, SKOS.altLabel, *PROVENANCE_READ
    for s, p, o, g in quads:
        if g is None or not str(g).startswith(fact_prefix):
            continue
        subject = _local(s, id_prefix)
        if subject is None:
            continue
        if p == rdf_type:
            prop = "type"
        elif p == alt_label:
            prop = "altLabel"
        else:
            prop = _local(p, iadef_prefix) or str(p)
        source = meta.get((g, derived))
        status = meta.get((g, has_status))
        evidence = Evidence(
            source=(_local(source, source_prefix) if source is not None else None) or "",
            quote=str(meta.get((g, has_quote)) or ""),
            status=_local(status, iadef_prefix) if status is not None else None,
        )
        if isinstance(o, Literal):
            facts.append(_Fact(subject, prop, None, o, evidence))
        elif prop == "type":
            facts.append(_Fact(subject, prop, _local(o, iadef_prefix), None, evidence))
        else:
            facts.append(_Fact(subject, prop, _local(o, id_prefix), None, evidence))
    facts.sort(key=lambda f: (f.subject, f.prop, f.ref or "", str(f.value), f.evidence["source"], f.evidence["quote"]))
    return facts


def _curated(quads: Sequence[Quad]) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    names: dict[str, dict[str, str]] = defaultdict(dict)
    acronyms: dict[str, list[str]] = defaultdict(list)
    curation, id_prefix, label, acronym = str(CURATION), str(ID), RDFS.label, IADEF.acronym
    for s, p, o, g in quads:
        if g is None or not isinstance(o, Literal) or not str(g).startswith(curation):
            continue
        key = _local(s, id_prefix)
        if key is None:
            continue
        if p == label and o.language:
            names[key][o.language] = str(o)
        elif p == acronym:
            acronyms[key].append(str(o))
    return dict(names), {k: sorted(v) for k, v in acronyms.items()}


def ontology_terms(ontology: Ontology) -> tuple[dict[str, dict[str, str]], set[str], set[str]]:
    """Labels of classes and properties; the symmetric properties; the date properties."""
    terms: dict[str, dict[str, str]] = defaultdict(dict)
    for s, o in ontology.graph.subject_objects(RDFS.label):
        local = _local(s, str(IADEF))
        if local is not None and isinstance(o, Literal) and o.language:
            terms[local][o.language] = str(o)
    symmetric = {_local(s, str(IADEF)) or "" for s in ontology.graph.subjects(RDF.type, OWL.SymmetricProperty)}
    dates = {name for name, prop in ontology.properties.items() if prop.value_kind == "date"}
    return dict(terms), symmetric, dates


def kind_of(ontology: Ontology, cls: str) -> str | None:
    """The kind (one of :data:`KINDS`) a class falls under, or None."""
    supers = ontology.superclasses(cls)
    return next((kind for kind in KINDS if kind in supers), None)


def most_precise(values: list[str]) -> str | None:
    """The most precise of several date forms (the longest; ties broken by value)."""
    return max(values, key=lambda v: (len(v), v)) if values else None


def format_value(value: Literal) -> str:
    """A literal as shown to a reader: whole numbers grouped by thousands, the rest as written."""
    if value.datatype in (XSD.decimal, XSD.integer):
        number = Decimal(str(value))
        if number == number.to_integral_value():
            return f"{int(number):,}".replace(",", "\u202f")
    return str(value)


def project_dataset(dataset: Dataset, ontology: Ontology, source_dates: dict[str, str] | None = None) -> Projection:
    """The network of actors and related things described in the module docstring."""
    from iadef.stores.rdflib_engine import dataset_quads

    return project_quads(list(dataset_quads(dataset)), ontology, source_dates)


def project_quads(quads: Sequence[Quad], ontology: Ontology, source_dates: dict[str, str] | None = None) -> Projection:
    """:func:`project_dataset` of ``quads`` (graph None: default graph); ``source_dates`` if only part of a store."""
    from iadef.network.multigraph import MultiDiGraph

    facts = read_facts(quads)
    names, acronyms = _curated(quads)
    terms, symmetric, date_props = ontology_terms(ontology)
    title, source_prefix = DCTERMS.title, str(SOURCE)
    sources = {
        _local(s, source_prefix) or "": str(o)
        for s, p, o, g in quads
        if g is None and p == title and str(s).startswith(source_prefix)
    }
    classes = {f.subject: f.ref for f in facts if f.prop == "type" and f.ref}
    kinds = {key: kind_of(ontology, cls) for key, cls in classes.items()}
    nodes = sorted(key for key, kind in kinds.items() if kind is not None)
    graph = MultiDiGraph()
    for key in nodes:
        graph.add_node(
            key,
            kind=kinds[key],
            cls=classes[key],
            labels=dict(sorted(names.get(key, {}).items())),
            aliases=[],
            acronyms=acronyms.get(key, []),
            dates=[],
            facts=[],
            evidence=[],
        )
    by_subject: dict[str, list[_Fact]] = defaultdict(list)
    for fact in facts:
        by_subject[fact.subject].append(fact)
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for fact in facts:
        _place(fact, graph, classes, date_props, edges)
    _mandates(by_subject, classes, graph, edges)
    for key in nodes:
        data = graph.nodes[key]
        data["aliases"] = _new_names(data["labels"].values(), acronyms.get(key, []) + sorted(data["aliases"]))
        data["dates"] = sorted(set(map(tuple, data["dates"])))
        data["evidence"] = sorted(_unique(data["evidence"]), key=lambda e: (e["source"], -len(e["quote"]), e["quote"]))
        unique = {(f["prop"], f["value"] or "", f["ref"] or "", f["inverse"]): f for f in data["facts"]}
        data["facts"] = [unique[k] for k in sorted(unique)]
    for (s, o, key), attrs in sorted(edges.items()):
        if attrs["date"] is None and attrs["rel"] != "holdsPost":
            attrs["date"] = _edge_date(graph, s, o)
        attrs["evidence"] = _unique(attrs["evidence"])
        attrs["symmetric"] = attrs["rel"] in symmetric
        graph.add_edge(s, o, key=key, **attrs)
    ancestors = {cls: sorted(ontology.superclasses(cls)) for cls in sorted(set(classes.values()))}
    from iadef.stores.asof import sources_dated

    return Projection(
        graph=graph,
        names=names,
        terms=terms,
        sources=dict(sorted(sources.items())),
        ancestors=ancestors,
        classes=dict(sorted(classes.items())),
        source_dates=dict(sorted((sources_dated(quads) if source_dates is None else source_dates).items())),
    )


def _place(
    fact: _Fact, graph: Any, classes: dict[str, str], date_props: set[str], edges: dict[tuple[str, str, str], Any]
) -> None:
    """Put one fact where rule 3, 4 or 5 of the module docstring says."""
    s_node = fact.subject in graph
    if fact.prop in ("holder", "post", "postIn") or classes.get(fact.subject) == "Mandate":
        return  # rule 2, handled by _mandates
    if fact.value is not None or fact.prop in ("type", "altLabel"):
        if not s_node:
            return
        data = graph.nodes[fact.subject]
        data["evidence"].append(fact.evidence)
        if fact.prop == "altLabel" and fact.value is not None:
            data["aliases"].append(str(fact.value))
        elif fact.prop in date_props and fact.value is not None:
            data["dates"].append((fact.prop, str(fact.value)))
        elif fact.value is not None:
            data["facts"].append({"prop": fact.prop, "value": format_value(fact.value), "ref": None, "inverse": False})
        return
    if fact.ref is None:
        return
    o_node = fact.ref in graph
    if s_node and o_node:
        edge = edges.setdefault(
            (fact.subject, fact.ref, fact.prop),
            {"relation": str(IADEF[fact.prop]), "rel": fact.prop, "post": None, "date": None, "evidence": []},
        )
        edge["evidence"].append(fact.evidence)
    elif s_node or o_node:
        node, other = (fact.subject, fact.ref) if s_node else (fact.ref, fact.subject)
        data = graph.nodes[node]
        item = {"prop": fact.prop, "value": None, "ref": other, "inverse": not s_node}
        if item not in data["facts"]:
            data["facts"].append(item)
        data["evidence"].append(fact.evidence)


def _mandates(
    by_subject: dict[str, list[_Fact]], classes: dict[str, str], graph: Any, edges: dict[tuple[str, str, str], Any]
) -> None:
    """Rule 2: each mandate whose post is in an organisation is an edge holder -> organisation."""
    for mandate in sorted(k for k, c in classes.items() if c == "Mandate"):
        facts = by_subject.get(mandate, [])
        holders = [f for f in facts if f.prop == "holder" and f.ref in graph]
        posts = [f for f in facts if f.prop == "post" and f.ref]
        dates = [str(f.value) for f in facts if f.prop == "attestedOn" and f.value is not None]
        for holder in holders:
            for post in posts:
                assert holder.ref is not None and post.ref is not None
                post_in = [f for f in by_subject.get(post.ref, []) if f.prop == "postIn" and f.ref in graph]
                evidence = [f.evidence for f in facts] + [f.evidence for f in post_in]
                if not post_in:
                    item = {"prop": "holdsPost", "value": None, "ref": post.ref, "inverse": False}
                    graph.nodes[holder.ref]["facts"].append(item)
                    graph.nodes[holder.ref]["evidence"].extend(evidence)
                for org in post_in:
                    assert org.ref is not None
                    edge = edges.setdefault(
                        (holder.ref, org.ref, f"holdsPost:{post.ref}"),
                        {
                            "relation": str(IADEF.holdsPost),
                            "rel": "holdsPost",
                            "post": post.ref,
                            "date": None,
                            "evidence": [],
                        },
                    )
                    edge["evidence"].extend(evidence)
                    edge["date"] = most_precise([d for d in [edge["date"], *dates] if d])


def _edge_date(graph: Any, subject: str, obj: str) -> str | None:
    """Rule 5: the date of the agreement, event or programme an edge belongs to."""
    for end in (subject, obj):
        data = graph.nodes[end]
        if data["kind"] not in DATED_KINDS:
            continue
        for prop in EDGE_DATES:
            found = most_precise([value for name, value in data["dates"] if name == prop])
            if found:
                return found
    return None


def _new_names(known: Iterable[str], candidates: list[str]) -> list[str]:
    """``candidates`` without those equal (folded) to a known name or an earlier candidate."""
    seen = {fold(name) for name in known}
    kept = []
    for name in candidates:
        if fold(name) not in seen:
            seen.add(fold(name))
            kept.append(name)
    return kept


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen: dict[tuple[str, str, str], Evidence] = {}
    for item in evidence:
        seen.setdefault((item["source"], item["quote"], item["status"] or ""), item)
    return [seen[k] for k in sorted(seen)]
