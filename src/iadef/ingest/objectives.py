"""Objectives: purpose clauses, lists of aims, and the means a gerund list adds.

Three shapes (words in data/relations.yaml, ``objectives``):

* a purpose clause after a trigger ("vise à", "afin de", "permettra de", "en vue de",
  "l'ambition de … est de"): the words after it, to the end of the clause, are an
  objective of the nearest agreement or programme of the sentence (or of the one a
  sentence-initial pronoun refers to). Every trigger of a sentence gives one.
* a list announced by a sentence ending in ":" whose words name aims ("quatre objectifs
  majeurs :", "trois piliers :"): each bullet line that follows, up to the clause end, is
  an objective of the agreement or programme the announcing sentence names; a bullet
  "A : b ; c" gives A, b and c.
* means written as gerunds after an objective ("…, en renforçant X, en utilisant Y et en
  favorisant Z"): each is an objective in the infinitive (the verb's lemma), the rest
  verbatim.

The quote is always the sentence (or the bullet line), verbatim, with its offsets.
"""

from __future__ import annotations

import re

from iadef.ingest.model import Entity, Fact, Mention
from iadef.ingest.reader import RelationFinder
from iadef.ingest.textutil import BULLET, fold, word_pattern

_BULLET = re.compile(rf"^{BULLET}+")
_GERUND = re.compile(r",?\s*(?:et\s+)?en\s+(\w+ant)(?![\w])")
_COORDINATED = re.compile(r",?\s+(?:et|ou)\s+(?:a|de|d')\s*(?=\w)")
_INFINITIVE = re.compile(r"(?:er|ir|re|oir)$")


def _trigger_pattern(trigger: str) -> str:
    """A trigger as a regex; "…" stands for up to eight words ("l'ambition de … est de")."""
    parts = [word_pattern(p) for p in re.split(r"…|\s\.\s", trigger) if p.strip()]  # folding makes "…" a "."
    return r"(?:\s+\S+){0,8}?\s+".join(parts) if len(parts) > 1 else parts[0]


