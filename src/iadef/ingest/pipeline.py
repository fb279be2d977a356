"""One article in, a proposal out: entities, then structures, then relations and values.

:func:`propose` changes nothing on disk; it is what ``iadef ingest --dry-run`` prints and
what the review queue is made of. Facts whose ends do not fit the ontology's domain and
range are dropped here, so what a curator accepts can be built.
"""

from __future__ import annotations

from typing import Any

from iadef.curation.ontology import Ontology
from iadef.ingest.awards import awards, orders, won
from iadef.ingest.benefits import beneficiaries
from iadef.ingest.consortia import consortia, local_members
from iadef.ingest.dedupe import dedupe
from iadef.ingest.entities import EntityFinder
from iadef.ingest.events import announcements
from iadef.ingest.gazetteer import Gazetteer
from iadef.ingest.headcounts import headcounts
from iadef.ingest.launches import inaugurations, launches
from iadef.ingest.leaders import heading_posts, unattested
from iadef.ingest.literals import Literals
from iadef.ingest.model import Fact, Proposal
from iadef.ingest.names import names, signed_at
from iadef.ingest.nlp import Analyzer
from iadef.ingest.programmes import budget_parts, named_periods
from iadef.ingest.ranges import event_ranges
from iadef.ingest.relations import RelationFinder
from iadef.ingest.roles import acting_places, bare_names
from iadef.ingest.rules import Rules
from iadef.ingest.sites import named_parts, sites
from iadef.ingest.speakers import speakers
from iadef.ingest.structures import figures, governed, periods, posts, topics_in_names
from iadef.ingest.units import counted_units, units_of


def propose(
    text: str, analyzer: Analyzer, gazetteer: Gazetteer, rules: Rules, ontology: Ontology, source: dict[str, Any]
) -> Proposal:
    analysis = analyzer.analyze(text)
    finder = EntityFinder(analysis, gazetteer, rules)
    entities = finder.run()
    acting_places(finder)  # "Exail signe un contrat": a name the NER called a place acts as an organisation
    literals = Literals(rules)
    issued = source.get("issued")
    year = str(issued)[:4] if issued else None
    structural = (
        consortia(finder)
        + local_members(finder)
        + sites(finder)
        + named_parts(finder)
        + posts(finder, entities, ontology)
        + heading_posts(finder, ontology)
        + figures(finder, literals)
        + budget_parts(finder)  # after figures: the budgets it names
        + named_periods(finder)
        + event_ranges(finder, ontology)
        + governed(finder)
        + topics_in_names(finder)
        + units_of(finder)
        + counted_units(finder)
        + headcounts(finder)  # after figures: the headcounts it makes
        + names(finder)
    )
    bare_names(finder)  # "Definvest", "CILAS": proper nouns the NER left (after titles: not "ministre de la Mer")
    # events a verb implies (last: their mentions are clauses, over names the steps above read; the
    # announcer of "le ministre a annoncé" is the holder the mandates above name; contracts first: "a
    # annoncé avoir commandé …" announces the order)
    structural += awards(finder, structural, ontology) + orders(finder, structural, ontology)
    structural += won(finder, structural, ontology)
    structural += announcements(finder, structural, literals, ontology, year)
    structural += launches(finder, literals, ontology, year)
    structural += inaugurations(finder, structural, literals, ontology, year)
    speakers(finder, structural)  # "nous" in a quotation: its speaker's organisation (the mandates above)
    entities = sorted(finder.entities.values(), key=lambda e: (e.first, e.id))
    facts = structural + RelationFinder(analysis, entities, rules, ontology, literals, year).run()
    by_id = {e.id: e for e in entities}
    facts += beneficiaries(facts, by_id, text, rules.objective_support)  # read from objectives: after them
    facts = [f for f in unattested(dedupe(facts), by_id) if _fits(f, by_id, ontology)]
    facts += [f for f in periods(facts, by_id) + signed_at(facts, by_id, text) if _fits(f, by_id, ontology)]
    used = {f.s for f in facts} | {f.o for f in facts if f.o}
    kept = [e for e in entities if e.mentions and (e.cls not in ("Budget", "Headcount", "Mandate") or e.id in used)]
    ids = {e.id for e in kept}
    facts = [f for f in facts if f.s in ids and (f.o is None or f.o in ids)]  # ends are entities of the answer
    return Proposal(source=source, text=text, entities=kept, facts=facts)


def _fits(fact: Fact, entities: dict[str, Any], ontology: Ontology) -> bool:
    prop = ontology.properties.get(fact.p)
    if prop is None or fact.s not in entities:
        return False
    if prop.domain and prop.domain in ontology.classes and not ontology.is_a(entities[fact.s].cls, prop.domain):
        return False
    if fact.o is not None:
        if fact.o not in entities or not prop.is_object:
            return False
        target = entities[fact.o].cls
        return not (prop.range and prop.range in ontology.classes and not ontology.is_a(target, prop.range))
    return not prop.is_object
