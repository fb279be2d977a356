"""Entities that stand for a structure, each with the facts that make it whole.

* Posts and mandates: "le ministre des Armées, Sébastien Lecornu" or "Loïg
  Chesnais-Girard, président de la région Bretagne" -> a Post (postIn the organisation
  the title names), a Mandate (holder the person, post the Post), as the curated files
  model them. The organisation is one found in the title; "ministre des X" also finds
  "ministère des X" (data/posts.yaml). A word before the title says when it is held ("alors
  ministre", "désormais à la tête du …", "l'ancien ministre": a former mandate, not attested at
  the sentence's date); titles may follow one another after the name, each a mandate ("X, le
  premier patron du A, désormais à la tête du B"), but not a clause ("…, le maire a salué"). A
  title that names its body by a capitalised complement the article does not know ("ministre de
  la Défense") is still a post, without postIn; a new name right after its link ("directeur
  général de Bpifrance") is its body (iadef.ingest.titles). Posts a verb gives ("dirigée par X"):
  iadef.ingest.leaders.
* Amounts and headcounts: "130 millions d'euros" -> a Budget with amount and currency;
  "300 personnes" -> a Headcount with its count.
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.leaders import FORMER, organisation_classes
from iadef.ingest.literals import Literals, alternation
from iadef.ingest.model import Entity, Fact
from iadef.ingest.references import antecedent
from iadef.ingest.textutil import norm, stable_id, word_pattern
from iadef.ingest.titles import (
    head_mention,
    initials_body,
    named_body,
    named_complement,
    post_key,
    title_end,
    title_pattern,
    verbless,
)


def posts(finder: EntityFinder, entities: list[Entity], ontology: Ontology) -> list[Fact]:
    # folded text, but with its line breaks kept: a title never runs over a line break
    folded = "".join("\n" if c == "\n" else f for c, f in zip(finder.text, finder.folded, strict=True))
    title, when = title_pattern(finder.rules)
    facts: list[Fact] = []
    seen: dict[tuple[str, str], Entity] = {}  # (first word of the title, organisation id) -> the post
    bodies = organisation_classes(ontology)
    for person in [e for e in entities if e.cls == "Person"]:
        for mention in person.mentions:
            if mention.kind != "name":
                continue
            at, titled = mention.end, False
            for _ in range(3):  # "X, le premier patron du Comcyber, désormais à la tête du Pôle …": one mandate each
                after = re.match(rf",\s*{when}{title}(?=\s*(?:[,;.()\n©]|et\s|$))", folded[at:])
                if not after or not verbless(finder, at, at + after.end("title")):
                    break  # "X, directeur de A, le chef de l'État a assisté …": a clause, not a title
                t_start = at + after.start("title")
                at = title_end(finder, t_start, at + after.end("title"))
                made = _post(finder, person, (t_start, at), (mention.start, at), seen, bodies, _former(finder, after))
                facts, titled = facts + made, titled or bool(made)
            offset = max(0, mention.start - 100)
            before = re.search(rf"{when}{title}\s*,\s*$", folded[offset : mention.start])
            if not titled and before and _own(finder, offset + before.start(), mention.start):
                found = (offset + before.start("title"), offset + before.end("title"))
                facts += _post(finder, person, found, (found[0], mention.end), seen, bodies, _former(finder, before))
    return facts


def _own(finder: EntityFinder, start: int, end: int) -> bool:
    """Whether the title in ``[start, end)`` before a name is that person's: no verb in it, and not the title
    of another person named just before it ("Claire Duval, présidente de la Région, Paul Morel, …")."""
    named = re.search(r",\s*$", finder.text[max(0, start - 3) : start]) is not None and any(
        finder.entities[ident].cls == "Person" and 0 <= start - e <= 3 for s, e, ident in finder.claimed
    )
    return not named and verbless(finder, start, end)


def _former(finder: EntityFinder, match: re.Match[str]) -> bool:
    """ "l'ancien ministre", "l'ex-directeur": a mandate not held at the date of the sentence."""
    return bool(set(re.findall(r"[a-z]+", match.group("when") or "")) & set(finder.rules.title_words["former"]))


def _post(
    finder: EntityFinder,
    person: Entity,
    title: tuple[int, int],
    span: tuple[int, int],
    seen: dict[tuple[str, str], Entity],
    bodies: frozenset[str],
    former: bool = False,
) -> list[Fact]:
    text = finder.text
    label = text[title[0] : title[1]]
    key = finder.g.lookup(label)
    facts: list[Fact] = []
    if key and finder.g.known[key].cls == "Post":
        post = finder.known(key)  # a known post: the article still states its organisation when it names it
        org = _organisation(finder, title, post, bodies)
        if org is not None:
            facts.append(_grounded(Fact.quoted(post, "postIn", org, None, text, title, "post-title", 0.7), org, label))
            seen.setdefault((post_key(finder.rules, label), org.id), post)
    else:
        org = _organisation(finder, title, None, bodies)
        if org is None and not named_complement(finder, title):
            return []
        # "président du conseil régional" and "présidente de la Région Bretagne": one post of one organisation;
        # "secrétaire général adjoint" of it is another; "ministre de la Défense", of a body the text does not
        # name, is a post of its own
        where = (post_key(finder.rules, label), org.id) if org is not None else (norm(label), "")
        post = seen.setdefault(where, finder.new(label, "Post", 0.7 if org else 0.6, "post-title"))
        if org is not None:
            facts.append(_grounded(Fact.quoted(post, "postIn", org, None, text, title, "post-title", 0.7), org, label))
    finder.mention(post, title[0], title[1])
    head_mention(finder, post, title, org)
    for s, e, ident in list(finder.claimed):  # "en charge de la stratégie": a function, not a strategy
        other = finder.entities[ident]
        if title[0] <= s and e <= title[1] and other.rule == "common-noun":
            finder.claimed.remove((s, e, ident))
            other.mentions = [m for m in other.mentions if not (m.start == s and m.end == e)]
    rule = FORMER if former else "post-title"
    mandate = finder.new(f"{person.label}, {post.label}", "Mandate", 0.7, rule)
    said = f"{text[span[0] : span[1]]} = mandate of {person.label}"
    if former:
        said += " (a past or future mandate: not attested at the date of the sentence)"
    finder.mention(mandate, span[0], span[1], "reference", said)
    return [
        *facts,
        Fact.quoted(mandate, "holder", person, None, text, span, rule, 0.75),
        Fact.quoted(mandate, "post", post, None, text, span, rule, 0.75),
    ]


def _grounded(fact: Fact, org: Entity, title: str) -> Fact:
    """A title names its organisation by a word the article resolves ("ministre des Armées" → the
    ministère, "de la Région" → the Région named before): the fact says so."""
    if not any(fact.start <= m.start and m.end <= fact.end for m in org.mentions):
        fact.resolved = f"« {title} » → {org.label}"
    return fact


def _organisation(
    finder: EntityFinder, title: tuple[int, int], post: Entity | None, bodies: frozenset[str]
) -> Entity | None:
    """The body a title is a post of: the one its initials spell (SGAR), else one named inside it, else
    the one a word of it refers to ("de la Région"), else the one its head word names ("ministre" →
    ministère). Never the post itself, nor an entity named by the whole title."""
    body = initials_body(finder, title)
    if body is not None:
        return body
    inside = [
        finder.entities[ident]
        for s, e, ident in sorted(finder.claimed)
        if s >= title[0]
        and e <= title[1]
        and (s, e) != title
        and finder.entities[ident].cls not in ("Post", "Mandate", "Person", "Topic")
        and (post is None or ident != post.id)
    ]
    organisations = [e for e in inside if e.cls in bodies]  # not "la stratégie" of "en charge de la stratégie"
    if organisations:
        return organisations[0]
    nationalities = finder.rules.title_words["nationalities"]  # "ministre français des Armées"
    words = [w for w in norm(finder.text[title[0] : title[1]]).split(" ") if w not in nationalities]
    for word, classes in finder.rules.references.items():
        if word in words[1:]:  # "vice-présidente de la Région …": the one Region the article names
            target = antecedent(finder, classes, title[0])
            if target is not None:
                return target[0]
    rewrite = finder.rules.title_orgs.get(words[0])
    if rewrite and len(words) > 1:
        name = " ".join([rewrite, *words[1:]])
        key = finder.g.lookup(name)
        if key is not None:
            org = finder.known(key)
            if not org.mentions:  # named only through the title: the title is its mention
                label = finder.text[title[0] : title[1]]
                finder.mention(org, title[0], title[1], "reference", f"{label} → {name} = {org.label}")
            return org
        for entity in finder.entities.values():
            if norm(entity.label).startswith(norm(name)):
                return entity
    return named_body(finder, title)  # "directeur général de Bpifrance": a name the NER found, no other entity


def figures(finder: EntityFinder, literals: Literals) -> list[Fact]:
    text = finder.text
    facts: list[Fact] = []
    for index in range(len(finder.a.sentences)):
        start, end = finder.a.sentence_span(index)
        sentence = (start, end)
        for found in literals.amounts(text, start, end):
            words = text[found.start : found.end]
            budget = finder.new(f"budget de {words}", "Budget", 0.6, "amount")
            finder.mention(budget, found.start, found.end)
            facts.append(Fact.quoted(budget, "amount", None, found.value, text, sentence, "amount", 0.75))
            if found.approximate:
                facts.append(
                    Fact.quoted(budget, "approximate", None, "true", text, (found.start, found.end), "amount", 0.7)
                )
            facts.append(
                Fact.quoted(
                    budget, "currency", None, found.currency or "EUR", text, (found.start, found.end), "amount", 0.75
                )
            )
        for found in literals.counts(text, start, end):
            words = text[found.start : found.end]
            headcount = finder.new(f"effectif de {words}", "Headcount", 0.6, "count")
            finder.mention(headcount, found.start, found.end)
            facts.append(Fact.quoted(headcount, "count", None, found.value, text, sentence, "count", 0.7))
            if found.approximate:
                facts.append(
                    Fact.quoted(headcount, "approximate", None, "true", text, (found.start, found.end), "count", 0.7)
                )
    return facts


def governed(finder: EntityFinder) -> list[Fact]:
    """ "la Région Bretagne" governs "Bretagne" when the article names that territory too; the quote is
    the authority's name, which names both."""
    heads = finder.rules.governing_heads
    places = {norm(e.label): e for e in finder.entities.values() if e.cls in ("Territory", "City", "Country")}
    facts: list[Fact] = []
    for body in [e for e in finder.entities.values() if e.cls in finder.rules.governing_classes]:
        for mention in body.mentions:
            if mention.kind != "name":
                continue
            words = norm(mention.text)
            head = next((h for h in heads if words.startswith(h + " ")), None)
            rest = re.sub(r"^(?:de la |de l'|du |des |de |d')", "", words[len(head) + 1 :]) if head else ""
            place = places.get(rest)
            if place is not None:
                fact = Fact.quoted(
                    body, "governs", place, None, finder.text, (mention.start, mention.end), "governs", 0.7
                )
                fact.resolved = f"« {place.label} » is named inside « {mention.text} »"
                facts.append(fact)
                break
    return facts


