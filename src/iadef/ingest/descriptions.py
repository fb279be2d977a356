"""Descriptions: what a sentence says an entity is or does, as free text.

Two shapes (words in data/relations.yaml, ``descriptions``):

* the predicate of a sentence whose subject is the entity ("La stratégie … se déploie à
  marche soutenue", "Celle-ci est essentiellement axée sur …", "Ce calculateur ne sera
  pas connecté à internet"): the words from the verb to the end of the clause. The subject
  is a mention at the start of the sentence (after a determiner and at most one
  adjective) or a sentence-initial pronoun resolved to the entity; a sentence whose
  subject already gets a relation from the rules, or whose verb is a purpose trigger,
  gives no description (it states a relation or an objective, not a property).
* an apposition right after a mention ("Ce supercalculateur classifié, le plus grand
  d'Europe, qui …", "Cette convention, essentiellement axée sur …, permettra"): the words
  between the commas, when they start with an adverb, an adjective, a participle or one of
  ``apposition_starts``, and name no other entity.

The quote is the sentence, verbatim; a resolved pronoun is recorded.
"""

from __future__ import annotations

import re

from iadef.ingest.model import Entity, Fact, Mention
from iadef.ingest.nlp import Token
from iadef.ingest.reader import RelationFinder
from iadef.ingest.textutil import norm, word_pattern

_LEAD = re.compile(r"^[\s•·*«\"'\-–—]*(?:(?:le|la|les|l'|ce|cet|cette|ces|un|une|notre)\s*)?(?:[\w-]+\s+)?$")
_APPOSITION = re.compile(r"^\s*,\s*([^,;.()«»:]{6,160}?)\s*(?=,|\.|;|$)")
_PRONOUN = re.compile(r"^[\s•·*\-–—]*(?:celle-ci|celui-ci|elle|il)\b", re.IGNORECASE)


