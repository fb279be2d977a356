"""Finding the entities of an article: known ones first, then new ones.

Order of precedence (a span claimed by an earlier step is not claimed again):
  1. the gazetteer (curated entities, folded names, acronyms as written);
  2. acronym definitions in the text, which tie the two forms to one entity;
  3. NER spans (PER, ORG, LOC, MISC), classed by head words (data/classes.yaml), with
     bylines, photo credits, media and page furniture dropped (data/stoplists.yaml);
  4. subject areas (topics) and common nouns naming an agreement or a facility
     ("la convention", "l'accord-cadre"), whose later mentions ("cette convention")
     are references to the same entity.
"""

from __future__ import annotations

import re

from iadef.ingest.acronyms import tie_definitions
from iadef.ingest.gazetteer import Gazetteer
from iadef.ingest.literals import Literals
from iadef.ingest.model import Entity, Mention
from iadef.ingest.nlp import Analysis
from iadef.ingest.references import (
    called_name_step,
    headed_name_step,
    is_date,
    named_noun_step,
    nested_topic_claims,
    reference_step,
)
from iadef.ingest.ruleio import ClassRule
from iadef.ingest.rules import Rules
from iadef.ingest.spellings import spelling_step
from iadef.ingest.textutil import clean_span, fold, norm, stable_id, word_pattern
from iadef.ingest.units import unit_step

_DETERMINERS = re.compile(r"^(?:l['’]\s*|la\s+|le\s+|les\s+|un\s+|une\s+|des\s+|du\s+|d['’]\s*|the\s+)", re.IGNORECASE)
_STOP_RIGHT = {
    "entre",
    "avec",
    "afin",
    "par",
    "pour",
    "qui",
    "que",
    "dont",
    "a",
    "au",
    "aux",
    "dans",
    "sur",
    "et",
    "ou",
    "est",
    "sera",
    "vise",
    "ne",
    "se",
    "s'",
}
REFERENCE_WORDS = ("accord", "accords")
_DANGLING = re.compile(r"\s+(?:de\s+la|de\s+l['’]?|de|du|des|d['’]?|la|le|les|l['’]?|et|en|à|a)$", re.IGNORECASE)
_UNIT_SUFFIX = re.compile(r"[ \t]+[A-Z]{2,4}(?![\w'’-])")
_NAME_ADJECTIVE = re.compile(r"[ \t]+([a-z]+)(?![\w'-])")
_PROGRAMMES = ("Programme", "Plan", "Strategy")
_STREET = re.compile(
    r"(?<![\w])(?:rue|boulevard|bd|avenue|place|quai|allee|impasse|chemin|cours)\s+(?:du |de la |de l'|des |de )?"
    r"(?:general |marechal |colonel |commandant |docteur |president |saint |sainte )?$"
)
_DEMONSTRATIVE = re.compile(r"(?<![\w])(?:ce|cet|cette|ces)\s*$")