_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*-\s*((?:19|20)\d\d))?(?!\d)")
_FOR_YEAR = re.compile(r"(?<![\w])(?:pour|for)\s+(?:l'annee\s+|l'année\s+)?$")


def periods(facts: list[Fact], entities: dict[str, Entity]) -> list[Fact]:
    """A budget allocated by a law or programme whose name gives its years ("loi de finances pour 2024",
    "loi de programmation militaire 2024-2030") covers those years: periodStart and periodEnd. A lone
    year counts only after "pour" ("plan France 2030" names a horizon, not the year it funds)."""
    out: list[Fact] = []
    for fact in facts:
        if fact.p != "allocatedBy" or fact.o is None or entities[fact.s].cls != "Budget":
            continue
        years = _YEARS.search(entities[fact.o].label)
        if years is None or (years.group(2) is None and not _FOR_YEAR.search(entities[fact.o].label[: years.start()])):
            continue  # "plan France 2030": a horizon in a name, not the year a budget covers
        first, last = years.group(1), years.group(2) or years.group(1)
        for prop, value in (("periodStart", first), ("periodEnd", last)):
            ident = stable_id("f", fact.s, prop, "", value, fact.quote)
            out.append(
                Fact(ident, fact.s, prop, None, value, None, fact.quote, fact.start, fact.end, 0.6, "budget-period")
            )
    return out


