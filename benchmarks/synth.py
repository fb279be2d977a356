"""Synthetic iadef graphs with the shape of the real build, at a chosen number of triples.

Usage: ``python benchmarks/synth.py --triples 100000 --out DIR [--seed 1] [--documents] [--profile]``

Writes ``DIR/graph/iadef.nq`` (one quad per line, as ``iadef build`` writes it), copies
``ontology/`` and ``queries/`` so that ``iadef --root DIR query …`` works on it, and writes
``DIR/synth.json`` (counts, and the actors and places the benchmarks bind parameters to).
``--documents`` also writes each synthetic source text to ``DIR/seeds/documents/``;
``--profile`` prints per-class and per-property shares next to those of ``graph/iadef.nq``.

The shape is the build's (:mod:`iadef.curation.dataset`): each sourced fact is the only triple of
its named graph ``fact:<source>/<hash>``, minted by :func:`iadef.curation.dataset.fact_graph_iri`;
the default graph describes it (PROV-O source, curators, verbatim quote and its offsets,
seed file and line, sometimes a status and a curator note) and describes every source
document; curated labels are in ``curation:<key>`` graphs; a few accepted Wikidata links
sit in their own graph. As in the seeds, a document declares every entity it uses (a
type fact and the names it gives), so "according to the same source" joins work.

Documents are made of stories (an organisation, an agreement, a mandate, a programme and
its budget, an event, a facility); a story creates its main entity and links it to
existing ones chosen by preferential attachment, so a few hubs (the first ministry, the
armed forces) gather most links and most actors have one or two. Places form a hierarchy
site → city → territory → country. Dates have a day, month, year, day-without-year or
season precision. Every name and text is plainly synthetic ("Entreprise synthétique
000042"); each quote is a sentence of its (generated) document, at the offsets given, and
the document's SHA-256 is that of its text. Generation stops after the story that
reaches the requested number of quads, so sizes land within about 1 % of the request.

Deterministic: one seeded ``random.Random``, no set or hash ordering; the same arguments
give byte-identical files whatever PYTHONHASHSEED. Streaming: lines are written as each
document is finished; no rdflib graph is built.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from rdflib import RDF, RDFS, XSD, Literal, URIRef  # noqa: E402

from iadef.curation.dataset import fact_graph_iri  # noqa: E402
from iadef.curation.values import parse_value  # noqa: E402
from iadef.namespaces import CURATION, CURATORS, DCTERMS, FACT, IADEF, ID, ONTOLOGY_GRAPH, PROV, SKOS, SOURCE  # noqa: E402
from iadef.wikidata.settings import LINK_AGENT, LINK_RECORD, LINKS_FILE, LINKS_GRAPH  # noqa: E402

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
ADMS_STATUS = "http://www.w3.org/ns/adms#status"
SYNTHETIC_ITEMS = "https://example.org/iadef-synthetic/item/"  # RFC 2606 domain: plainly not Wikidata

# class -> (French noun, English noun, acronym code or "", share of entities with an acronym)
CLASSES: dict[str, tuple[str, str, str, float]] = {
    "State": ("État synthétique", "Synthetic State", "ETA", 0.0),
    "Ministry": ("Ministère synthétique", "Synthetic ministry", "MIN", 0.5),
    "Region": ("Région synthétique", "Synthetic region", "REG", 0.0),
    "Agency": ("Agence synthétique", "Synthetic agency", "AGE", 0.7),
    "PublicEstablishment": ("Établissement public synthétique", "Synthetic public establishment", "EPS", 0.7),
    "EducationalInstitution": ("École synthétique", "Synthetic school", "ECO", 0.3),
    "Directorate": ("Direction synthétique", "Synthetic directorate", "DIR", 0.7),
    "MilitaryCommand": ("Commandement synthétique", "Synthetic command", "COM", 0.7),
    "StateService": ("Service de l'État synthétique", "Synthetic State service", "SER", 0.5),
    "OrganizationalUnit": ("Unité synthétique", "Synthetic unit", "UNI", 0.2),
    "ArmedForces": ("Forces armées synthétiques", "Synthetic armed forces", "", 0.0),
    "Company": ("Entreprise synthétique", "Synthetic company", "ENT", 0.1),
    "Consortium": ("Groupement synthétique", "Synthetic consortium", "GRP", 0.0),
    "Cluster": ("Pôle synthétique", "Synthetic cluster", "POL", 0.5),
    "IndustrialBase": ("Base industrielle synthétique", "Synthetic industrial base", "BIS", 1.0),
    "SupranationalUnion": ("Union synthétique", "Synthetic union", "UNS", 0.0),
    "Person": ("Personne synthétique", "Synthetic person", "", 0.0),
    "Post": ("Poste synthétique", "Synthetic post", "", 0.0),
    "Mandate": ("Mandat synthétique", "Synthetic mandate", "", 0.0),
    "Country": ("Pays synthétique", "Synthetic country", "", 0.0),
    "Territory": ("Territoire synthétique", "Synthetic territory", "", 0.0),
    "City": ("Ville synthétique", "Synthetic city", "", 0.0),
    "Site": ("Site synthétique", "Synthetic site", "", 0.0),
    "Convention": ("Convention synthétique", "Synthetic convention", "", 0.0),
    "FrameworkAgreement": ("Accord-cadre synthétique", "Synthetic framework agreement", "", 0.0),
    "Contract": ("Contrat synthétique", "Synthetic contract", "", 0.0),
    "Roadmap": ("Feuille de route synthétique", "Synthetic roadmap", "", 0.0),
    "Partnership": ("Partenariat synthétique", "Synthetic partnership", "", 0.0),
    "Law": ("Loi synthétique", "Synthetic law", "LOI", 0.3),
    "Plan": ("Plan synthétique", "Synthetic plan", "PLA", 0.2),
    "Strategy": ("Stratégie synthétique", "Synthetic strategy", "STR", 0.2),
    "Budget": ("Budget synthétique", "Synthetic budget", "", 0.0),
    "Headcount": ("Effectif synthétique", "Synthetic headcount", "", 0.0),
    "Facility": ("Équipement synthétique", "Synthetic facility", "EQU", 0.3),
    "Product": ("Produit synthétique", "Synthetic product", "PRO", 0.3),
    "Conference": ("Conférence synthétique", "Synthetic conference", "CON", 0.3),
    "Launch": ("Lancement synthétique", "Synthetic launch", "", 0.0),
    "Signing": ("Signature synthétique", "Synthetic signing", "", 0.0),
    "Announcement": ("Annonce synthétique", "Synthetic announcement", "", 0.0),
    "Topic": ("Thème synthétique", "Synthetic topic", "", 0.0),
}
PUBLIC = (
    "Ministry",
    "Agency",
    "PublicEstablishment",
    "Directorate",
    "Region",
    "State",
    "ArmedForces",
    "MilitaryCommand",
)
PARENTS = ("Ministry", "Agency", "PublicEstablishment", "ArmedForces", "Directorate")
ORGS = (
    *PUBLIC,
    "EducationalInstitution",
    "StateService",
    "OrganizationalUnit",
    "Company",
    "Consortium",
    "Cluster",
    "IndustrialBase",
    "SupranationalUnion",
)
POOLS: dict[str, tuple[str, ...]] = {
    "public": PUBLIC,
    "parent": PARENTS,
    "company": ("Company", "Consortium"),
    "group": ("Cluster", "Consortium", "IndustrialBase", "SupranationalUnion"),
    "org": ORGS,
    "actor": (*ORGS, "Person"),
    "person": ("Person",),
    "programme": ("Law", "Plan", "Strategy"),
    "topic": ("Topic",),
    "country": ("Country",),
    "territory": ("Territory",),
    "city": ("City",),
    "site": ("Site",),
    "place": ("City", "Site", "Territory"),
    "post": ("Post",),
    "budget": ("Budget",),
    "agreement": ("Convention", "FrameworkAgreement", "Contract", "Roadmap", "Partnership"),
    "deliverable": ("Facility", "Product"),
}
NEW_ORG = {
    "Company": 4,
    "Directorate": 7,
    "OrganizationalUnit": 5,
    "Agency": 3,
    "PublicEstablishment": 3,
    "Cluster": 2,
    "Consortium": 1,
    "EducationalInstitution": 1,
    "MilitaryCommand": 1,
    "StateService": 1,
}
PHRASES = {
    "party": "a pour partie",
    "contractor": "a pour titulaire",
    "contractingAuthority": "a pour pouvoir adjudicateur",
    "signatory": "est signé par",
    "beneficiary": "bénéficie à",
    "deliverable": "porte sur la livraison de",
    "pilotedBy": "est piloté par",
    "alignedWith": "s'inscrit dans",
    "signedAt": "est signé à",
    "agreementOf": "est la signature de",
    "partnerOf": "est partenaire de",
    "providedForBy": "est prévu par",
    "subOrganizationOf": "relève de",
    "underSupervisionOf": "est placé sous la tutelle de",
    "memberOf": "est membre de",
    "participatesIn": "participe à",
    "launchedBy": "est lancé par",
    "developedBy": "est développé par",
    "owner": "est détenu par",
    "operatedBy": "est exploité par",
    "nationality": "a pour nationalité",
    "governs": "administre",
    "announcedBy": "est faite par",
    "attendee": "se tient en présence de",
    "about": "porte sur",
    "partOf": "fait partie de",
    "location": "est situé à",
    "hasSite": "dispose d'un site à",
    "containedInPlace": "se trouve dans",
    "near": "est proche de",
    "foundingLocation": "a été créé à",
    "holder": "est exercé par",
    "post": "correspond au poste",
    "postIn": "est un poste au sein de",
    "allocatedBy": "est alloué par",
    "budgetFor": "est consacré à",
    "headcountOf": "compte les effectifs de",
    "signatureDate": "est signé",
    "date": "a lieu",
    "startDate": "commence",
    "endDate": "se termine",
    "foundingDate": "est créé",
    "deliveryDate": "doit être livré",
    "operationalDate": "doit être opérationnel",
    "adoptionDate": "est adopté",
    "attestedOn": "est attesté",
    "periodStart": "couvre la période débutant",
    "periodEnd": "couvre la période s'achevant",
}
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SEASONS = {"21": "au printemps", "22": "à l'été", "23": "à l'automne", "24": "à l'hiver"}
STATUSES = ("Announced", "Planned", "Signed", "InProgress", "Delivered")
HUB_SHARES = (0.08, 0.03)  # the first ministry and the armed forces: picked this often where they fit
LOCALITY = 0.55  # share of picks among the entities the document already declared
KINDS = ("communiqué de presse", "article de presse", "article institutionnel", "article de magazine régional")


def nq_term(term: URIRef | Literal) -> str:
    """A term as rdflib's N-Quads serialiser writes it (``rdflib.plugins.serializers.nt``)."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    escaped = str(term).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    text = f'"{escaped}"'
    if term.language:
        return f"{text}@{term.language}"
    return f"{text}^^<{term.datatype}>" if term.datatype else text


