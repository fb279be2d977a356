"""What the words around a name say of the entity it names.

* "« Definvest », fonds de 100 millions d'euros": a name in quotation marks with an apposition
  headed by a head word is an entity of that head's class.
* "l'agent conversationnel nommé « Génial »": the noun phrase before "nommé" describes what
  the name names (description "agent conversationnel").
* "la société Bluecime (Grenoble) experte en intelligence artificielle appliquée aux sports
  d'hiver", "Preligens, spécialiste de l'IA": the expertise phrase after an organisation's
  name describes it, and the topics it names are what the organisation is about.
* "la signature de la feuille de route État-Région": an event whose name is "signature de"
  an agreement noun is the signing of the agreement of that noun the article names
  (agreementOf), the one named before it, or the only one.

Words are data (data/classes.yaml: ``called``, ``expertise``, ``common``); every quote is a
verbatim span that names both ends (or says which reference it resolved).
"""

from __future__ import annotations

import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.literals import alternation
from iadef.ingest.model import Entity, Fact
from iadef.ingest.textutil import norm

_NOT_EXPERTS = ("Person", "Post", "Mandate", "Topic", "Budget", "Headcount", "City", "Territory", "Country", "Site")
_AGREEMENTS = ("Agreement", "Convention", "FrameworkAgreement", "Roadmap", "Contract", "Partnership")
_AUXILIARY = r"(?:a|ont|est|sont|etait|sera|avait|ete|vient|viennent)(?![\w])"
_DETERMINER = (
    r"(?:de\s+la\s+|de\s+l'|du\s+|des\s+|d'|de\s+)(?:cette\s+|cet\s+|ce\s+|ces\s+|la\s+|le\s+|les\s+|l'|une?\s+)?"
)


def names(finder: EntityFinder, agreements: tuple[str, ...] = _AGREEMENTS) -> list[Fact]:
    _quoted_names(finder)
    return _called(finder) + _expertise(finder) + _signings(finder, agreements)


def _quoted_names(finder: EntityFinder) -> None:
    """ "« Definvest », fonds de 100 millions d'euros": a capitalised name in quotation marks, then an
    apposition headed by a head word of data/classes.yaml ``heads``, names an entity of that class (the
    NER's class for those words, often a person or a place, gives way)."""
    heads = alternation([h for h in finder.rules.heads if " " not in h])
    if not heads:
        return
    name = r"[\w'&-]+(?:\s+[\w'&-]+){0,3}"
    pattern = re.compile(rf"«\s*({name})\s*»\s*,\s*(?:le |la |les |l'|un |une )?({heads})s?(?![\w])")
    for m in pattern.finditer(finder.folded):  # folded: heads are; offsets are the text's
        rule = finder.rules.heads.get(m.group(2))
        label = finder.text[m.start(1) : m.end(1)]
        if rule is None or not label[:1].isupper():
            continue
        owner = finder.owner(m.start(1), m.end(1))
        if owner is None:
            finder.mention(finder.new(label, rule.cls, rule.confidence, "quoted-name"), m.start(1), m.end(1))
        elif finder.entities[owner].rule.startswith(("ner-", "propn")) and finder.entities[owner].label == label:
            found = finder.entities[owner]
            found.cls, found.confidence, found.rule = rule.cls, rule.confidence, "quoted-name"


def _called(finder: EntityFinder) -> list[Fact]:
    verbs = alternation(list(finder.rules.called.get("verbs", ())))
    if not verbs:
        return []
    pattern = re.compile(
        rf"(?<![\w])(?:le|la|les|l'|un|une|son|sa|ses)\s*((?!{_AUXILIARY})[a-z][\w-]+(?:\s+(?!{_AUXILIARY})[a-z][\w'-]+){{0,3}})"
        rf"\s+(?:{verbs})\s+[«\"]\s*"
    )
    facts: list[Fact] = []
    for m in pattern.finditer(finder.folded):
        hit = finder.named_at(m.end())
        if hit is None or finder.owner(m.start(1), m.end(1)) is not None:
            continue
        words = finder.text[m.start(1) : m.end(1)]
        span = (m.start(1), hit[1])
        facts.append(Fact.quoted(hit[2], "description", None, words, finder.text, span, "called-description", 0.55))
    return facts