_ACRONYM_BETWEEN = r"(?:\s+\([^()\s]{1,12}\))?\s+"  # "intelligence artificielle (IA) de défense"


def topics_in_names(finder: EntityFinder) -> list[Fact]:
    """ "Agence ministérielle pour l'intelligence artificielle de défense" is about the topic its name
    states after a preposition ("pour", "en matière de", "autour des enjeux de"…): the quote is the
    name, which names both. The topic is one the article names elsewhere, a known one, or one of
    data/classes.yaml's topics; an acronym in brackets inside it ("l'intelligence artificielle (IA)
    de défense") does not break it."""
    text, rules = finder.text, finder.rules
    names = {norm(t) for t in rules.topics}
    for entity in finder.entities.values():
        if entity.cls == "Topic":
            names |= {norm(m.text) for m in entity.mentions if m.kind == "name"} | {norm(entity.label)}
    links = alternation(rules.topic_links)
    facts: list[Fact] = []
    for entity in [e for e in finder.entities.values() if e.cls not in ("Topic", "Person", "Post", "Mandate")]:
        if entity.cls in ("Territory", "City", "Country", "Site", "Budget", "Headcount"):
            continue
        seen: set[str] = set()
        for mention in entity.mentions:
            if mention.kind != "name":
                continue
            folded = finder.folded[mention.start : mention.end]
            taken: list[tuple[int, int]] = []  # "intelligence artificielle" inside "… de défense": one topic
            for topic in sorted(names, key=lambda n: (-len(n), n)):
                body = word_pattern(topic).removeprefix(r"(?<![\w])").replace(r"\s+", _ACRONYM_BETWEEN)
                m = re.search(rf"(?:{links})\s*({body})", folded)
                if m is None or topic in seen or any(s <= m.start(1) and m.end(1) <= e for s, e in taken):
                    continue
                seen.add(topic)
                taken.append(m.span(1))
                target = _topic(finder, topic, mention.start + m.start(1), mention.start + m.end(1))
                fact = Fact.quoted(
                    entity, "about", target, None, text, (mention.start, mention.end), "name-topic", 0.55
                )
                fact.resolved = f"« {text[mention.start + m.start(1) : mention.start + m.end(1)]} » = {target.label}"
                facts.append(fact)
    return facts


def _topic(finder: EntityFinder, topic: str, start: int, end: int) -> Entity:
    for entity in finder.entities.values():
        if entity.cls == "Topic" and (
            norm(entity.label) == topic or any(norm(m.text) == topic for m in entity.mentions)
        ):
            return entity
    key = finder.g.lookup(finder.text[start:end])
    if key is not None and finder.g.known[key].cls == "Topic":
        found = finder.known(key)
    else:
        found = finder.new(finder.text[start:end], "Topic", 0.6, "topic")
    if not found.mentions:
        finder.mention(found, start, end)  # inside the name that states it
    return found
