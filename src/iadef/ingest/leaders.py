"""Posts a verb gives, with no title: who heads a body, and mandates not held at the sentence's date.

* Heading (data/posts.yaml ``heading``): "X dirige l'agence", "X, qui a pris la tête de la
  direction du renseignement …", "C'est X qui a été chargé de diriger cette entité",
  "l'agence, dirigée par X", "Dirigée par X, …, cette agence a …". The person holds a post
  that heads the body: a Post ("direction de l'agence", postIn the body) and a Mandate
  (holder, post), as :func:`iadef.ingest.structures.posts` makes them from a title. Read on
  the model's parse: the person is the verb's subject (through "qui" to the name it follows,
  through "chargé de" to the one charged), or the agent of its participle ("par X"); the body
  is the verb's object, the noun its participle qualifies, or the subject of the verb a
  sentence-initial participle opens. A body is an entity the article names there, the one a
  "cette agence" stands for (the one agency named before), or, when none is named, the noun
  phrase itself when its head noun names a body (data/classes.yaml ``heads`` and
  ``references``): "la direction du renseignement et de la sécurité de la défense".
* Former mandates: "l'ancien ministre", "le futur directeur" (data/posts.yaml ``former``)
  are mandates held at another time than the sentence's: a date the sentence gives is not
  their attestedOn.
"""

from __future__ import annotations

import re

from iadef.curation.ontology import Ontology
from iadef.ingest.entities import EntityFinder
from iadef.ingest.model import Entity, Fact
from iadef.ingest.nlp import Token
from iadef.ingest.references import antecedent
from iadef.ingest.textutil import norm

FORMER = "post-title-former"  # the rule of a mandate a title qualifies as past or future (structures.posts)
_DEMONSTRATIVE = re.compile(r"^(?:ce|cet|cette|ces)\s", re.IGNORECASE)
_DETERMINER_BEFORE = re.compile(r"(?:\b(?:la|le|les|du|des)\s+|\bl['’]\s*)$", re.IGNORECASE)
_DETERMINER = re.compile(r"^(?:l['’]\s*|la\s+|le\s+|les\s+)", re.IGNORECASE)


def organisation_classes(ontology: Ontology) -> frozenset[str]:
    """The classes a post can be in (postIn's range): Organization and its subclasses."""
    return frozenset(c for c in ontology.classes if c == "Organization" or ontology.is_a(c, "Organization"))


def heading_posts(finder: EntityFinder, ontology: Ontology) -> list[Fact]:
    if not finder.a.parsed:
        return []
    bodies = organisation_classes(ontology)
    tokens = finder.a.tokens
    verbs, nouns = finder.rules.heading.get("verbs", {}), finder.rules.heading.get("nouns", {})
    facts: list[Fact] = []
    titled = [(s, e) for s, e, ident in finder.claimed if finder.entities[ident].cls == "Post"]
    for token in tokens:
        if any(s <= token.start < e for s, e in titled):
            continue  # "X, désormais à la tête du Pôle …": a title, read by structures.posts
        word = verbs.get(norm(token.lemma)) if token.pos == "VERB" else None
        if word is not None:
            agent = _child(tokens, token, ("obl:agent",))
            if agent is not None:  # "dirigée par X": the noun it qualifies, or the subject of the verb it opens for
                head = tokens[token.head]
                target = head if token.dep == "acl" else _child(tokens, head, ("nsubj", "nsubj:pass"))
                if target is None and token.dep != "acl":
                    target = _opened(finder, token, agent)
                by = _child(tokens, agent, ("case",))
                post_span = (token.start, by.end if by is not None and by.i == token.i + 1 else token.end)
                facts += _heads(finder, bodies, word, _person(finder, tokens, agent), target, post_span, False)
            else:
                obj = _child(tokens, token, ("obj",))
                facts += _heads(
                    finder, bodies, word, _subject(finder, tokens, token), obj, (token.start, token.end), True
                )
        word = nouns.get(norm(token.text)) if token.pos == "NOUN" else None
        if word is not None and token.dep in ("obj", "obl:mod", "obl:arg", "obl"):
            after = re.match(r"\s+(?:de|du|des|d')\s*(?:la\s+|l')?", finder.folded[token.end :])
            if after is not None:  # "a pris la tête de la direction …", "est à la tête du groupe"
                body = next((t for t in tokens if t.start >= token.end + after.end()), None)
                subject = _subject(finder, tokens, tokens[token.head])
                det = _child(tokens, token, ("det",))
                start = det.start if det is not None else token.start
                facts += _heads(finder, bodies, word, subject, body, (start, token.end), True)
    return facts


