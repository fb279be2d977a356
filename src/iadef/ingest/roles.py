"""A name the NER calls a place but the sentence makes act like an organisation.

"Exail signe un contrat avec la DGA", "Kalray a levé 20 millions d'euros": places do not sign,
buy, raise funds or hire. A new entity the NER labelled LOC (class City by default) whose
mention is the subject (``nsubj``) of one of the verbs of data/classes.yaml ``actor_verbs``
(compared by lemma, or by form where the lemmatiser fails) is an Organization instead, with a
lower confidence; the curator sees the rule that said so. Known places (from the graph or the
lists of countries and regions) keep their class.
"""

from __future__ import annotations

import re

from iadef.ingest.entities import EntityFinder
from iadef.ingest.textutil import fold, norm


def acting_places(finder: EntityFinder) -> None:
    if not finder.a.parsed or not finder.rules.actor_verbs:
        return
    tokens = finder.a.tokens
    verbs = set(finder.rules.actor_verbs)
    for entity in finder.entities.values():
        if entity.cls != "City" or entity.existing is not None or not entity.rule.startswith("ner-"):
            continue
        for mention in entity.mentions:
            inside = [t for t in tokens if mention.start <= t.start < mention.end]
            if any(
                t.dep == "nsubj"
                and tokens[t.head].pos == "VERB"
                and verbs & {fold(tokens[t.head].lemma), fold(tokens[t.head].text)}
                for t in inside
            ):
                entity.cls, entity.confidence, entity.rule = "Organization", 0.4, "ner-loc-acting"
                break


_ADDRESS = re.compile(r"(?<!\d)\d{5}(?!\d)|^\s*\d+\s*(?:bis|ter)?\s*,")
_SHAPED = re.compile(r"^(?:[A-ZÀ-Ý][a-zà-ÿ]+[A-Z][\w]*|[A-Z][A-Z0-9]{1,9}|[A-ZÀ-Ý][\w-]{2,})$")


def bare_names(finder: EntityFinder) -> None:
    """Proper nouns the NER left or called MISC ("Definvest", "CILAS"): a run of capitalised PROPN tokens
    that no PER/ORG/LOC span and no entity covers is an Organization of low confidence (rule ``propn``),
    for the curator to class; not at a sentence's start unless its shape marks a name (inner capitals, an
    acronym), not a known word of the lists (references, stop words), not on an address line."""
    if not finder.a.parsed:
        return
    tokens, starts = finder.a.tokens, {finder.a.tokens[first].i for first, _ in finder.a.sentences}
    index = 0
    while index < len(tokens):
        run = []
        while index < len(tokens) and tokens[index].pos == "PROPN" and _SHAPED.match(tokens[index].text):
            run.append(tokens[index])
            index += 1
        index += 0 if run else 1
        if not run or finder.owner(run[0].start, run[-1].end) is not None:
            continue
        if any(e.start < run[-1].end and e.end > run[0].start and e.label != "MISC" for e in finder.a.ents):
            continue  # the NER named it a person, body or place; the finder decided (a byline, a title…)
        text = finder.text[run[0].start : run[-1].end]
        line_start = finder.text.rfind("\n", 0, run[0].start) + 1
        line_end = finder.text.find("\n", run[-1].end)
        if _ADDRESS.search(finder.text[line_start : line_end if line_end >= 0 else len(finder.text)]):
            continue  # "60, boulevard du général Martial Valin", "CS 21623 - 75009 Paris Cedex 15": an address
        initial = run[0].i in starts and not re.search(r"[a-z][A-Z]|^[A-Z]{2,}", text)
        if initial or norm(text) in finder.rules.not_entities or norm(text) in finder.rules.references:
            continue
        finder.mention(finder.new(text, "Organization", 0.35, "propn"), run[0].start, run[-1].end)
