"""Relations and values from trigger words, entity classes and sentence positions.

For each sentence, each rule of data/relations.yaml whose trigger occurs proposes its
property between two entities mentioned in that sentence, when their classes fit the
rule (and so the ontology's domain and range), both ends stand within the rule's window
of the trigger, and on the side the rule asks. The quote is the sentence (a verbatim
substring, offsets kept): it names both ends, or the proposal records which reference
("cette convention", "Elle") it resolved. Dates attach to the nearest entity of the
rule's class; objectives are the words after "vise à", "afin de"…
"""

from __future__ import annotations

import re
from collections.abc import Callable

from iadef.curation.ontology import Ontology
from iadef.ingest.dating import dates
from iadef.ingest.descriptions import Descriptions
from iadef.ingest.eventbase import DATED, OWN
from iadef.ingest.frames import Frames
from iadef.ingest.lists import complement_of, list_item
from iadef.ingest.literals import Literals, alternation
from iadef.ingest.model import Entity, Fact, Mention
from iadef.ingest.nlp import Analysis
from iadef.ingest.objectives import Objectives
from iadef.ingest.rules import Rules
from iadef.ingest.textutil import BULLET, fold, norm, stable_id, word_pattern

_PRONOUN = re.compile(r"^(?:elle|il|celle-ci|celui-ci|elles|ils|it|they)\b", re.IGNORECASE)


def _inside(mention: Mention, container: Mention) -> bool:
    """``mention`` lies within ``container`` (and is not it)."""
    return container.start <= mention.start and mention.end <= container.end and mention is not container


# "Il y a", "Il faut", "Il s'agit de", "Il est prévu de": an impersonal "il" stands for nothing
_IMPERSONAL = re.compile(r"il\s+(?:y\s+a|faut|s'agit|reste|semble|est\s+\w+\s+(?:de|d'|que|qu'))(?![\w])")
_CONTAINERS = ("local-members", "unit-name", "consortium")  # named through another entity's name
_PRONOUN_CLASSES = ("Agreement", "Programme", "Facility", "Product", "Organization")
_FAR = 1_000_000
_QUI = re.compile(r"(?<![\w])qui\s")
_RELATIVE = re.compile(r"^[^,.;:()]{0,30}?(?:,[^,.;:()]{0,80})?,?\s*(qui)\s")  # a mention, an apposition, "qui"
_BULLET = rf"^{BULLET}*"  # a bullet before a sentence's first word, then maybe a connective and a comma
STRUCTURAL = ("Post", "Mandate")
MAX_QUOTE = 320