def _opened(finder: EntityFinder, participle: Token, agent: Token) -> Token | None:
    """ "Dirigée par X, …, cette agence a …": when the parse does not say what a sentence-initial participle
    qualifies, the first noun after a comma and a determiner, past its agent, is the clause's subject."""
    tokens = finder.a.tokens
    index = finder.a.sentence_of(participle.start)
    first, last = finder.a.sentences[index] if index >= 0 else (participle.i, participle.i + 1)
    if participle.i != first:
        return None
    for t in tokens[agent.i + 1 : last]:
        if t.dep == "det" and tokens[t.i - 1].text == "," and t.head > t.i:
            return tokens[t.head]
    return None


def unattested(facts: list[Fact], entities: dict[str, Entity]) -> list[Fact]:
    """The facts but the attestedOn of a mandate held at another time ("l'ancien ministre")."""
    return [f for f in facts if not (f.p == "attestedOn" and f.s in entities and entities[f.s].rule == FORMER)]


def _heads(
    finder: EntityFinder,
    bodies: frozenset[str],
    word: str,
    person: Entity | None,
    target: Token | None,
    said: tuple[int, int],
    reach: bool,
) -> list[Fact]:
    """The post of ``word`` ("direction") of the body at ``target``, held by ``person``; ``said``: the words that
    say it ("Dirigée par", "la tête"), which run on to the body when ``reach`` ("diriger cette entité")."""
    if person is None or target is None:
        return []
    found = _body(finder, bodies, target)
    mentions = [m for m in person.mentions if m.kind == "name" and abs(m.start - said[0]) < 200]
    if found is None or not mentions:
        return []
    body, where, phrase = found
    text = finder.text
    named = min(mentions, key=lambda m: abs(m.start - said[0]))
    post_span = (said[0], max(said[1], where[1]) if reach else said[1])
    span = (min(named.start, post_span[0]), max(named.end, post_span[1]))
    both = (min(post_span[0], where[0]), max(post_span[1], where[1]))
    post = finder.new(f"{word} {_of(phrase)}", "Post", 0.55, "heading")
    finder.mention(post, post_span[0], post_span[1], "reference", f"{text[post_span[0] : post_span[1]]} = {post.label}")
    mandate = finder.new(f"{person.label}, {post.label}", "Mandate", 0.55, "heading")
    finder.mention(mandate, span[0], span[1], "reference", f"{text[span[0] : span[1]]} = mandate of {person.label}")
    return [
        Fact.quoted(post, "postIn", body, None, text, both, "heading", 0.55),
        Fact.quoted(mandate, "holder", person, None, text, span, "heading", 0.6),
        Fact.quoted(mandate, "post", post, None, text, span, "heading", 0.6),
    ]


def _of(phrase: str) -> str:
    """ "de la direction …", "du groupe", "de Thales": the complement of a post's word."""
    first, _, rest = phrase.partition(" ")
    return {"le": f"du {rest}", "les": f"des {rest}", "du": phrase, "des": phrase}.get(first.lower(), f"de {phrase}")


