"""Contracts a verb implies but no name states (what the event rules share: iadef.ingest.eventbase).

* Awards: "le ministère a notifié au groupement A/B la mise en place d'un supercalculateur" with no
  agreement named in the clause -> a Contract: contractingAuthority the authority, contractor each
  recipient, party all of them, deliverable what the object names.
* Orders: "la DGA a commandé 1 000 drones du Français Harmattan AI", "la DGA a annoncé avoir commandé
  … à la société X" -> a Contract: contractingAuthority the public body that orders (the actor of the
  verb, or of the verb "avoir commandé" depends on), contractor the first company introduced by "à",
  "de", "auprès de" in the object, deliverable what the object names before it.
* Contracts won: "Airbus Defence and Space avait remporté auprès de la DGA une première commande de
  plus de 100 millions d'euros" -> the contract (a Contract when the clause names none, its mention
  the phrase of the order), contractor the actor, contractingAuthority the body after "auprès de".

An awarded or ordered contract's mention is the clause that reports it (a reference, not a name); every
quote runs from the first end named to the last. Words are data (data/relations.yaml ``events``).
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.eventbase import (
    DETERMINER,
    NOT_ABOUT,
    Named,
    named,
    object_end,
    parsed_subject,
    post_body,
    status_of,
    subject,
)
from iadef.ingest.literals import alternation
from iadef.ingest.model import Entity, Fact

Authority = tuple[int, Entity, str | None]


def awards(finder: EntityFinder, facts: list[Fact], ontology: Ontology) -> list[Fact]:
    rules = finder.rules.events
    if not rules.award_verbs:
        return []
    verb = re.compile(
        rf"(?<![\w'])(?P<verb>{alternation(rules.award_verbs)})(?![\w])"
        r"(?:\s*,[^,.;:!?\n]{1,40},)?\s+(?P<prep>a|au|aux)\s+"
    )
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        authority = _authority(finder, facts, m.start())
        recipients, at = _recipients(finder, ontology, m.end())
        if authority is None or not recipients:
            continue
        obj = re.match(rf"\s*(?:{DETERMINER}|des|du|de\s+la)(?![\w])\s*([\w-]+)|\s*l'\s*([\w-]+)", finder.folded[at:])
        if obj is None or (obj.group(1) or obj.group(2)) in rules.award_not_objects:
            continue
        obj_start = at + len(obj.group()) - len(obj.group().lstrip())
        obj_end = object_end(finder, obj_start)
        inside = _inside(finder, m.start(), obj_end)
        if any(ontology.is_a(x.cls, "Agreement") for _, _, x in inside):
            continue  # "a notifié à X un contrat": the contract is named, the relation rules read it
        noun = rules.award_verbs[" ".join(m.group("verb").split())]
        names = " ".join(finder.text[m.start("prep") : recipients[-1][1]].split())
        label = f"{noun} {names} : {' '.join(finder.text[obj_start:obj_end].split())}"
        contract = finder.new(label, "Contract", rules.confidence, "award")
        finder.mention(contract, m.start("verb"), obj_end, "reference", "the contract this clause awards")
        deliverable = next((x for s, _, x in inside if s >= obj_start and _deliverable(ontology, x)), None)
        found = [(p, r[2]) for r in recipients for p in ("contractor", "party")]
        found += [("deliverable", deliverable)] if deliverable is not None else []
        status = status_of(finder, m.start(), obj_end)
        out += _contract(finder, contract, authority, found, (authority[0], obj_end), "award", status)
    return out


def orders(finder: EntityFinder, facts: list[Fact], ontology: Ontology) -> list[Fact]:
    rules = finder.rules.events
    if not rules.order_verbs:
        return []
    verb = re.compile(rf"(?<![\w'])(?P<verb>{alternation(rules.order_verbs)})(?![\w])\s+")
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        authority = _authority(finder, facts, m.start(), m.end())
        obj_start, obj_end = m.end(), object_end(finder, m.end())
        inside = _inside(finder, obj_start, obj_end)
        if authority is None or any(ontology.is_a(x.cls, "Agreement") for _, _, x in inside):
            continue
        intro = re.compile(rf"(?:a|au|aux|aupres\s+d(?:e|u|es|')|de|du|des|d')\s*(?:{DETERMINER}(?![\w])\s*|l'\s*)?$")
        contractor = None
        for s, e, x in inside:
            if not _holds(finder, ontology, x) or x is authority[1]:
                continue
            gap, cuts = finder.folded[obj_start:s], [s - obj_start]
            for _ in range(2):  # up to two words between: "du Français Harmattan AI", "à la start-up parisienne X"
                word = re.search(r"\S+\s+$", gap[: cuts[-1]])
                cuts += [word.start()] if word else []
            before = next((b for c in cuts if (b := intro.search(gap[:c]))), None)
            if before is not None:
                contractor = (obj_start + before.start(), e, x)
                break
        if contractor is None:
            continue
        # the object before the company ("1 000 drones du Français X"), else after it ("à X deux frégates")
        first = obj_start < contractor[0] and finder.text[obj_start : contractor[0]].strip()
        what, stop = (obj_start, contractor[0]) if first else (contractor[1], obj_end)
        noun = rules.order_verbs[" ".join(m.group("verb").split())]
        label = f"{noun} à {contractor[2].label} : {' '.join(finder.text[what:stop].split())}"
        contract = finder.new(label.rstrip(" :"), "Contract", rules.confidence, "order")
        end = max(contractor[1], stop)
        finder.mention(contract, m.start("verb"), end, "reference", "the contract this clause reports")
        deliverable = next((x for s, e, x in inside if what <= s and e <= stop and _deliverable(ontology, x)), None)
        found = [("contractor", contractor[2]), ("party", contractor[2])]
        found += [("deliverable", deliverable)] if deliverable is not None else []
        span = (authority[0], end)
        out += _contract(finder, contract, authority, found, span, "order", _done(finder, span))
    return out


def won(finder: EntityFinder, facts: list[Fact], ontology: Ontology) -> list[Fact]:
    """The contract of "X a remporté auprès de la DGA une commande de 100 M€", its contractor and its buyer."""
    rules = finder.rules.events
    if not rules.won_verbs or not rules.won_nouns:
        return []
    verb = re.compile(rf"(?<![\w'])(?P<verb>{alternation(rules.won_verbs)})(?![\w])")
    nouns = alternation(rules.won_nouns)
    out: list[Fact] = []
    for m in verb.finditer(finder.folded):
        holder = next((c for c in subject(finder, m.start()) if _holds(finder, ontology, c[2])), None)
        at, buyer = m.end(), None
        near = re.match(r"\s+aupres\s+(?:de\s+la|de\s+l'|du|des|de|d')\s*", finder.folded[at:])
        if near:
            hit = named(finder, at + near.end())
            if hit is None or hit[2].cls not in rules.award_authorities:
                continue
            acronym = re.match(r"\s*\([^()]{1,12}\)", finder.folded[hit[1] :])
            at, buyer = hit[1] + (acronym.end() if acronym else 0), hit
        phrase = re.match(
            rf"\s+(?P<det>une|un|le|la|l')\s*(?:[\w-]+\s+)?(?P<noun>{nouns})(?![\w'])", finder.folded[at:]
        )
        if holder is None or phrase is None:
            continue
        start, stop = at + phrase.start("det"), at + phrase.end()
        amount = re.match(r"\s+(?:de|d')\s*(?:plus\s+de\s+|pres\s+de\s+|quelque\s+)?", finder.folded[stop:])
        figure = finder.named_at(stop + amount.end()) if amount else None
        stop = figure[1] if figure and figure[2].cls == "Budget" else stop
        near = None if buyer else re.match(r"\s+aupres\s+(?:de\s+la|de\s+l'|du|des|de|d')\s*", finder.folded[stop:])
        hit = named(finder, stop + near.end()) if near else None  # "a remporté un contrat auprès de la DGA"
        buyer = hit if hit and hit[2].cls in rules.award_authorities else buyer
        inside = _inside(finder, start, object_end(finder, start))
        named_contract = next((c for c in inside if c[0] < stop and ontology.is_a(c[2].cls, "Agreement")), None)
        if named_contract is not None:
            contract, last = named_contract[2], named_contract[1]
        else:
            label = " ".join(finder.text[at + phrase.end("det") : stop].split())
            contract, last = finder.new(label, "Contract", rules.confidence, "won-contract"), stop
            finder.mention(contract, start, stop, "reference", "the contract this clause says was won")
        found = [("contractor", holder[2]), ("party", holder[2])]
        authority = (buyer[0], buyer[2], None) if buyer else None
        span = (holder[0], max(stop, last, buyer[1] if buyer else stop))
        out += _contract(finder, contract, authority, found, span, "won-contract", _done(finder, span))
        if figure is not None and figure[2].cls == "Budget":  # "une commande de 100 M€": its amount
            conf = rules.confidence
            quote = (min(start, named_contract[0]) if named_contract else start, max(stop, last))
            fact = Fact.quoted(figure[2], "budgetFor", contract, None, finder.text, quote, "won-contract", conf)
            out.append(fact)
    return out


def _contract(
    finder: EntityFinder,
    contract: Entity,
    authority: Authority | None,
    found: list[tuple[str, Entity]],
    span: tuple[int, int],
    rule: str,
    status: str | None,
) -> list[Fact]:
    """The facts of a contract: its authority (contractingAuthority and party), then ``found``."""
    if authority is not None:
        found = [("contractingAuthority", authority[1]), ("party", authority[1]), *found]
    out = []
    for prop, end in found:
        fact = Fact.quoted(contract, prop, end, None, finder.text, span, rule, finder.rules.events.confidence)
        fact.status = status
        fact.resolved = authority[2] if authority is not None and end is authority[1] else None
        out.append(fact)
    return out


def _done(finder: EntityFinder, span: tuple[int, int]) -> str:
    """An order placed or a contract won is signed, unless the clause says it is to come."""
    return "planned" if status_of(finder, span[0], span[1]) == "planned" else "signed"


def _inside(finder: EntityFinder, start: int, end: int) -> list[Named]:
    return sorted((s, e, finder.entities[i]) for s, e, i in finder.claimed if start <= s and e <= end)


def _holds(finder: EntityFinder, ontology: Ontology, entity: Entity) -> bool:
    """An organisation that supplies what is ordered or wins a contract: not a public body nor a unit of
    one ("a commandé un rapport à l'Inspection générale des armées" is no contract)."""
    return ontology.is_a(entity.cls, "Organization") and entity.cls not in finder.rules.events.award_authorities


def _authority(finder: EntityFinder, facts: list[Fact], at: int, end: int | None = None) -> Authority | None:
    """The public body before the verb (data: ``authorities``), as named or the body of the post named
    ("le ministre a notifié"); with ``end``, the parser's subject when no name stands right before. A
    company or a body of unknown kind awards no contract here."""
    before = subject(finder, at)
    for s, e, entity in before + (parsed_subject(finder, at, end) if end and not before else []):
        body = post_body(finder, facts, entity) if entity.cls in ("Post", "Mandate") else entity
        if body is None:
            continue
        if body.cls in finder.rules.events.award_authorities:
            return s, body, None if body is entity else f"« {finder.text[s:e]} » → {body.label}"
        return None
    return None


def _recipients(finder: EntityFinder, ontology: Ontology, at: int) -> tuple[list[Named], int]:
    """The organisations a contract is awarded to, "au groupement A/B", "à Thales et à Safran", and where
    their names end."""
    found: list[Named] = []
    end = at
    while True:
        hit = named(finder, at)
        if hit is None or not ontology.is_a(hit[2].cls, "Organization"):
            break
        if hit[2].cls in finder.rules.events.award_not_recipients:
            return [], at
        found.append(hit)
        end = hit[1]
        join = re.match(r"\s*,\s*(?:a|au|aux)?\s+|\s+et\s+(?:(?:a|au|aux)\s+)?", finder.folded[end : end + 8])
        if join is None:
            break
        at = end + join.end()
    return found, end


def _deliverable(ontology: Ontology, entity: Entity) -> bool:
    """What a contract delivers: a thing, not an actor, a place, a subject area, a figure or an event."""
    if entity.cls in NOT_ABOUT:
        return False
    return not any(ontology.is_a(entity.cls, c) for c in ("Actor", "Place", "Event", "Agreement"))