class Descriptions:
    def __init__(self, finder: RelationFinder) -> None:
        self.f = finder
        rules = finder.rules
        self.subjects = rules.description_subjects
        starts = "|".join(word_pattern(w) for w in rules.apposition_starts) or r"(?!)"
        self.starts = re.compile(rf"^(?:{starts})")
        stops = "|".join(word_pattern(w) for w in rules.objective_triggers) or r"(?!)"
        self.stop = re.compile(rf"[.;:!?\n»]|\s+et\s+(?:{stops})|\s*,?\s*(?:{stops})")

    def fits(self, entity: Entity) -> bool:
        return any(self.f.is_a(entity.cls, c) for c in self.subjects) and entity.cls not in ("Person", "Topic")

    def run(
        self, index: int, start: int, end: int, mentions: list[tuple[Mention, Entity]], related: set[str]
    ) -> list[Fact]:
        return (
            self.predicate(index, start, end, mentions, related)
            + self.appositions(start, end, mentions)
            + self.epithets(start, end, mentions)
        )

    def epithets(self, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]:
        """ "la pépite française de l'intelligence artificielle" standing for Mistral AI: a reference noun
        with its modifiers says what the entity is."""
        tokens, text = self.f.a.tokens, self.f.a.text
        out: list[Fact] = []
        for mention, entity in mentions:
            if mention.kind != "reference" or norm(mention.text) not in self.f.rules.references:
                continue
            if not mention.text.islower():
                continue  # "l'Agence ministérielle …": a name, not a common noun standing for one
            index, stop = self.f.a.token_at(mention.end), mention.end
            while index < len(tokens) and tokens[index].start < mention.end:
                index += 1
            if index >= len(tokens) or tokens[index].pos != "ADJ":
                continue  # no epithet: "la région pour les personnels" says nothing of the region
            previous = "NOUN"
            names = {m.start for m, e in mentions if m.kind == "name" and e.cls != "Topic"}
            for token in tokens[index : index + 10]:
                if token.pos not in ("ADJ", "ADP", "DET", "NOUN", "PROPN") or not token.text.strip():
                    break
                if token.start in names:
                    break  # "la start-up parisienne Harmattan AI": the name is not its own epithet
                if token.pos == "DET" and previous != "ADP":
                    break  # "… sous-marine la maintenance": a new noun phrase
                stop, previous = token.end, token.pos
            phrase_start = text.rfind(" ", max(start, mention.start - 6), mention.start) + 1 or mention.start
            value = " ".join(text[phrase_start:stop].split()).rstrip(" ,")
            value = re.sub(r"\s+(?:de|du|des|d'|la|le|les|l'|en|à)$", "", value)
            if len(value.split()) >= 4:
                out.append(self.fact((mention, entity), value, start, end, (phrase_start, stop), "description-epithet"))
        return out

    def lead_of(self, start: int, end: int) -> int:
        """The length of a bullet and a connective before the sentence's subject ("En effet, elle …")."""
        folded = self.f.folded[start:end]
        return len(folded) - len(self.f.lead.sub("", folded, count=1))

    def predicate(
        self, index: int, start: int, end: int, mentions: list[tuple[Mention, Entity]], related: set[str]
    ) -> list[Fact]:
        text, folded, tokens = self.f.a.text, self.f.folded, self.f.a.tokens
        pair: tuple[Mention, Entity] | None = None
        after = start
        if text[start:end].rstrip().endswith(":"):
            return []  # "La convention poursuit quatre objectifs :": it announces a list
        if mentions and _LEAD.match(folded[start : mentions[0][0].start]):
            pair, after = mentions[0], mentions[0][0].end
        elif pronoun := _PRONOUN.match(text[start + self.lead_of(start, end) : end]):  # "Non, il revêt …"
            pair = self.f.subject_for(index, start, start, [], self.f.rules.objective_subjects)
            after = start + self.lead_of(start, end) + pronoun.end()
        if pair is None or not self.fits(pair[1]):
            return []
        index = self.f.a.token_at(after)
        while index + 1 < len(tokens) and _modifier(tokens, index):
            after, index = tokens[index].end, index + 1  # "Ce supercalculateur classifié, …": not its verb
        apposed = _APPOSITION.match(text[after:end])
        if apposed and text[after + apposed.end() : after + apposed.end() + 1] == ",":
            after += apposed.end() + 1  # "Cette convention, axée sur …, permettra": skip the apposition
        first = self.f.a.token_at(after)
        while first < len(tokens) and not tokens[first].text.strip():
            first += 1
        if first >= len(tokens) or tokens[first].start >= end:
            return []
        if tokens[first].pos not in ("VERB", "AUX") and fold_word(tokens[first].text) not in ("ne", "n'", "se", "s'"):
            return []
        verbs = [t for t in tokens[first : first + 4] if t.pos == "VERB" and t.start < end]
        if verbs and norm(verbs[0].lemma) in self.f.rules.description_skip_verbs:
            return []  # "a été signée hier": an event (a date, a status), not what the entity is
        copula = (
            fold_word(tokens[first].lemma) == "être"
            and not any(  # "sera piloté par": a passive, no copula
                t.pos == "VERB" and t.dep != "cop" for t in tokens[first + 1 : first + 3] if t.start < end
            )
        )
        if pair[1].id in related and not copula:
            return []  # the sentence states a relation of the subject; "X est …" still says what X is
        if self.f.is_a(pair[1].cls, "Actor") and not copula:
            return []  # an actor's action is a relation or an event; only what it *is* describes it
        value_start = tokens[first].start
        stop = self.stop.search(folded, value_start, end)
        if stop is not None and stop.start() == value_start:
            return []  # "vise à …", "permettra de …": an objective
        value_end = stop.start() if stop else end
        value = " ".join(text[value_start:value_end].split()).strip(" ,")
        if len(value.split()) < 3:
            return []
        return [self.fact(pair, value, start, end, (value_start, value_end), "description-predicate")]

    def appositions(self, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]:
        text, folded = self.f.a.text, self.f.folded
        out: list[Fact] = []
        for mention, entity in mentions:
            if not self.fits(entity):
                continue
            after = mention.end
            tokens = self.f.a.tokens
            index = self.f.a.token_at(after)
            while index + 1 < len(tokens) and _modifier(tokens, index):
                after, index = tokens[index].end, index + 1  # "Ce supercalculateur classifié, le plus grand …"
            m = _APPOSITION.match(text[after:end])
            if m is None:
                continue
            a, b = after + m.start(1), after + m.end(1)
            if any(
                x.start < b and x.end > a and not self.f.is_a(y.cls, "Place") and y.cls != "Topic" for x, y in mentions
            ):
                continue  # names another entity: an enumeration or a second name, not a description
            token = self.f.a.tokens[self.f.a.token_at(a)]
            subject = bool(_LEAD.match(folded[start : mention.start]))
            if not self.starts.match(folded[a:b]) and not (subject and token.pos in ("ADV", "ADJ", "VERB")):
                continue  # a participle after a name inside a longer phrase may qualify the phrase, not the name
            value = " ".join(text[a:b].split())
            if len(value.split()) >= 3:
                out.append(self.fact((mention, entity), value, start, end, (a, b), "description-apposition"))
        return out

    def fact(
        self, pair: tuple[Mention, Entity], value: str, start: int, end: int, span: tuple[int, int], rule: str
    ) -> Fact:
        mention, entity = pair
        inside = start <= mention.start and mention.end <= end
        spans = [(mention.start, mention.end), span] if inside else [span]
        quote = self.f.quote(start, end, spans)
        return self.f.fact(
            entity, "description", None, value, quote, self.f.rules.description_confidence, rule, None, [mention]
        )


def fold_word(word: str) -> str:
    return word.lower().replace("’", "'")


def _modifier(tokens: list[Token], index: int) -> bool:
    """A lower-case adjective or participle right after a name and before a comma or another such word
    ("supercalculateur classifié, …"): part of the noun phrase, not its verb."""
    token, following = tokens[index], tokens[index + 1]
    if token.pos not in ("ADJ", "VERB") or not token.text.islower():
        return False
    return token.pos == "ADJ" or following.text == ","