class EntityFinder:
    def __init__(self, analysis: Analysis, gazetteer: Gazetteer, rules: Rules) -> None:
        self.a, self.g, self.rules = analysis, gazetteer, rules
        self.text = analysis.text
        self.folded = fold(self.text)
        self.entities: dict[str, Entity] = {}
        self.claimed: list[tuple[int, int, str]] = []  # start, end, entity id
        self.literals = Literals(rules)

    # -- helpers
    def owner(self, start: int, end: int) -> str | None:
        for s, e, ident in self.claimed:
            if start < e and end > s:
                return ident
        return None

    def named_at(self, at: int, slack: int = 0) -> tuple[int, int, Entity] | None:
        """The entity whose mention starts at ``at`` (or up to ``slack`` characters later), longest first."""
        found = [(s, e, self.entities[ident]) for s, e, ident in self.claimed if at <= s <= at + slack and e > s]
        found.sort(key=lambda x: (x[0], -x[1]))
        return found[0] if found else None

    def mention(self, entity: Entity, start: int, end: int, kind: str = "name", resolved: str | None = None) -> None:
        start, end = clean_span(self.text, start, end)
        if start >= end:
            return
        entity.add(Mention(start, end, self.text[start:end], kind, resolved))
        self.claimed.append((start, end, entity.id))

    def known(self, key: str) -> Entity:
        ident = stable_id("e", "key", key)
        if ident not in self.entities:
            entry = self.g.known[key]
            self.entities[ident] = Entity(ident, entry.label, entry.cls, key, 0.95, "gazetteer")
        return self.entities[ident]

    def new(self, label: str, cls: str, confidence: float, rule: str) -> Entity:
        ident = stable_id("e", cls, norm(label))
        entity = self.entities.get(ident)
        if entity is None:
            entity = self.entities[ident] = Entity(ident, label, cls, None, confidence, rule)
        return entity

    def classify(self, text: str, label: str) -> ClassRule | None:
        folded = norm(text)
        if folded in self.rules.countries:
            return ClassRule("Country", 0.85)
        if folded in self.rules.territories:
            return ClassRule("Territory", 0.8)
        words = folded.split(" ")
        for size in (2, 1):
            head = " ".join(words[:size])
            if len(words) >= size and head in self.rules.heads:
                return self.rules.heads[head]
        if len(words) > 1 and words[-1] in self.rules.suffixes:
            return self.rules.suffixes[words[-1]]
        default = self.rules.labels.get(label)
        if default is not None and default.cls == "Person" and len(words) < 2:
            return ClassRule("Person", 0.4)
        return default

    # -- steps
    def run(self) -> list[Entity]:
        self.gazetteer_step()
        self.acronym_step()
        named_noun_step(self)
        called_name_step(self)  # before the NER: « Argos » after "nommé" is a product, not a town
        self.ner_step()
        spelling_step(self)
        headed_name_step(self)
        self.place_step()
        self.topic_step()
        self.common_step()
        unit_step(self)
        reference_step(self)
        return sorted(self.entities.values(), key=lambda e: (e.first, e.id))

    def gazetteer_step(self) -> None:
        for match in self.g.find(self.text):
            unit = _UNIT_SUFFIX.match(self.text, match.end) if match.acronym else None
            if unit is not None:  # "DGA MI": a unit of the DGA, not the DGA itself
                known = self.g.known[match.key]
                label = self.text[match.start : unit.end()]
                self.mention(self.new(label, known.cls, 0.6, "acronym-unit"), match.start, unit.end(), "acronym")
                continue
            self.mention(self.known(match.key), match.start, match.end, "acronym" if match.acronym else "name")

    def acronym_step(self) -> None:
        tie_definitions(self)

    def ner_step(self) -> None:
        for span in self.a.ents:
            for start, end in self._pieces(span.start, span.end):
                self._ner_span(start, end, span.label)

    def _pieces(self, start: int, end: int) -> list[tuple[int, int]]:
        out = []
        offset = start
        for piece in re.split(r"\n", self.text[start:end]):
            s, e = clean_span(self.text, offset, offset + len(piece))
            head = _DETERMINERS.match(self.text[s:e])
            if head:
                s += head.end()
            tail = _DANGLING.search(self.text[s:e])
            if tail:  # "Direction technique de l'": the NER stopped inside a name
                e = s + tail.start()
            adjective = _NAME_ADJECTIVE.match(self.folded, e)
            if adjective and adjective.group(1) in self.rules.name_adjectives:
                e = adjective.end()  # "Campus Cyber régional": the adjective is part of the name
            if e - s >= 2:
                out.append((s, e))
            offset += len(piece) + 1
        return out

    def _ner_span(self, start: int, end: int, label: str) -> None:
        text = self.text[start:end]
        folded = norm(text)
        if self.owner(start, end) is not None or folded in self.rules.not_entities or folded in self.rules.media:
            return
        if folded in self.rules.references:
            return  # "le Conseil régional", "la Région": a head word alone stands for a body named elsewhere
        if folded.split(" ")[0] in {t.split(" ")[0] for t in self.rules.titles}:
            return  # a title ("ministre des Armées"): the post rule reads it
        if self._byline(start) or self._cited_media(start, end) or is_date(self, start, end):
            return
        if _STREET.search(self.folded[max(0, start - 40) : start]):
            return  # "60, boulevard du général Martial Valin": a street's name, not a person or a body
        tokens = [t for t in self.a.tokens if t.start >= start and t.end <= end]
        if len(tokens) == 1 and tokens[0].pos in ("NOUN", "VERB", "ADV", "ADJ"):
            return  # a capitalised common noun ("Armées") or a verb starting a line ("Renforcer"), not a name
        rule = self.classify(text, label)
        before = re.search(
            r"(?:^|\s)(?:la|le|l'|du|de\s+la|au)\s*([\w-]+)\s+$", self.folded[max(0, start - 30) : start]
        )
        if before and before.group(1) in self.rules.heads and len(text.split()) <= 3:
            rule = self.rules.heads[before.group(1)]  # "la société Exail": the head word before the name
        if rule is None and not self.a.parsed:
            rule = ClassRule("Organization", 0.35)  # no model: a capitalised span, class unknown
        if rule is None:
            return
        key = self.g.lookup(text)
        if key is not None:
            self.mention(self.known(key), start, end)
            return
        squeezed = re.sub(r"[\s'-]", "", folded)
        for entity in list(self.entities.values()):
            if any(re.sub(r"[\s'-]", "", norm(m.text)) == squeezed for m in entity.mentions if m.kind == "name"):
                self.mention(entity, start, end)  # "AuvergneRhône-Alpes": a spelling of a name already found
                return
        if rule.cls == "Person":
            for entity in self.entities.values():
                if entity.cls == "Person" and entity.existing is None and folded in norm(entity.label).split(" "):
                    self.mention(entity, start, end)
                    return
        self.mention(self.new(text, rule.cls, rule.confidence, f"ner-{label.lower()}"), start, end)

    def _byline(self, start: int) -> bool:
        line_start = self.text.rfind("\n", 0, start) + 1
        before = norm(self.text[line_start:start]).rstrip(" :-")
        return any(before == p or before.startswith(p + " ") for p in self.rules.byline_prefixes) or before in (
            "©",
            "(c)",
        )

    def _cited_media(self, start: int, end: int) -> bool:
        before = norm(self.text[max(0, start - 20) : start])
        after = self.text[end : end + 1]
        cited = any(before.endswith(p) for p in self.rules.source_prefixes)
        return cited and after in ("", ")", ",", ".") and norm(self.text[start:end]) in self.rules.media

    def place_step(self) -> None:
        """Countries and territories of data/classes.yaml the NER missed ("en région parisienne")."""
        for cls, names in (("Country", self.rules.countries), ("Territory", self.rules.territories)):
            for name in sorted(names, key=lambda t: (-len(t), t)):
                for m in re.finditer(word_pattern(name), self.folded):
                    if self.owner(m.start(), m.end()) is None:
                        label = self.text[m.start() : m.end()]
                        key = self.g.lookup(label)
                        self.mention(self.known(key) if key else self.new(label, cls, 0.7, "place-name"), *m.span())

    def topic_step(self) -> None:
        for topic in sorted(self.rules.topics, key=lambda t: (-len(t), t)):
            for m in re.finditer(word_pattern(topic), self.folded):
                if nested_topic_claims(self, m.start(), m.end()):
                    key = self.g.lookup(self.text[m.start() : m.end()])
                    entity = self.known(key) if key else self.new(topic, "Topic", 0.6, "topic")
                    self.mention(entity, m.start(), m.end())

    def common_step(self) -> None:
        occurrences: list[tuple[int, int, str]] = []
        for word in self.rules.common:
            for m in re.finditer(word_pattern(word).replace(r"(?![\w])", r"s?(?![\w])"), self.folded):
                if self.text[m.start() : m.end()].lower().startswith(self.rules.accented.get(word, "")):
                    occurrences.append((m.start(), m.end(), word))  # "à marche soutenue": no marché
        for word in REFERENCE_WORDS:
            for m in re.finditer(word_pattern(word), self.folded):
                occurrences.append((m.start(), m.end(), ""))
        for word in self.rules.demonstrative_references:
            for m in re.finditer(word_pattern(word), self.folded):
                if _DEMONSTRATIVE.search(self.folded[max(0, m.start() - 8) : m.start()]):
                    occurrences.append((m.start(), m.end(), "§"))
        last_agreement: Entity | None = None
        last_held: Entity | None = None  # the last agreement or programme: what "ce partenariat" can be
        by_word: dict[str, Entity] = {}
        for start, end, word in sorted(occurrences):
            owner = self.owner(start, end)
            if owner is not None:
                entity = self.entities[owner]
                if (
                    word
                    and word != "§"
                    and (word not in self.rules.common or entity.cls == self.rules.common[word].cls)
                ):
                    by_word.setdefault(word, entity)  # not "partenariat" inside "convention de partenariat"
                last_agreement = entity if _agreement(entity.cls) else last_agreement
                last_held = entity if _agreement(entity.cls) or entity.cls in _PROGRAMMES else last_held
                continue
            if word == "§":  # "ce partenariat": the last agreement or programme named
                if last_held is not None:
                    self.mention(last_held, start, end, "reference", self._resolution(start, end, last_held))
                continue
            if not word:  # "l'accord": the last agreement named
                if last_agreement is not None:
                    self.mention(last_agreement, start, end, "reference", self._resolution(start, end, last_agreement))
                continue
            label_end = self._phrase_end(start, end)
            named = label_end > end and not _DEMONSTRATIVE.search(self.folded[max(0, start - 8) : start])
            if word in self.rules.named_only and not (
                named
                and self.folded[start:end] == word
                and re.search(r"\s(?:autour|sur|pour|en matiere|dans le domaine|«)", self.folded[end:label_end])
            ):
                continue  # "toutes formes de partenariats", "un partenariat majeur": no one partnership is named
            if (
                word in by_word
                and named
                and word in self.rules.distinct
                and norm(self.text[start:label_end]) != norm(by_word[word].label)
            ):
                by_word.pop(word)  # "le plan France 2030" after "le plan X": another plan
            if word in by_word:
                entity = by_word[word]
                if named:  # "une Feuille de route commune État-Région…": a longer name of the same one
                    self.mention(entity, start, label_end)
                else:
                    self.mention(entity, start, end, "reference", self._resolution(start, end, entity))
            else:
                rule = self.rules.common[word]
                entity = by_word[word] = self.new(self.text[start:label_end], rule.cls, rule.confidence, "common-noun")
                self._absorb(entity, start, label_end)
                self.mention(entity, start, label_end)
            last_agreement = entity if _agreement(entity.cls) else last_agreement
            last_held = entity if _agreement(entity.cls) or entity.cls in _PROGRAMMES else last_held

    def _absorb(self, entity: Entity, start: int, end: int) -> None:
        """ "le plan Horizon 2027": the NER's "Horizon 2027" of the same class is this entity's name, not another."""
        for s, e, ident in list(self.claimed):
            other = self.entities[ident]
            if start <= s and e <= end and other.cls == entity.cls and other.rule.startswith("ner-"):
                self.claimed.remove((s, e, ident))
                other.mentions = [m for m in other.mentions if not (m.start == s and m.end == e)]

    def _resolution(self, start: int, end: int, entity: Entity) -> str:
        before = self.text[max(0, start - 12) : start].split()
        determiner = before[-1] if before else ""
        return f"{determiner} {self.text[start:end]} = {entity.label}".strip()

    def _phrase_end(self, start: int, end: int) -> int:
        """The end of the noun phrase a common noun heads (its right modifiers), for a label."""
        tokens = self.a.tokens
        first = self.a.token_at(end)
        stop = end
        quote_open = False
        for token in tokens[first : first + 16]:
            if token.start < end:
                continue
            word = fold(token.text)
            if token.text == "«":
                quote_open = True
            elif token.text == "»":
                quote_open = False
                stop = token.end
                continue
            if quote_open:
                stop = token.end
                continue
            if token.text == "(" and re.match(
                r"\(\s*[A-Z][A-Za-z0-9]{1,9}\s*\)", self.text[token.start : token.start + 14]
            ):
                stop = self.text.index(")", token.start) + 1  # "… intelligence artificielle (IA) de défense"
                continue
            if stop > token.start:
                continue  # inside a bracketed acronym already taken
            if token.text in (",", ".", ";", ":", "(", ")", "\n") or not token.text.strip():
                break
            following = tokens[token.i + 1] if token.i + 1 < len(tokens) else None
            if re.fullmatch(r"(?:19|20)\d\d(?:-(?:19|20)\d\d)?", token.text):
                stop = token.end  # "plan France 2030", "plan … 2022-2028": a year is part of the name, and ends it
                span = re.match(r"\s*-\s*(?:19|20)\d\d(?!\d)", self.text[stop : stop + 8])
                stop += span.end() if span else 0
                break
            if (
                word in ("pour", "sur", "autour")
                and following is not None
                and (
                    following.pos in ("DET", "NOUN", "PROPN")
                    or (word == "autour" and fold(following.text) in ("de", "des", "du", "d'"))
                    or re.fullmatch(r"(?:19|20)\d\d", following.text)
                )
                and not re.search(r"\d", self.text[start:stop])
            ):
                stop = token.end  # "stratégie … pour l'intelligence artificielle"
                continue
            if token.pos in ("VERB", "AUX", "CCONJ", "PRON", "SCONJ", "NUM", "ADV") or word in _STOP_RIGHT:
                break
            if not self.a.parsed:
                break
            stop = token.end
        while True:  # no dangling preposition or determiner
            tail = re.search(r"\s+(?:de|du|des|d['’]|la|le|les|l['’]|en)$", self.text[start:stop])
            if not tail:
                break
            stop = start + tail.start()
        return stop


def _agreement(cls: str) -> bool:
    return cls in ("Convention", "FrameworkAgreement", "Contract", "Roadmap", "Partnership", "Agreement")
