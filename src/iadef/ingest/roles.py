"""A name the NER calls a place but the sentence makes act like an organisation.

"Exail signe un contrat avec la DGA", "Kalray a levé 20 millions d'euros": places do not sign,
buy, raise funds or hire. A new entity the NER labelled LOC (class City by default) whose
mention is the subject (``nsubj``) of one of the verbs of data/classes.yaml ``actor_verbs``
(compared by lemma, or by form where the lemmatiser fails) is an Organization instead, with a
lower confidence; the curator sees the rule that said so. Known places (from the graph or the
lists of countries and regions) keep their class.
"""

from __future__ import annotations

from iadef.ingest.entities import EntityFinder
from iadef.ingest.textutil import fold


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