def _body(finder: EntityFinder, bodies: frozenset[str], token: Token) -> tuple[Entity, tuple[int, int], str] | None:
    """The body a token names: the entity named there, the one "cette agence" stands for, or a new one for
    the noun phrase when its head noun names a body; None for anything else ("le projet")."""
    text = finder.text
    for s, e, ident in finder.claimed:  # a name there, or right after its head noun: "le groupe Aquila"
        entity = finder.entities[ident]
        if entity.cls in bodies and (s <= token.start < e or (s > token.end and not text[token.end : s].strip())):
            begin = min(s, token.start)
            det = _DETERMINER_BEFORE.search(text[max(0, begin - 6) : begin])  # "l'Agence …", "du groupe Aquila"
            begin -= len(det.group()) if det else 0
            return entity, (begin, e), text[begin:e] if det else entity.label
    start, end = _phrase(finder, token)
    head = norm(token.text)
    rule = finder.rules.heads.get(head)
    classes = finder.rules.references.get(head, ())
    cls = next((c for c in (*classes, rule.cls if rule else "", finder.rules.heading["bodies"].get(head, "")) if c), "")
    if finder.owner(start, end) is not None or cls not in bodies:
        return None
    phrase = finder.text[start:end]
    if _DEMONSTRATIVE.match(phrase) or (_DETERMINER.match(phrase) and end == token.end):
        target = antecedent(finder, classes, start) if classes else None
        if target is not None:  # "cette agence": the one agency the article names before
            finder.mention(target[0], start, end, "reference", f"{phrase} = {target[0].label} ({target[1]})")
            return target[0], (start, end), target[0].label
        entity = finder.new(phrase, cls, 0.4, "heading-body")
        finder.mention(entity, start, end, "reference", f"{phrase}: no {cls} is named before it")
        return entity, (start, end), phrase
    named = _DETERMINER.match(phrase)  # "la direction du renseignement et de la sécurité de la défense"
    begin = start + (named.end() if named else 0)
    entity = finder.new(finder.text[begin:end], cls, 0.5, "heading-body")
    finder.mention(entity, begin, end)
    return entity, (begin, end), phrase


_NOT_IN_PHRASE = ("acl:relcl", "acl", "appos", "punct", "conj", "cc", "advcl", "nsubj", "obj", "parataxis")


def _phrase(finder: EntityFinder, token: Token) -> tuple[int, int]:
    """The noun phrase a token heads: its subtree in the parse, without the clauses, appositions and
    coordinated nouns that hang on it ("la direction du renseignement et de la sécurité de la défense")."""
    tokens = finder.a.tokens

    def under(t: Token) -> bool:
        for _ in range(30):
            if t.i == token.i:
                return True
            if t.head == t.i or (t.head == token.i and t.dep in _NOT_IN_PHRASE):
                return False
            t = tokens[t.head]
        return False

    members = {t.i for t in tokens[max(0, token.i - 6) : token.i + 40] if under(t)}
    first = last = token.i
    while first - 1 in members and tokens[first - 1].dep not in ("case", "mark"):
        first -= 1
    while last + 1 in members:
        last += 1
    return tokens[first].start, tokens[last].end


def _child(tokens: list[Token], token: Token, deps: tuple[str, ...]) -> Token | None:
    return next((t for t in tokens if t.head == token.i and t.i != token.i and t.dep in deps), None)


def _subject(finder: EntityFinder, tokens: list[Token], verb: Token) -> Entity | None:
    """The person a verb's subject is: the name "qui" follows, the one "chargé de" charges."""
    for _ in range(3):
        subjects = [t for t in tokens if t.head == verb.i and t.i != verb.i and t.dep in ("nsubj", "nsubj:pass")]
        who = next((t for t in subjects if norm(t.text) == "qui"), None)
        if who is not None:  # "X, qui a pris …", "C'est X qui a été chargé de …": the name before "qui"
            before = [t for t in tokens[max(0, who.i - 3) : who.i] if t.pos != "PUNCT"]
            return _person(finder, tokens, before[-1]) if before else None
        if subjects:
            return _person(finder, tokens, subjects[0])
        if verb.dep not in ("xcomp", "conj") or verb.head == verb.i:
            return None
        verb = tokens[verb.head]
    return None


def _person(finder: EntityFinder, tokens: list[Token], token: Token) -> Entity | None:
    """The Person named at a token, or in apposition to it ("le général de corps d'armée Aymeric Bonnemaison")."""
    for candidate in [token, *(t for t in tokens if t.head == token.i and t.dep in ("appos", "flat:name"))]:
        for s, e, ident in finder.claimed:
            if s <= candidate.start < e and finder.entities[ident].cls == "Person":
                return finder.entities[ident]
    return None