class RelationFinder:
    def __init__(
        self,
        analysis: Analysis,
        entities: list[Entity],
        rules: Rules,
        ontology: Ontology,
        literals: Literals,
        year: str | None,
    ) -> None:
        self.a, self.rules, self.onto, self.literals, self.year = analysis, rules, ontology, literals, year
        self.entities = {e.id: e for e in entities if e.rule not in OWN}  # the event rules state what their events say
        self.every = {e.id: e for e in entities}
        self.dated = [(m.start, m.end) for e in entities if e.rule in DATED for m in e.mentions]
        self.folded = fold(analysis.text)
        self.lead = re.compile(rf"{_BULLET}(?:(?:{alternation(rules.connectives) or '(?!)'})\s*,\s*)?")
        self.triggers: dict[str, re.Pattern[str]] = {}
        horizons = "|".join(word_pattern(h) for h in rules.date_horizons) or r"(?!)"
        self.horizon = re.compile(rf"(?:{horizons})\s*$")

    def is_a(self, cls: str, wanted: str, excluded: tuple[str, ...] = ()) -> bool:
        if any(self.onto.is_a(cls, x) for x in excluded):
            return False
        if wanted == "Thing":
            return cls not in STRUCTURAL and cls != "Topic"
        if wanted == "Any":
            return cls not in STRUCTURAL
        return self.onto.is_a(cls, wanted)

    def example_of(self, item: Mention, other: Mention, trigger: int) -> bool:
        """``item`` is in a list of examples ("comme le CEA, l'ONERA et le SHOM") that follows the trigger and
        the other end: what the sentence says of the list's head noun, it says of each item."""
        at = max(other.end, trigger)
        if item.start < at:
            return False
        between = fold(self.a.text[at : item.start])
        intro = _EXAMPLES.search(between)
        if intro is None or "." in between:
            return False
        rest = re.sub(r"\([^()]*\)", "", between[intro.end() :])
        return len(rest) <= 160 and ";" not in rest

    def distance(self, mention: Mention, token: int) -> int:
        """Tokens between a mention's nearer edge and a trigger: a long name does not push its end away."""
        first, last = self.a.token_at(mention.start), self.a.token_at(max(mention.start, mention.end - 1))
        return 0 if first <= token <= last else min(abs(first - token), abs(last - token))

    def relative(self, mention: Mention, trigger: int) -> int:
        """ "Ce supercalculateur classifié, le plus grand d'Europe, qui sera situé au …": the relative pronoun
        stands for the mention before it (past an apposition between commas); the distance counts from it."""
        if trigger <= mention.end:
            return _FAR
        between = self.folded[mention.end : trigger]
        m = _RELATIVE.match(between)
        if m is None:
            return _FAR
        return self.distance(Mention(mention.end + m.start(1), mention.end + m.end(1), "qui"), self.a.token_at(trigger))

    def verb_between(self, a: Mention, b: Mention, trigger: int) -> bool:
        """A verb (not an auxiliary) between the trigger and the farther of the two ends."""
        low = min(a.end, b.end, trigger)
        high = max(a.start, b.start, trigger)
        return any(
            t.pos == "VERB" and low <= t.start and t.end <= high for t in self.a.tokens[self.a.token_at(low) :][:60]
        )

    def agrees(self, pronoun: str, entity: Entity) -> bool:
        """ "Elle" is not "le plan", "Il" is not "la convention": the gender of the entity's head noun
        (data/classes.yaml, genders), when known."""
        head = norm(entity.label).split(" ")[0]
        gender = self.rules.genders.get(head)
        wanted = self.rules.pronoun_genders.get(norm(pronoun))
        return gender is None or wanted is None or gender == wanted

    def trigger_positions(self, words: tuple[str, ...], start: int, end: int) -> list[int]:
        found = []
        for word in words:
            pattern = self.triggers.get(word)
            if pattern is None:
                # a punctuation trigger ("(" of "Bluecime (Grenoble)") has no word boundaries
                body = word_pattern(word) if any(c.isalnum() for c in word) else re.escape(word)
                pattern = self.triggers[word] = re.compile(body)
            found += [
                m.start()
                for m in pattern.finditer(self.folded, start, end)
                if word != "a" or self.a.text[m.start()] in "àÀ"  # the preposition, not "a" of "a notifié"
            ]
        if self.a.parsed:
            lemmas = set(words)
            found += [t.start for t in self.a.tokens if start <= t.start < end and fold(t.lemma) in lemmas]
        return sorted(set(found))

    def mentions_in(self, start: int, end: int) -> list[tuple[Mention, Entity]]:
        out = [(m, e) for e in self.entities.values() for m in e.mentions if m.start >= start and m.end <= end]
        return sorted(out, key=lambda pair: (pair[0].start, pair[1].id))

    def status(self, start: int, end: int) -> str | None:
        for status, words in self.rules.statuses:
            if self.trigger_positions(words, start, end):
                return status
        return None

    def quote(self, start: int, end: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
        """The sentence, or for a long one the clause stretch around the spans."""
        if end - start <= MAX_QUOTE:
            return start, end
        low, high = min(s for s, _ in spans), max(e for _, e in spans)
        text = self.a.text
        left = max(text.rfind(",", start, low), text.rfind(";", start, low))
        right_candidates = [i for i in (text.find(",", high, end), text.find(";", high, end)) if i != -1]
        left = start if left == -1 else left + 1
        right = min(right_candidates) if right_candidates else end
        while left < right and text[left].isspace():
            left += 1
        return left, right

    def fact(
        self,
        s: Entity,
        p: str,
        o: Entity | None,
        v: str | None,
        span: tuple[int, int],
        confidence: float,
        rule: str,
        status: str | None,
        refs: list[Mention],
    ) -> Fact:
        quote = self.a.text[span[0] : span[1]]
        resolved = "; ".join(m.resolved for m in refs if m.kind == "reference" and m.resolved) or None
        ident = stable_id("f", s.id, p, o.id if o else "", v or "", quote)
        return Fact(ident, s.id, p, o.id if o else None, v, status, quote, *span, round(confidence, 2), rule, resolved)

    def run(self) -> list[Fact]:
        facts: list[Fact] = []
        objectives = Objectives(self)
        descriptions = Descriptions(self)
        frames = Frames(self, self.every)
        for index in range(len(self.a.sentences)):
            start, end = self.a.sentence_span(index)
            mentions = self.mentions_in(start, end)
            sites = [m for m, e in mentions if e.cls == "Site" or e.rule in _CONTAINERS]
            titles = [m for m, e in mentions if e.cls == "Post"]  # what a title names is its post's (postIn)
            # "le site de la DGA MI à Bruz", "les acteurs locaux de la BITD", "le groupement A/B", a title: the names
            # inside are not ends of the sentence's other relations (sites.py, consortia.py state what they say)
            free = [(m, e) for m, e in mentions if not any(_inside(m, s) for s in sites)]
            ends = [(m, e) for m, e in free if e.cls == "Post" or not any(_inside(m, t) for t in titles)]
            subject = self.pronoun(index, start, _PRONOUN_CLASSES)  # "Celui-ci a vocation à … grâce à un montant …"
            impersonal = subject is not None and _IMPERSONAL.match(self.folded, subject[0].start)
            if subject is not None and not impersonal and not any(m.start < subject[0].end for m, _ in ends):
                ends.append(subject)
            frame = frames.frame(start, end)  # "Ainsi, …": what the sentence before spoke of is an end here
            ends += [frame] if frame is not None else []
            found = self.relations(start, end, sorted(ends, key=lambda pair: (pair[0].start, pair[1].id)))
            found = frames.kept(found, frame) + dates(self, index, start, end, free)
            found += frames.facts(start, end, frame) if frame else []
            facts += found
            related = {f.s for f in found} | {f.o for f in found if f.o}
            if self.a.text[start:end].rstrip().endswith("?"):
                continue  # a question asserts no property and no aim
            facts += descriptions.run(index, start, end, mentions, related)
            aims = objectives.run(index, start, end, mentions)
            facts += aims + objectives.item_relations(aims, start, end, ends)
            frames.remember(start, end, ends, aims)
        return facts

    def relations(self, start: int, end: int, mentions: list[tuple[Mention, Entity]]) -> list[Fact]:
        out: list[Fact] = []
        nearest: dict[tuple[str, str], list[tuple[int, Fact]]] = {}  # rules that keep one object a subject
        token_of: Callable[[int], int] = self.a.token_at
        for rule in self.rules.relations:
            triggers = self.trigger_positions(rule.triggers, start, end)
            if not triggers:
                continue
            status = self.status(start, end) if rule.status else None
            for sm, s in mentions:
                if not self.is_a(s.cls, rule.subject, rule.exclude_subject):
                    continue
                if rule.skip_complements and complement_of(self.a.text, sm, mentions):
                    continue  # "la Direction … du Commissariat …": the sentence speaks of the Direction
                for om, o in mentions:
                    if o.id == s.id or not self.is_a(o.cls, rule.obj, rule.exclude_object):
                        continue
                    if rule.skip_complements and complement_of(self.a.text, om, mentions):
                        continue
                    if rule.prop == "partnerOf" and sm.start > om.start:
                        continue  # symmetric: once per pair
                    if any(
                        _coordinated(self.a.text, x, y, mentions)
                        for x, a in mentions
                        if a is s
                        for y, b in mentions
                        if b is o
                    ):
                        continue  # "avec la DGA, l'AID et le COMCYBER": items of one list, the AID between or not
                    best = None
                    for trigger in triggers:
                        if (trigger >= sm.start and trigger < sm.end) or (trigger >= om.start and trigger < om.end):
                            continue
                        if rule.not_in_apposition and re.search(r",\s*$", self.a.text[max(0, trigger - 3) : trigger]):
                            continue  # "le PEC, créé en 2014": a participle after a comma says what was made
                        t = token_of(trigger)
                        s_item = rule.examples and self.example_of(sm, om, trigger)
                        o_item = rule.examples and self.example_of(om, sm, trigger)
                        if rule.lists:  # "au sein du ministère, A, B et C": the subject is an item of the list
                            s_item = list_item(self.a.text, sm, om, trigger, mentions)
                            if not s_item:
                                continue
                        if not (
                            (s_item or _side(rule.subject_side, sm, trigger))
                            and (o_item or _side(rule.object_side, om, trigger))
                        ):
                            continue
                        relative = self.relative(sm, trigger)
                        if relative == _FAR and _QUI.search(self.folded[sm.end : max(sm.end, trigger)]):
                            continue  # "livré par la société Exail, qui est installée à Vannes": Exail is
                        s_gap = 0 if s_item else min(self.distance(sm, t), relative)
                        gap = max(s_gap, 0 if o_item else self.distance(om, t))
                        if rule.no_verb_between and self.verb_between(sm, om, trigger):
                            continue
                        if gap <= rule.window and (best is None or gap < best):
                            best = gap
                    if best is None:
                        continue
                    distance = abs(token_of(sm.start) - token_of(om.start))
                    confidence = rule.confidence - min(0.25, distance / 200)
                    span = self.quote(start, end, [(sm.start, sm.end), (om.start, om.end)])
                    fact = self.fact(s, rule.prop, o, None, span, confidence, rule.name, status, [sm, om])
                    if rule.nearest:
                        nearest.setdefault((rule.name, s.id), []).append((best, fact))
                    else:
                        out.append(fact)
        for found in nearest.values():  # "situé au Mont-Valérien à Suresnes": the place nearest the verb
            least = min(gap for gap, _ in found)
            out += [fact for gap, fact in found if gap == least]
        return out

    def subject_for(
        self,
        index: int,
        start: int,
        at: int,
        mentions: list[tuple[Mention, Entity]],
        wanted: tuple[str, ...],
        excluded: tuple[str, ...] = (),
        before: bool = False,
    ) -> tuple[Mention, Entity] | None:
        """The entity of a wanted class nearest ``at`` in the sentence (with ``before``: the nearest
        one before ``at``, else the one a sentence-initial pronoun refers to, else the nearest after)."""
        fitting = [(m, e) for m, e in mentions if any(self.is_a(e.cls, w, excluded) for w in wanted)]
        if before and any(m.end <= at for m, _ in fitting):
            return max(((m, e) for m, e in fitting if m.end <= at), key=lambda pair: pair[0].start)
        if fitting and not (before and _PRONOUN.match(self.lead.sub("", self.folded[start : start + 30]))):
            return min(fitting, key=lambda pair: abs(pair[0].start - at))
        resolved = self.pronoun(index, start, wanted, excluded)
        opens = _PRONOUN.match(self.lead.sub("", self.folded[start : start + 30]))
        if resolved is None and (not opens or self.pronoun(index, start, _PRONOUN_CLASSES) is not None):
            return None  # no pronoun, or one that stands for another ("En effet, il …": the State named before)
        return resolved or (min(fitting, key=lambda pair: abs(pair[0].start - at)) if fitting else None)

    def pronoun(
        self, index: int, start: int, wanted: tuple[str, ...], excluded: tuple[str, ...] = ()
    ) -> tuple[Mention, Entity] | None:
        """A sentence-initial "Elle", "Il", "Celui-ci": the last entity of a wanted class, agreeing in
        gender, named in the five sentences before, as a reference mention. Sentences that open with the
        same pronoun are skipped ("• Elle vise … • Elle permettra … • Elle prévoit …": one antecedent)."""
        text = self.folded[start : start + 30]
        start += len(text) - len(self.lead.sub("", text, count=1))
        pronoun = _PRONOUN.match(self.a.text[start : start + 12])
        if pronoun is None:
            return None
        for back in range(index - 1, max(-1, index - 6), -1):
            s, e = self.a.sentence_span(back)
            same = _PRONOUN.match(self.lead.sub("", self.folded[s : s + 30], count=1))
            if same is not None and same.group().lower() == pronoun.group().lower():
                continue
            previous = [
                (m, x)
                for m, x in self.mentions_in(s, e)
                if any(self.is_a(x.cls, w, excluded) for w in wanted) and self.agrees(pronoun.group(), x)
            ]
            if previous:
                entity = previous[-1][1]
                word = pronoun.group()
                return Mention(start, start + len(word), word, "reference", f"{word} = {entity.label}"), entity
        return None


_EXAMPLES = re.compile(r"(?:,\s*|\s)(?:comme|tels?\s+que|telles?\s+que|notamment|a\s+l'image\s+de|such\s+as)\s")
_LIST_GAP = re.compile(r"^[\s,]*(?:(?:et|ou|and|or)\s+)?(?:l'|la\s|le\s|les\s|du\s|de\sla\s|des\s|the\s)?\s*$")


def _coordinated(text: str, a: Mention, b: Mention, mentions: list[tuple[Mention, Entity]]) -> bool:
    first, second = (a, b) if a.start < b.start else (b, a)
    edges = [first.end]  # the names between: "la DGA, l'AID et le COMCYBER" lists three
    for m in sorted((m for m, _ in mentions if first.end <= m.start and m.end <= second.start), key=lambda m: m.start):
        if m.start >= edges[-1] and not text[edges[-1] : m.start].rstrip().endswith("("):  # not "(AID)"
            edges += [m.start, m.end]
    edges.append(second.start)
    gaps = [re.sub(r"\([^()]*\)", "", fold(text[edges[i] : edges[i + 1]])) for i in range(0, len(edges), 2)]
    if re.search(
        r"(?:entre|between)\s+(?:l'|la\s|le\s|les\s|the\s)?\s*$", fold(text[max(0, first.start - 12) : first.start])
    ):
        return False  # "entre X et Y": the two sides of one agreement
    if not all(_LIST_GAP.match(gap) for gap in gaps):
        return False
    # a list after "avec", "comme", "notamment"…: its items are each related to something else, not to each other
    return bool(
        re.search(
            r"(?:avec|with|comme|notamment|tels? que|dont|aupres)\b", fold(text[max(0, first.start - 60) : first.start])
        )
    )


def _side(side: str, mention: Mention, trigger: int) -> bool:
    if side == "before":
        return mention.end <= trigger
    if side == "after":
        return mention.start >= trigger
    return True