def quad(s: str, p: str, o: str, g: str | None = None) -> str:
    """One N-Quads line from N-Quads terms; the default graph leaves the fourth term empty, as rdflib does."""
    return f"{s} {p} {o} {g or ''} .\n"


def iri(text: str) -> str:
    return f"<{text}>"


def integer(value: int) -> str:
    return f'"{value}"^^<{XSD.integer}>'


def string(value: str) -> str:
    return nq_term(Literal(value, datatype=XSD.string))


@dataclass(eq=False)
class Entity:
    """One synthetic real-world thing; written (curation graph) when a document first mentions it."""

    key: str
    cls: str
    fr: str
    en: str
    acronym: str | None
    pools: tuple[str, ...]
    iri: str = ""
    term: URIRef = field(default_factory=lambda: URIRef(""))
    line: int = 0  # its line in the synthetic seeds/entities.yaml, once written
    degree: int = 0  # relation facts it takes part in
    parties: int = 0  # agreements it is a party to
    parent: Entity | None = None  # the place it is contained in, the organisation a post is in
    placed: bool = False  # its containment (or the territory it governs) was stated once


@dataclass
class _Mint:
    """What :func:`iadef.curation.dataset.fact_graph_iri` reads from a fact."""

    source: Any
    subject: str
    predicate: URIRef
    target: URIRef | Literal
    quote: str