def _expertise(finder: EntityFinder) -> list[Fact]:
    words = alternation(finder.rules.expertise)
    if not words:
        return []
    lead = re.compile(rf"^\s*(?:\([^()\n]{{1,40}}\)\s*)?,?\s*((?:{words})\s+(?:en|de|du|des|d'|dans|in)(?![\w]))")
    facts: list[Fact] = []
    for start, end, ident in sorted(finder.claimed):
        org = finder.entities[ident]
        if org.cls in _NOT_EXPERTS:
            continue
        m = lead.match(finder.folded[end : end + 200])
        if m is None:
            continue
        phrase_start = end + m.start(1)
        stop = re.search(r"[,;.:()\n»]|\s(?:qui|et\s+(?:a|est|sera|va))\s", finder.folded[phrase_start:])
        phrase_end = phrase_start + (stop.start() if stop else len(finder.folded) - phrase_start)
        if phrase_end - phrase_start < 8:
            continue
        phrase = finder.text[phrase_start:phrase_end]
        facts.append(Fact.quoted(org, "description", None, phrase, finder.text, (start, phrase_end), "expertise", 0.5))
        for s, e, topic_id in sorted(finder.claimed):
            topic = finder.entities[topic_id]
            if topic.cls == "Topic" and phrase_start <= s and e <= phrase_end:
                span = (start, e)
                facts.append(Fact.quoted(org, "about", topic, None, finder.text, span, "expertise-topic", 0.55))
    return facts


def _signings(finder: EntityFinder, agreements: tuple[str, ...]) -> list[Fact]:
    nouns = [w for w, rule in finder.rules.common.items() if rule.cls in agreements]
    if not nouns:
        return []
    pattern = re.compile(rf"^signatures?\s+{_DETERMINER}({alternation(nouns)})(?![\w])")
    facts: list[Fact] = []
    for event in [e for e in finder.entities.values() if e.cls == "Signing"]:
        for mention in [m for m in event.mentions if m.kind == "name"]:
            m = pattern.match(finder.folded[mention.start : mention.end])
            if m is None:
                continue
            agreement = _agreement_named(finder, m.group(1), mention.start)
            if agreement is None and not re.search(r"(?<![\w])(?:ce|cet|cette|ces)\s", m.group(0)):
                # "la signature d'un protocole d'accord entre A et B": the agreement is named here first
                start = mention.start + m.start(1)
                rule = finder.rules.common[m.group(1)]
                agreement = finder.new(finder.text[start : mention.end], rule.cls, rule.confidence, "signing-agreement")
                finder.mention(agreement, start, mention.end)
            if agreement is None:
                continue
            fact = Fact.quoted(
                event, "agreementOf", agreement, None, finder.text, (mention.start, mention.end), "signing-of", 0.6
            )
            fact.resolved = f"{finder.text[mention.start : mention.end]} = signature de {agreement.label}"
            facts.append(fact)
    return facts


def _agreement_named(finder: EntityFinder, noun: str, at: int) -> Entity | None:
    """The agreement whose name starts with ``noun``: the last one named before ``at``, or the only one."""
    candidates = [
        e for e in finder.entities.values() if e.cls != "Signing" and norm(e.label).startswith(noun) and e.mentions
    ]
    before = [e for e in candidates if e.first < at]
    if before:
        return max(before, key=lambda e: max(m.start for m in e.mentions if m.start < at))
    return candidates[0] if len(candidates) == 1 else None


def signed_at(facts: list[Fact], entities: dict[str, Entity], text: str) -> list[Fact]:
    """ "La signature de la feuille de route … était organisée … dans les locaux de X": the signing's
    place is where its agreement was signed (signedAt), quoted from the signing's name to the place."""
    places = [f for f in facts if f.p == "location" and f.o is not None and entities[f.s].cls == "Signing"]
    signed = {f.s: f.o for f in facts if f.p == "agreementOf" and f.o is not None}
    out: list[Fact] = []
    for fact in places:
        agreement = signed.get(fact.s)
        if agreement is None or fact.o is None:
            continue
        span = (fact.start, fact.end)
        derived = Fact.quoted(entities[agreement], "signedAt", entities[fact.o], None, text, span, "signed-at", 0.5)
        derived.resolved = f"{entities[fact.s].label} = signature de {entities[agreement].label}"
        out.append(derived)
    return out