class Objectives:
    def __init__(self, finder: RelationFinder) -> None:
        self.f = finder
        rules = finder.rules
        self.triggers = [re.compile(_trigger_pattern(t)) for t in rules.objective_triggers]
        stops = "|".join(word_pattern(s) for s in rules.objective_stops)
        breaks = "|".join(word_pattern(s) for s in rules.objective_breaks) or r"(?!)"
        participle = r",\s*(?!en\s)[a-z]+ant(?![\w'-])"  # ", envoyant un message …": a participle clause
        self.stop = re.compile(rf"[.;:!?\n]|,\s*(?:{stops})|\s(?:{breaks})|{participle}")
        self.list_words = re.compile("|".join(word_pattern(w) for w in rules.objective_lists) or r"(?!)")
        self.list_subject: tuple[Mention, Entity] | None = None
        self.bullet_alone = False

    def clause_end(self, at: int, end: int, next_trigger: int) -> int:
        folded = self.f.folded
        stop = self.stop.search(folded, at, end)
        value_end = min(stop.start() if stop else end, next_trigger)
        gerund = _GERUND.search(folded, at, value_end)
        if gerund and folded[gerund.start()] == ",":
            value_end = gerund.start()  # ", en renforçant …": means, read separately
        return value_end

    def value(self, start: int, end: int) -> str:
        value = " ".join(self.f.a.text[start:end].split()).strip(" ,")
        return re.sub(r"\s+(?:et|ainsi que|ou)$", "", value)

    def run(self, index: int, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]:
        out = self.triggered(index, start, end, mentions)
        out += self.listed(index, start, end, mentions, bool(out))
        return out

    def triggered(self, index: int, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]:
        folded = self.f.folded
        found: list[tuple[int, int]] = []
        for pattern in self.triggers:
            for m in pattern.finditer(folded, start, end):
                if all(m.end() <= a or m.start() >= b for a, b in found):
                    found.append((m.start(), m.end()))
        found.sort()
        out: list[Fact] = []
        for number, (_, value_start) in enumerate(found):
            next_trigger = found[number + 1][0] if number + 1 < len(found) else end
            value_end = self.clause_end(value_start, end, next_trigger)
            if len(self.value(value_start, value_end).split()) < 3:
                continue
            pair = self.f.subject_for(index, start, value_start, mentions, self.f.rules.objective_subjects, before=True)
            if pair is None:
                continue
            for a, b in self.coordinated(value_start, value_end):
                for x, y, rule in self.aims_in_brackets(a, b, "objective"):
                    out.append(self.fact(pair, self.value(x, y), start, end, (x, y), rule))
            out += self.means(pair, value_end, min(next_trigger, end), start, end)
        return out

    def coordinated(self, start: int, end: int) -> list[tuple[int, int]]:
        """ "stimuler X et à créer Y": one objective per infinitive joined by "et à", "et de"."""
        tokens, out, at = self.f.a.tokens, [], start
        for m in _COORDINATED.finditer(self.f.folded, start, end):
            verb = tokens[self.f.a.token_at(m.end())]
            if verb.pos in ("VERB", "AUX") and _INFINITIVE.search(fold(verb.text)):
                out.append((at, m.start()))
                at = m.end()
        out.append((at, end))
        return [(a, b) for a, b in out if len(self.value(a, b).split()) >= 2]

    def aims_in_brackets(self, start: int, end: int, rule: str) -> list[tuple[int, int, str]]:
        """ "soutenir les acteurs … leurs activités (programmes de recherche duale, projets collaboratifs …)":
        a closing list in brackets whose every item is a phrase of three words or more lists aims, each one
        more objective, and the objective ends before it; a list of short items ("(sous-traitance,
        recherche et innovation, ressources humaines)") gives examples and stays in the objective."""
        text = self.f.a.text
        inner = re.search(r"\s*\(([^()]+)\)\s*$", text[start:end])
        if inner is None:
            return [(start, end, rule)]
        items = [m for m in re.finditer(r"[^,;]+", inner.group(1))]
        words = [m.group().split() for m in items]
        if len(items) < 2 or any(len(w) < 3 for w in words) or fold(words[0][0]) in ("en", "dont", "notamment"):
            return [(start, end, rule)]
        at = start + inner.start(1)
        out = [(start, start + inner.start(), rule)]
        for m in items:
            lead = len(m.group()) - len(m.group().lstrip())
            out.append((at + m.start() + lead, at + m.end(), f"{rule}-bracketed"))
        return out

    def means(self, pair: tuple[Mention, Entity], at: int, limit: int, start: int, end: int) -> list[Fact]:
        """ ", en renforçant X, en utilisant Y et en favorisant Z" after an objective."""
        folded, tokens = self.f.folded, self.f.a.tokens
        out: list[Fact] = []
        gerunds = [m for m in _GERUND.finditer(folded, at, limit)]
        if not gerunds or gerunds[0].start() != at:
            return out
        for number, m in enumerate(gerunds):
            stop = gerunds[number + 1].start() if number + 1 < len(gerunds) else limit
            stop = min(stop, self.clause_end(m.end(), end, limit))
            lemma = tokens[self.f.a.token_at(m.start(1))].lemma
            if not _INFINITIVE.search(lemma) or not self.f.a.parsed:
                continue
            rest = self.value(m.end(1), stop)
            if len(rest.split()) < 2:
                continue
            out.append(self.fact(pair, f"{lemma} {rest}", start, end, (m.start(1), stop), "objective-means", 0.1))
        return out

    def listed(
        self, index: int, start: int, end: int, mentions: list[tuple[Mention, Entity]], triggered: bool
    ) -> list[Fact]:
        text = self.f.a.text
        sentence = text[start:end]
        if sentence.rstrip().endswith(":") and self.list_words.search(self.f.folded, start, end):
            self.list_subject = self.f.subject_for(
                index, start, end, mentions, self.f.rules.objective_subjects, before=True
            )
            return []
        bullet = _BULLET.match(sentence)
        if bullet is not None and bullet.end() == len(sentence):
            self.bullet_alone = True  # the parser cut "•" from its item: the next sentence is the item
            return []
        after_bullet, self.bullet_alone = self.bullet_alone, False
        if after_bullet:
            bullet = re.match(r"", sentence)
        elif bullet is None or not bullet.group().strip():
            if index and "\n" in text[self.f.a.sentence_span(index - 1)[1] : start]:
                self.list_subject = None  # a new line without a bullet ends the list
            return []
        if self.list_subject is None or triggered or any(e is self.list_subject[1] for _, e in mentions):
            return []  # a bullet that names the subject is a sentence about it, not an item
        item_start = start + (bullet.end() if bullet else 0)
        out: list[Fact] = []
        for piece in re.finditer(r"[^:;]+", text[item_start:end]):
            piece_start = item_start + piece.start() + len(piece.group()) - len(piece.group().lstrip())
            piece_end = self.clause_end(piece_start, item_start + piece.end(), item_start + piece.end())
            value = self.value(piece_start, piece_end)
            if len(value.split()) < 3:
                continue
            out.append(
                self.fact(self.list_subject, value, start, end, (piece_start, piece_end), "objective-list", 0.05)
            )
        return out

    def item_relations(self, aims: list[Fact], start: int, end: int, ends: list[tuple[Mention, Entity]]) -> list[Fact]:
        """ "• Renforcer la cyberdéfense, en cohérence avec la LPM": the list's subject is the implicit subject
        of an aim's item, so the item's other relations of that subject are read too (a reference there)."""
        if self.list_subject is None or not any(f.rule == "objective-list" for f in aims):
            return []
        mention, entity = self.list_subject
        said = f"the list announced by « {mention.text} » = {entity.label}"
        implicit = Mention(start, start, "", "reference", said)
        found = self.f.relations(start, end, [(implicit, entity), *[pair for pair in ends if pair[1] is not entity]])
        return [f for f in found if f.s == entity.id and f.p != "beneficiary"]  # an aim's: benefits.py

    def fact(
        self,
        pair: tuple[Mention, Entity],
        value: str,
        start: int,
        end: int,
        value_span: tuple[int, int],
        rule: str,
        penalty: float = 0.0,
    ) -> Fact:
        mention, entity = pair
        inside = start <= mention.start and mention.end <= end
        spans = [(mention.start, mention.end), value_span] if inside else [value_span]
        span = self.f.quote(start, end, spans)
        refs = [mention] if inside or mention.kind == "reference" else []
        fact = self.f.fact(
            entity, "objective", None, value, span, self.f.rules.objective_confidence - penalty, rule, None, refs
        )
        if not inside and mention.kind != "reference":
            fact.resolved = f"the list announced by « {mention.text} » = {entity.label}"
        return fact