@dataclass
class Document:
    """One synthetic source document being written: its sentences and the facts it states."""

    number: int
    key: str
    sentences: list[str] = field(default_factory=list)
    mentioned: dict[str, Entity] = field(default_factory=dict)
    local: dict[str, list[Entity]] = field(default_factory=dict)  # pool -> entities this document declared
    facts: list[tuple[Entity, URIRef, URIRef | Literal, str, str | None, str | None, int]] = field(default_factory=list)
    seen: set[tuple[str, str, str]] = field(default_factory=set)
    line: int = 4
    lines: int = 0  # quads this document will write

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence


class Generator:
    """Writes a synthetic graph to ``sink`` until it holds about ``target`` quads."""

    def __init__(self, target: int, seed: int, sink: IO[str] | None, documents: Path | None = None) -> None:
        self.target, self.rng, self.sink, self.documents = target, Random(seed), sink, documents
        self.quads = 0
        self.counters: dict[str, Counter[str]] = {k: Counter() for k in ("graphs", "classes", "facts", "entities")}
        self.entities: list[Entity] = []
        self.numbers: Counter[str] = Counter()
        self.items: dict[str, list[Entity]] = {name: [] for name in POOLS}
        self.bag: dict[str, list[Entity]] = {name: [] for name in POOLS}
        self.written = 0
        self.serial = 0
        self.doc: Document = Document(0, "")
        self.covered: set[object] = set()
        self._write_agents()
        scale = max(target, 10_000)
        self.territories = [self.new("Territory", weight=3) for _ in range(min(18, max(3, round(scale**0.5 / 50))))]
        self.countries = [self.new("Country", weight=40)] + [
            self.new("Country") for _ in range(2 if scale >= 10**5 else 0)
        ]
        for territory in self.territories:
            territory.parent = self.countries[0]
            self.new("Region", weight=3).parent = territory
        for cls, weights in (
            ("Ministry", (60, 15, 8)),
            ("State", (8,)),
            ("ArmedForces", (20,)),
            ("IndustrialBase", (3,)),
            ("SupranationalUnion", (3,)),
            ("Topic", (20, 10, 5)),
        ):
            for weight in weights:
                self.new(cls, weight=weight)
        # picked directly with these odds wherever they fit, whatever their degree
        self.hubs = [(self._first("Ministry"), HUB_SHARES[0]), (self._first("ArmedForces"), HUB_SHARES[1])]

    def _first(self, cls: str) -> Entity:
        return next(e for e in self.entities if e.cls == cls)

    # ------------------------------------------------------------------ entities

    def new(self, cls: str, weight: int = 1) -> Entity:
        self.numbers[cls] += 1
        n = self.numbers[cls]
        fr, en, code, share = CLASSES[cls]
        acronym = f"SYN{code}{n:06d}" if code and self.rng.random() < share else None
        kebab = "".join(f"-{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(cls))
        key = f"synth-{kebab}-{n:06d}"
        pools = tuple(name for name, classes in POOLS.items() if cls in classes)
        entity = Entity(key, cls, f"{fr} {n:06d}", f"{en} {n:06d}", acronym, pools, f"<{ID}{key}>", ID[key])
        for name in pools:
            self.items[name].append(entity)
            self.bag[name].extend([entity] * weight)
        self.entities.append(entity)
        return entity

    def pick(self, pool: str, make: str | None = None, fresh: float = 0.0) -> Entity:
        """An existing entity of ``pool`` (degree-biased), or a new ``make`` with probability ``fresh``."""
        items = self.items[pool]
        if make is not None and (not items or self.rng.random() < fresh):
            return self.new(make)
        roll = self.rng.random()
        for hub, share in self.hubs:
            if roll < share and pool in hub.pools:
                return hub
            roll -= share
        local = self.doc.local.get(pool)
        if local and self.rng.random() < LOCALITY:
            return self.rng.choice(local)
        if self.rng.random() < 0.6:
            return self.rng.choice(self.bag[pool])
        return self.rng.choice(items)

    def other(self, pool: str, than: Entity, make: str | None = None, fresh: float = 0.0) -> Entity | None:
        """Like :meth:`pick`, but never ``than`` (no self-links; older targets only, so no cycles)."""
        for _ in range(4):
            entity = self.pick(pool, make, fresh)
            if entity is not than:
                return entity
        return None

    def link(self, subject: Entity, prop: str, pool: str, make: str | None = None, fresh: float = 0.0) -> None:
        """``subject prop X`` for some other X of ``pool``."""
        obj = self.other(pool, subject, make, fresh)
        if obj is not None:
            self.relate(subject, prop, obj)

    def pick_class(self, weights: Mapping[str, float]) -> str:
        """A class drawn by ``weights``; a class never made yet comes first."""
        drawn = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        return next((cls for cls in weights if not self.numbers[cls]), str(drawn))

    # ------------------------------------------------------------------ output

    def emit(self, line: str, kind: str) -> None:
        self.quads += 1
        self.counters["graphs"][kind] += 1
        if self.sink is not None:
            self.sink.write(line)

    def _write_agents(self) -> None:
        curators = iri(CURATORS)
        self.emit(quad(curators, iri(RDF.type), iri(PROV.Agent)), "default")
        self.emit(quad(curators, iri(RDFS.label), nq_term(Literal("iadef curators", lang="en"))), "default")
        agent, graph = iri(LINK_AGENT), iri(LINKS_GRAPH)
        self.emit(quad(agent, iri(RDF.type), iri(PROV.SoftwareAgent)), "default")
        self.emit(quad(agent, iri(RDFS.label), nq_term(Literal("iadef link", lang="en"))), "default")
        self.emit(quad(graph, iri(RDF.type), iri(PROV.Entity)), "default")
        self.emit(quad(graph, iri(DCTERMS.source), nq_term(Literal(LINKS_FILE.as_posix()))), "default")

    def _write_entity(self, entity: Entity) -> None:
        """The curated labels of an entity (its curation graph) and, for a few, a Wikidata link."""
        self.written += 1
        entity.line = 2 + 5 * self.written
        self.counters["entities"][entity.cls] += 1
        graph = iri(CURATION[entity.key])
        for prop in (RDFS.label, SKOS.prefLabel):
            for text, lang in ((entity.en, "en"), (entity.fr, "fr")):
                self.emit(quad(entity.iri, iri(prop), nq_term(Literal(text, lang=lang)), graph), "curation")
        if entity.acronym:
            self.emit(quad(entity.iri, iri(IADEF.acronym), nq_term(Literal(entity.acronym)), graph), "curation")
        self.emit(quad(graph, iri(RDF.type), iri(PROV.Entity)), "default")
        self.emit(quad(graph, iri(PROV.wasAttributedTo), iri(CURATORS)), "default")
        self.emit(quad(graph, iri(IADEF.seedFile), string("seeds/entities.yaml")), "default")
        self.emit(quad(graph, iri(IADEF.seedLine), integer(entity.line)), "default")
        if entity.cls not in ("Post", "Mandate", "Budget", "Headcount") and self.rng.random() < 0.06:
            self._write_link(entity)

    def _write_link(self, entity: Entity) -> None:
        # Not in Wikidata's namespace: nothing synthetic may pass for a Wikidata identifier.
        item = iri(f"{SYNTHETIC_ITEMS}Q{self.written}")
        record = iri(LINK_RECORD + entity.key)
        self.emit(quad(entity.iri, iri(OWL_SAME_AS), item, iri(LINKS_GRAPH)), "links")
        for p, o in (
            (iri(RDF.type), iri(RDF.Statement)),
            (iri(RDF.type), iri(PROV.Entity)),
            (iri(RDF.subject), entity.iri),
            (iri(RDF.predicate), iri(OWL_SAME_AS)),
            (iri(RDF.object), item),
            (iri(DCTERMS.isPartOf), iri(LINKS_GRAPH)),
            (iri(ADMS_STATUS), nq_term(Literal("auto"))),
            (iri(DCTERMS.date), nq_term(Literal("2025-01-01", datatype=XSD.date))),
            (iri(PROV.wasAttributedTo), iri(LINK_AGENT)),
            (iri(PROV.wasDerivedFrom), item),
            (iri(IADEF.seedFile), string(LINKS_FILE.as_posix())),
            (iri(IADEF.seedLine), integer(entity.line)),
            (
                iri(RDFS.comment),
                nq_term(Literal("Synthetic link for benchmarks; not a Wikidata item.", lang="en")),
            ),
        ):
            self.emit(quad(record, p, o), "default")

    # ------------------------------------------------------------------ facts

    def mention(self, entity: Entity) -> Entity:
        """Declare ``entity`` in the current document: a type fact and the names it gives."""
        doc = self.doc
        if entity.key in doc.mentioned:
            return entity
        doc.mentioned[entity.key] = entity
        for pool in entity.pools:
            doc.local.setdefault(pool, []).append(entity)
        if not entity.line:
            self._write_entity(entity)
        name = f"{entity.fr} ({entity.acronym})" if entity.acronym else entity.fr
        sentence = doc.say(f"{name} est cité dans ce document ({doc.number}.{len(doc.sentences)}).")
        self.fact(entity, RDF.type, IADEF[entity.cls], sentence)
        self.counters["classes"][entity.cls] += 1
        if self.rng.random() < 0.85:
            self.fact(entity, SKOS.altLabel, Literal(entity.fr, lang="fr"), entity.fr)
        if entity.acronym and self.rng.random() < 0.7:
            self.fact(entity, SKOS.altLabel, Literal(entity.acronym, lang="fr"), entity.acronym)
        parent = entity.parent
        if parent is not None and entity.cls in ("Territory", "City", "Site") and self._first_or(0.3, entity):
            self.relate(entity, "containedInPlace", parent)
        elif parent is not None and entity.cls == "Region" and self._first_or(0.3, entity):
            self.relate(entity, "governs", parent)
        return entity

    def _first_or(self, share: float, entity: Entity) -> bool:
        first = not entity.placed
        entity.placed = True
        return first or self.rng.random() < share

    def fact(
        self, subject: Entity, predicate: URIRef, target: URIRef | Literal, quote: str, status: str | None = None
    ) -> None:
        doc = self.doc
        signature = (subject.key, str(predicate), str(target))
        if signature in doc.seen:
            return
        doc.seen.add(signature)
        if status is None and self.rng.random() < 0.08:
            status = self.rng.choice(STATUSES)
        note = f"Synthetic curator note {self.serial}." if self.rng.random() < 0.14 else None
        self.serial += 1
        doc.facts.append((subject, predicate, target, quote, status, note, doc.line))
        doc.line += 3 + self.rng.randrange(4)
        doc.lines += 9 + (status is not None) + (note is not None)
        local = str(predicate).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        self.counters["facts"][local] += 1

    def relate(
        self, subject: Entity, prop: str, obj: Entity, quote: str | None = None, status: str | None = None
    ) -> None:
        self.mention(subject)
        self.mention(obj)
        if (subject.key, str(IADEF[prop]), str(obj.term)) in self.doc.seen:
            return
        for entity in (subject, obj):
            entity.degree += 1
            for name in entity.pools:
                self.bag[name].append(entity)
        if prop in ("party", "contractor", "contractingAuthority"):
            obj.parties += 1
        sentence = quote or self.doc.say(f"Selon ce document, {subject.fr} {PHRASES[prop]} {obj.fr}.")
        self.fact(subject, IADEF[prop], obj.term, sentence, status)

    def state(
        self, subject: Entity, prop: str, kind: str, value: str, shown: str | None = None, quote: str | None = None
    ) -> None:
        """A literal fact; ``shown`` is how the sentence gives the value (default: the value)."""
        self.mention(subject)
        sentence = quote or self.doc.say(f"{subject.fr} {PHRASES.get(prop, ':')} {shown or value}.")
        self.fact(subject, IADEF[prop], parse_value(kind, value), sentence)

    def text(self, subject: Entity, prop: str, words: str) -> None:
        self.serial += 1
        value = f"{words} {self.serial:07d}"
        self.mention(subject)
        sentence = self.doc.say(f"{subject.fr} : {value}.")
        self.fact(subject, IADEF[prop], Literal(value, lang="fr"), sentence)

    def date(self) -> tuple[str, str]:
        """A date at a random precision, and how a French text gives it."""
        year, month, day = self.rng.randint(2015, 2030), self.rng.randint(1, 12), self.rng.randint(1, 28)
        roll = self.rng.random()
        if roll < 0.45:
            return f"{year}", f"en {year}"
        if roll < 0.65:
            return f"{year}-{month:02d}-{day:02d}", f"le {day} {MONTHS[month - 1]} {year}"
        if roll < 0.85:
            return f"{year}-{month:02d}", f"en {MONTHS[month - 1]} {year}"
        if roll < 0.95:
            return f"--{month:02d}-{day:02d}", f"le {day} {MONTHS[month - 1]}"
        season = self.rng.choice(list(SEASONS))
        return f"{year}-{season}", f"{SEASONS[season]} {year}"

    def dated(self, subject: Entity, prop: str) -> None:
        value, shown = self.date()
        self.state(subject, prop, "date", value, shown)

    def chance(self, share: float, site: object) -> bool:
        """True with probability ``share``, and always the first time for ``site`` (so that small
        graphs still use the whole vocabulary)."""
        roll = self.rng.random() < share
        if site not in self.covered:
            self.covered.add(site)
            return True
        return roll

    def maybe(self, share: float, action: Callable[[], object]) -> None:
        if self.chance(share, action.__code__.co_firstlineno):  # one site per line of this file
            action()

    # ------------------------------------------------------------------ stories

    def organisation(self) -> None:
        org = self.mention(self.new(self.pick_class(NEW_ORG)))
        if org.cls in ("Directorate", "OrganizationalUnit", "MilitaryCommand", "StateService"):
            self.link(org, "subOrganizationOf", "parent")
        elif org.cls in ("PublicEstablishment", "Agency", "EducationalInstitution"):
            self.relate(org, "underSupervisionOf", self.pick("public"))
        self.maybe(0.5, lambda: self.relate(org, "location", self.city()))
        self.maybe(0.15, lambda: self.relate(org, "hasSite", self.site(org)))
        self.maybe(0.2, lambda: self.link(org, "memberOf", "group", "Cluster", 0.2))
        self.maybe(0.35, lambda: self.link(org, "partnerOf", "actor"))
        self.maybe(0.3, lambda: self.relate(org, "participatesIn", self.pick("programme", "Plan", 0.1)))
        self.maybe(0.4, lambda: self.text(org, "description", "Description synthétique"))
        self.maybe(0.2, lambda: self.text(org, "characteristic", "Caractéristique synthétique"))
        self.maybe(0.3, lambda: self.relate(org, "about", self.pick("topic", "Topic", 0.05)))
        self.maybe(0.08, lambda: self.dated(org, "foundingDate"))
        self.maybe(0.04, lambda: self.relate(org, "foundingLocation", self.city()))
        self.maybe(0.04, lambda: self.relate(org, "nationality", self.pick("country")))

    def agreement(self) -> None:
        cls = self.pick_class(
            {"Convention": 1, "FrameworkAgreement": 1, "Contract": 1.5, "Roadmap": 0.7, "Partnership": 1}
        )
        deal = self.mention(self.new(cls))
        if cls in ("Contract", "FrameworkAgreement"):
            roles = [
                ("contractingAuthority", self.pick("public")),
                ("contractor", self.pick("company", "Company", 0.3)),
            ]
        else:
            # the State is a party of the first such agreement, so that even a small graph types it
            first = self.chance(0.0, "state-party")
            roles = [("party", self._first("State") if first else self.pick("public"))]
            roles += [("party", self.pick("actor", "Company", 0.2)) for _ in range(1 + (self.rng.random() < 0.3))]
        signers = [self.pick("person", "Person", 0.3) for _ in range(self.rng.choice((0, 0, 1, 2)))]
        value, shown = self.date()
        for entity in [e for _, e in roles] + signers:
            self.mention(entity)
        parties = ", ".join(e.fr for _, e in roles)
        people = " et ".join(e.fr for e in signers) or "les parties"
        verb = "signe" if len(signers) == 1 else "signent"
        quote = self.doc.say(f"{shown.capitalize()}, {people} {verb} {deal.fr} entre {parties}.")
        status = "Signed" if self.rng.random() < 0.3 else None
        for role, entity in roles:
            self.relate(deal, role, entity, quote, status)
        for person in signers:
            self.relate(deal, "signatory", person, quote, status)
        if signers or self.rng.random() < 0.3:
            self.state(deal, "signatureDate", "date", value, quote=quote)
        for _ in range(self.rng.choice((1, 2, 2, 3, 4))):
            self.text(deal, "objective", "Objectif synthétique")
        self.maybe(0.8, lambda: self.relate(deal, "beneficiary", self.pick("actor")))
        if cls == "Contract":
            self.maybe(0.4, lambda: self.relate(deal, "deliverable", self.pick("deliverable", "Product", 0.5)))
        self.maybe(0.15, lambda: self.relate(deal, "pilotedBy", self.pick("actor")))
        self.maybe(0.3, lambda: self.relate(deal, "alignedWith", self.pick("programme", "Strategy", 0.1)))
        self.maybe(0.4, lambda: self.relate(deal, "about", self.pick("topic", "Topic", 0.05)))
        self.maybe(0.05, lambda: self.relate(deal, "signedAt", self.city()))
        self.maybe(0.15, lambda: self.text(deal, "description", "Description synthétique"))
        if self.chance(0.12, "signing"):
            signing = self.new("Signing")
            self.relate(signing, "agreementOf", deal)
            self.state(signing, "date", "date", value, shown)
            for entity in signers or [roles[0][1]]:
                self.relate(signing, "attendee", entity)
        if self.chance(0.04, "provided"):  # a partnership the agreement provides for, its parties unnamed
            provided = self.mention(self.new("Partnership"))
            self.relate(provided, "providedForBy", deal)

    def mandate(self) -> None:
        posts = self.items["post"]
        if posts and self.rng.random() < 0.3:
            post = self.pick("post")
        else:
            post = self.new("Post")
            post.parent = self.pick("org")
        person = self.pick("person", "Person", 0.7)
        mandate = self.new("Mandate")
        self.relate(mandate, "holder", person)
        self.relate(mandate, "post", post)
        assert post.parent is not None
        self.relate(post, "postIn", post.parent)
        self.maybe(0.6, lambda: self.dated(mandate, "attestedOn"))

    def programme(self) -> None:
        programme = self.mention(self.new(self.pick_class({"Law": 1, "Plan": 1.2, "Strategy": 0.8})))
        self.maybe(0.5, lambda: self.relate(programme, "launchedBy", self.pick("public")))
        self.maybe(0.3, lambda: self.dated(programme, "adoptionDate"))
        self.maybe(0.3, lambda: self.relate(programme, "pilotedBy", self.pick("actor")))
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            self.text(programme, "objective", "Objectif synthétique")
        self.maybe(0.2, lambda: self.link(programme, "partOf", "programme"))
        self.maybe(0.4, lambda: self.relate(programme, "about", self.pick("topic", "Topic", 0.05)))
        self.maybe(0.3, lambda: self.relate(self.pick("actor"), "participatesIn", programme))
        if self.chance(0.6, "budget"):
            budget = self.new("Budget")
            amount = self.rng.randrange(10, 50_000) * 100_000
            start = self.rng.randint(2015, 2028)
            quote = self.doc.say(f"{budget.fr} s'élève à {amount} euros pour {programme.fr} à partir de {start}.")
            self.state(budget, "amount", "decimal", str(amount), quote=quote)
            self.state(budget, "currency", "currency", "EUR", quote=quote)
            self.relate(budget, "allocatedBy", programme, quote)
            self.maybe(0.7, lambda: self.state(budget, "periodStart", "date", str(start), quote=quote))
            self.maybe(0.6, lambda: self.dated(budget, "periodEnd"))
            self.maybe(0.7, lambda: self.relate(budget, "budgetFor", self.pick(self.rng.choice(("topic", "org")))))
            self.maybe(0.15, lambda: self.link(budget, "partOf", "budget"))
        if self.chance(0.35, "headcount"):
            headcount = self.new("Headcount")
            people = self.rng.randrange(5, 2_000)
            quote = self.doc.say(f"{headcount.fr} : près de {people} personnes travaillent sur le sujet.")
            self.state(headcount, "count", "integer", str(people), quote=quote)
            self.relate(headcount, "headcountOf", self.pick("org"), quote)
            self.maybe(0.3, lambda: self.state(headcount, "approximate", "boolean", "true", quote=quote))

    def event(self) -> None:
        event = self.mention(self.new(self.pick_class({"Conference": 1, "Launch": 1, "Announcement": 1})))
        if event.cls == "Conference" and self.chance(0.5, "period"):
            self.dated(event, "startDate")
            self.dated(event, "endDate")
        else:
            self.dated(event, "date")
        self.maybe(0.5, lambda: self.relate(event, "location", self.city()))
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            self.relate(event, "attendee", self.pick("actor"))
        if event.cls == "Announcement":
            self.relate(event, "announcedBy", self.pick("public"))
        self.maybe(0.6, lambda: self.relate(event, "about", self.pick("topic", "Topic", 0.05)))

    def facility(self) -> None:
        thing = self.mention(self.new(self.pick_class({"Facility": 1, "Product": 1})))
        self.relate(thing, "developedBy", self.pick("company", "Company", 0.3))
        self.maybe(0.4, lambda: self.relate(thing, "owner", self.pick("public")))
        self.maybe(0.4, lambda: self.dated(thing, "deliveryDate"))
        self.maybe(0.3, lambda: self.dated(thing, "operationalDate"))
        self.maybe(0.5, lambda: self.relate(thing, "beneficiary", self.pick("actor")))
        self.maybe(0.6, lambda: self.text(thing, "characteristic", "Caractéristique synthétique"))
        self.maybe(0.3, lambda: self.relate(thing, "location", self.site(self.pick("org"))))
        self.maybe(0.4, lambda: self.relate(thing, "about", self.pick("topic", "Topic", 0.05)))

    def city(self) -> Entity:
        if self.items["city"] and self.rng.random() < 0.85:
            return self.pick("city")
        city = self.new("City")
        city.parent = self.rng.choice(self.bag["territory"])
        return city

    def site(self, operator: Entity) -> Entity:
        site = self.new("Site")
        site.parent = self.city()
        self.relate(site, "operatedBy", operator)
        self.maybe(0.15, lambda: self.relate(site, "near", self.city()))
        return site

    STORIES: tuple[tuple[str, float], ...] = (
        ("organisation", 4.0),
        ("agreement", 1.6),
        ("mandate", 2.2),
        ("programme", 1.4),
        ("event", 0.8),
        ("facility", 0.5),
    )

    # ------------------------------------------------------------------ documents

    def run(self) -> None:
        names, weights = zip(*self.STORIES, strict=True)
        number = told = 0
        while self.quads < self.target:
            self.doc = Document(number, f"doc-{number:05d}-synthetique")
            for _ in range(self.rng.randint(2, 12)):
                story = self.rng.choices(names, weights=weights)[0]
                getattr(self, names[told] if told < len(names) else story)()  # each kind of story once first
                told += 1
                if self.quads + self.doc.lines + 11 >= self.target:
                    break
            self._finish()
            number += 1

    def _finish(self) -> None:
        doc = self.doc
        text = " ".join(doc.sentences)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        file_name = f"{doc.number:05d}_{digest[:16]}.txt"
        if self.documents is not None:
            (self.documents / file_name).write_text(text, encoding="utf-8")
        source, shown = SOURCE[doc.key], f"seeds/facts/{doc.key}.yaml"
        mint_source = _Key(doc.key)
        offsets: dict[str, tuple[int, int]] = {}
        for subject, predicate, target, quote, status, note, line in doc.facts:
            if quote not in offsets:
                start = text.find(quote)
                assert start >= 0, quote
                offsets[quote] = (start, start + len(quote))
            graph = fact_graph_iri(_Mint(mint_source, subject.key, predicate, target, quote))
            g = iri(graph)
            self.emit(quad(subject.iri, iri(predicate), nq_term(target), g), "fact")
            rows = [
                (RDF.type, iri(IADEF.Assertion)),
                (PROV.wasDerivedFrom, iri(source)),
                (PROV.wasAttributedTo, iri(CURATORS)),
                (IADEF.quote, string(quote)),
                (IADEF.quoteStart, integer(offsets[quote][0])),
                (IADEF.quoteEnd, integer(offsets[quote][1])),
                (IADEF.seedFile, string(shown)),
                (IADEF.seedLine, integer(line)),
            ]
            if status is not None:
                rows.append((IADEF.status, iri(IADEF[status])))
            if note is not None:
                rows.append((IADEF.curatorNote, nq_term(Literal(note, lang="en"))))
            for p, o in rows:
                self.emit(quad(g, iri(p), o), "default")
        self._describe(doc, file_name, digest)

    def _describe(self, doc: Document, file_name: str, digest: str) -> None:
        s = iri(SOURCE[doc.key])
        title = nq_term(Literal(f"Document synthétique {doc.number:05d} sur l'IA de défense", lang="fr"))
        rows = [
            (RDF.type, iri(IADEF.SourceDocument)),
            (DCTERMS.identifier, nq_term(Literal(doc.key))),
            (DCTERMS.title, title),
            (RDFS.label, title),
            (DCTERMS.language, nq_term(Literal("fr"))),
            (IADEF.documentKind, nq_term(Literal(self.rng.choice(KINDS), lang="fr"))),
            (IADEF.originalFileName, string(file_name)),
            (DCTERMS.source, nq_term(Literal(f"seeds/documents/{file_name}"))),
            (IADEF.sha256, string(digest)),
        ]
        if self.rng.random() < 0.6:
            rows.append((DCTERMS.issued, nq_term(parse_value("date", self.date()[0]))))
        publishers = [e for e in doc.mentioned.values() if e.cls in ("Ministry", "Region", "Agency", "Company")]
        if publishers and self.rng.random() < 0.3:
            rows.append((DCTERMS.publisher, publishers[0].iri))
        elif self.rng.random() < 0.6:
            note = "Synthetic document: no publisher is named in its text."
            rows.append((IADEF.publisherNote, nq_term(Literal(note, lang="en"))))
        if self.rng.random() < 0.2:
            rows.append((RDFS.comment, nq_term(Literal("Synthetic document written for benchmarks.", lang="en"))))
        for p, o in rows:
            self.emit(quad(s, iri(p), o), "default")

    # ------------------------------------------------------------------ summary

    def summary(self, requested: int, seed: int) -> dict[str, Any]:
        """Counts and the entities the benchmarks bind parameters to (deterministic JSON)."""
        written = [e for e in self.entities if e.line]
        actors = [e for e in written if e.cls in ORGS and e.parties > 0]
        actors.sort(key=lambda e: (e.degree, e.key))
        hub = max((e for e in written if e.cls in ORGS), key=lambda e: (e.degree, e.key))
        mid = actors[len(actors) // 2] if actors else hub
        places = [e for e in written if e.cls in ("Territory", "City")]
        territory = max((e for e in places if e.cls == "Territory"), key=lambda e: (e.degree, e.key))
        cities = sorted((e for e in places if e.cls == "City"), key=lambda e: (e.degree, e.key))
        city = cities[len(cities) // 2] if cities else territory

        def describe(entity: Entity) -> dict[str, Any]:
            return {"key": entity.key, "label": entity.fr, "class": entity.cls, "degree": entity.degree}

        return {
            "generator": "benchmarks/synth.py",
            "seed": seed,
            "requested_quads": requested,
            "quads": self.quads,
            "documents": self.doc.number + 1,
            "entities": self.written,
            "sourced_facts": sum(self.counters["facts"].values()),
            "quads_by_graph": dict(sorted(self.counters["graphs"].items())),
            "entities_by_class": dict(sorted(self.counters["entities"].items())),
            "facts_by_property": dict(sorted(self.counters["facts"].items())),
            "parameters": {
                "hub": describe(hub),
                "actor": describe(mid),
                "territory": describe(territory),
                "city": describe(city),
            },
        }


@dataclass(frozen=True)
class _Key:
    key: str


def generate(target: int, out: Path, *, seed: int = 1, documents: bool = False) -> dict[str, Any]:
    """Write the synthetic project folder ``out`` (graph, ontology, queries, synth.json); return the summary."""
    graph = out / "graph"
    graph.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "queries"):
        if (out / name).resolve() != (ROOT / name).resolve():
            shutil.rmtree(out / name, ignore_errors=True)
            shutil.copytree(ROOT / name, out / name)
    texts = out / "seeds" / "documents" if documents else None
    if texts is not None:
        shutil.rmtree(texts, ignore_errors=True)
        texts.mkdir(parents=True)
    partial = graph / ".iadef.nq.partial"
    with partial.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as sink:
        generator = Generator(target, seed, sink, texts)
        generator.run()
    os.replace(partial, graph / "iadef.nq")
    summary = generator.summary(target, seed)
    (out / "synth.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def profile(path: Path) -> dict[str, Counter[str]]:
    """Quads per graph kind, type facts per class and facts per property of an N-Quads file (streamed).

    The ontology graph a build writes is not counted: it is not data, and a synthetic graph
    leaves it to the stores, which read ``ontology/iadef.ttl`` for a file without it.
    """
    out: dict[str, Counter[str]] = {"graphs": Counter(), "classes": Counter(), "facts": Counter()}
    fact = f"<{FACT}"
    ontology = f"<{ONTOLOGY_GRAPH}>"
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.endswith("  .\n"):
                out["graphs"]["default"] += 1
                continue
            graph = line[line.rindex(" <", 0, len(line) - 3) + 1 : -3]
            if graph == ontology:
                continue
            kind = "fact" if graph.startswith(fact) else "curation" if "/curation/" in graph else "links"
            out["graphs"][kind] += 1
            if kind == "fact":
                _, predicate, rest = line.split(" ", 2)
                local = predicate[1:-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
                out["facts"][local] += 1
                if local == "type":
                    out["classes"][rest.split(" ", 1)[0][1:-1].rsplit("/", 1)[-1]] += 1
    return out


def _print_profile(real: dict[str, Counter[str]], synthetic: dict[str, Counter[str]]) -> None:
    for part, title in (
        ("graphs", "quads per graph"),
        ("classes", "type facts per class"),
        ("facts", "sourced facts per property"),
    ):
        a, b = real[part], synthetic[part]
        total_a, total_b = sum(a.values()) or 1, sum(b.values()) or 1
        print(f"\n{title}: real {total_a}, synthetic {total_b}")
        print(f"  {'':24s} {'real %':>7s} {'synth %':>8s}")
        for name in sorted(set(a) | set(b), key=lambda n: (-a[n], -b[n], n)):
            print(f"  {name:24s} {100 * a[name] / total_a:7.2f} {100 * b[name] / total_b:8.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--triples", type=int, required=True, help="number of quads to write (about)")
    parser.add_argument("--out", type=Path, required=True, help="project folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--documents", action="store_true", help="also write the synthetic source texts")
    parser.add_argument("--profile", action="store_true", help="compare the shape with graph/iadef.nq")
    args = parser.parse_args(argv)
    if args.triples < 1000:
        parser.error("--triples must be at least 1000")
    summary = generate(args.triples, args.out, seed=args.seed, documents=args.documents)
    print(
        f"wrote {summary['quads']} quads ({summary['entities']} entities, {summary['sourced_facts']} sourced facts, "
        f"{summary['documents']} documents) to {args.out / 'graph' / 'iadef.nq'}"
    )
    if args.profile:
        _print_profile(profile(ROOT / "graph" / "iadef.nq"), profile(args.out / "graph" / "iadef.nq"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
