"""Find an entity or a class by the name a user types.

Names are compared after folding case, accents, apostrophes and punctuation, so
"ministere des armees" finds "ministère des Armées" and "l'AID" matches "l’AID". An
entity is known by its curated labels (``rdfs:label``, ``skos:prefLabel``), the names
the source documents use (``skos:altLabel``), its acronyms (``iadef:acronym``), its
key (``region-bretagne``) and its IRI.

Resolution, in order: an IRI or an exact (folded) name; else the entities one of whose
names contains the typed words; one candidate is the answer, several are listed in a
:class:`QueryError`, none gives close names (difflib) as suggestions. The index is read
with SPARQL, so it works on any engine.

Reading every name of a large store takes seconds, so a name is first looked for among
*candidates*: the names (and keys) that a regular expression built from the typed words
selects in the engine (:func:`candidate_pattern`). The expression is a superset of the
folded match: each folded character becomes the class of every character that folds to
it, and any name holding a character that does not fold to exactly one character
(``ß``, ``ﬁ``, a lone combining accent, a script outside the table) is a candidate
anyway. So every name that matches is a candidate, and one entity found among them is
the entity the whole index would give; anything else (several, none: the messages list
labels and close names) is worked out on the whole index, as before.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from rdflib import RDFS, Literal, URIRef

from iadef.errors import QueryError
from iadef.namespaces import IADEF, ID, SKOS
from iadef.sparql.answer import Engine, Row

ENTITY_KINDS = {"entity": None, "actor": IADEF.Actor, "place": IADEF.Place}

NAMES_QUERY = """
PREFIX rdfs:  <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos:  <http://www.w3.org/2004/02/skos/core#>
PREFIX iadef: <https://w3id.org/iadef/def/>
SELECT DISTINCT ?entity ?name ?property WHERE {
  VALUES ?property { rdfs:label skos:prefLabel skos:altLabel iadef:acronym }
  GRAPH ?graph { ?entity ?property ?name }
  FILTER (STRSTARTS(STR(?entity), "https://w3id.org/iadef/id/"))
}
"""

NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, IADEF.acronym)  # those of NAMES_QUERY

# NAMES_QUERY for the names, or keys, that ?pattern (a regular expression, see candidate_pattern) matches.
CANDIDATES_QUERY = NAMES_QUERY.replace(
    "\n}\n",
    '\n  FILTER (REGEX(STR(?name), ?pattern) || REGEX(STRAFTER(STR(?entity), "https://w3id.org/iadef/id/"), ?pattern))'
    "\n}\n",
)

# The ontology is the named graph <https://w3id.org/iadef/def/> (engines.ONTOLOGY_GRAPH).
MEMBERS_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?entity ?top WHERE {
  GRAPH <https://w3id.org/iadef/def/> { ?class rdfs:subClassOf* ?top }
  GRAPH ?fact { ?entity a ?class }
}
"""

CLASSES_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl:  <http://www.w3.org/2002/07/owl#>
SELECT ?class ?label WHERE {
  GRAPH <https://w3id.org/iadef/def/> { ?class a owl:Class . OPTIONAL { ?class rdfs:label ?label } }
  FILTER (isIRI(?class))
}
"""

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_ELISION = re.compile(r"\b(?:qu|[cdjlmnst])'")


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name; French elisions (l', d') dropped."""
    return " ".join(re.sub(r"[^\w]+", " ", _ELISION.sub("", _bare(text))).split())


def _bare(text: str) -> str:
    """The first step of :func:`fold`, character by character: ``_bare(a + b) == _bare(a) + _bare(b)``.

    (NFKD decomposes each character on its own; the only reordering it does is among
    combining marks, which are dropped; case folding maps each character on its own.)
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# Blocks whose characters get a place in the candidate expressions: Latin (with its accented and
# modifier letters), Greek, Cyrillic, Latin Extended Additional, Greek Extended, general punctuation.
_TABLE_BLOCKS = ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x52F), (0x1E00, 0x1FFF), (0x2000, 0x206F))
# For a SPARQL server, printable ASCII only: Virtuoso 7.2 matches no stored string with a class that
# holds a non-ASCII character (REGEX(?name, "[è]") misses "Ministère"); any other character makes
# the name a candidate. The embedded engines (Python's re, Rust's regex) match characters.
_ASCII_BLOCKS = ((0x20, 0x7E),)
_UNICODE_ENGINES = frozenset({"rdflib", "oxigraph"})
_CLASS_SPECIALS = frozenset("\\]-^[")


@dataclass(frozen=True)
class _FoldTable:
    """For :func:`candidate_pattern`: by folded word character, a class of the characters folding to it."""

    classes: dict[str, str]
    others: str  # a class of every character outside the table (folds to zero or several characters)


@cache
def _fold_table(ascii_only: bool = False) -> _FoldTable:
    by_fold: dict[str, list[str]] = defaultdict(list)
    simple: list[int] = []
    for low, high in _ASCII_BLOCKS if ascii_only else _TABLE_BLOCKS:
        for code in range(low, high + 1):
            folded = _bare(chr(code))
            if len(folded) == 1:
                by_fold[folded].append(chr(code))
                simple.append(code)
    classes = {c: "[" + "".join(chars) + "]" for c, chars in by_fold.items() if re.fullmatch(r"\w", c)}
    ranges: list[list[int]] = []
    for code in simple:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])

    def char(code: int) -> str:
        return ("\\" if chr(code) in _CLASS_SPECIALS else "") + chr(code)

    others = "[^" + "".join(char(a) if a == b else f"{char(a)}-{char(b)}" for a, b in ranges) + "]"
    return _FoldTable(classes, others)


def candidate_pattern(folded: str, *, ascii_only: bool = False) -> str:
    """A regular expression (XPath syntax, as SPARQL's REGEX) that every name whose folded form holds the
    folded words ``folded`` matches, whatever its case, accents or punctuation.

    In a name whose characters each fold to one character, the folded name is the name
    character by character, so each typed word is a run of characters, each in the class
    of the characters that fold to its folded character, the words in order. A name
    holding any other character matches the first alternative. ``ascii_only``: the table
    has printable ASCII characters only (for engines whose classes hold nothing else).
    """
    table = _fold_table(ascii_only)
    words = []
    for word in folded.split(" "):
        if any(c not in table.classes for c in word):
            return table.others  # such a character can only come from a character outside the table
        words.append("".join(table.classes[c] for c in word))
    return table.others + "|" + "[\\s\\S]*".join(words)


@dataclass
class Index:
    """Folded names -> entities, with a display label per entity."""

    names: dict[str, set[URIRef]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[URIRef, str] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)  # folded name -> one original spelling

    def add(self, entity: URIRef, name: str) -> None:
        folded = fold(name)
        if folded:
            self.names[folded].add(entity)
            self.shown.setdefault(folded, name)

    def describe(self, entity: URIRef) -> str:
        key = str(entity).removeprefix(str(ID))
        label = self.labels.get(entity, key)
        return f"{label} ({key})"


def entity_index(engine: Engine) -> Index:
    """Every entity's names, read from the graph."""
    return _index(engine.query(NAMES_QUERY).rows)


def candidate_index(engine: Engine, folded: str) -> Index:
    """The names and keys that may fold to a text holding ``folded`` (see :func:`candidate_pattern`).

    Not every name of the index is there, nor every label: it serves to find one entity.
    rdflib reads the names by predicate and tests them in Python (its SPARQL evaluator
    takes longer over the regular expression than over all the names); other engines run
    :data:`CANDIDATES_QUERY`.
    """
    pattern = candidate_pattern(folded, ascii_only=engine.name not in _UNICODE_ENGINES)
    if engine.name == "rdflib":
        return _index(_matching_names(engine, re.compile(pattern)))
    # As a constant (constants=True), the engine compiles the expression once; Oxigraph compiles a
    # substituted variable for every name (45 s instead of 0.13 s over 70,000 names).
    return _index(engine.query(CANDIDATES_QUERY, {"pattern": Literal(pattern)}, constants=True).rows)


def _matching_names(engine: Engine, pattern: re.Pattern[str]) -> list[Row]:
    """The rows of CANDIDATES_QUERY (in another order), from the engine's quads."""
    rows: list[Row] = []
    for prop in NAME_PROPERTIES:
        for entity, _, name, graph in engine.quads(None, prop, None):
            if graph is None or not isinstance(entity, URIRef) or not str(entity).startswith(str(ID)):
                continue
            if pattern.search(str(name)) or pattern.search(str(entity).removeprefix(str(ID))):
                rows.append((entity, name, prop))
    return rows


def _index(rows: Iterable[Row]) -> Index:
    index = Index()
    french: dict[URIRef, str] = {}
    folded: dict[str, str] = {}  # a name is often given by several sources: folded once
    for entity, name, prop in rows:
        if not isinstance(entity, URIRef) or name is None:
            continue
        for text in (str(name), str(entity).removeprefix(str(ID))):
            if text not in folded:
                folded[text] = fold(text)
            if folded[text]:
                index.names[folded[text]].add(entity)
                index.shown.setdefault(folded[text], text)
        if str(prop).endswith("#label") and getattr(name, "language", None) == "fr":
            french[entity] = str(name)
        index.labels.setdefault(entity, str(name))
    index.labels.update(french)
    return index


def members(engine: Engine, top: URIRef) -> set[URIRef]:
    """The entities typed with ``top`` or one of its subclasses."""
    rows = engine.query(MEMBERS_QUERY, {"top": top}).rows
    return {row[0] for row in rows if isinstance(row[0], URIRef)}


def resolve_entity(engine: Engine, text: str, *, kind: str = "entity", param: str = "entity") -> URIRef:
    """The one entity ``text`` names, of the given kind (entity, actor, place)."""
    if kind not in ENTITY_KINDS:
        raise QueryError(f"unknown parameter kind {kind!r}", hint=f"use one of {', '.join(ENTITY_KINDS)}")
    wanted = text.strip()
    if not wanted:
        raise QueryError(f"parameter {param!r} is empty", hint=f"give a name, e.g. --param {param}=AMIAD")
    top = ENTITY_KINDS[kind]
    allowed = members(engine, top) if top is not None else None
    what = kind

    iri = _as_iri(wanted)
    if iri is not None:
        if allowed is not None and iri not in allowed:
            raise QueryError(f"{param}: <{iri}> is not a known {what}")
        return iri

    def keep(found: set[URIRef]) -> set[URIRef]:
        return found if allowed is None else found & allowed

    folded = fold(wanted)
    if folded:  # the candidates hold every match: one entity among them is the answer
        found = _matching(candidate_index(engine, folded), folded, keep)
        if len(found) == 1:
            return next(iter(found))
    index = entity_index(engine)
    found = _matching(index, folded, keep)
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        raise _ambiguous(param, wanted, what, found, index)
    candidates = [name for name, found in index.names.items() if keep(found)]
    close = difflib.get_close_matches(folded, candidates, n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(index.describe(sorted(keep(index.names[name]))[0]) for name in close))
    raise QueryError(
        f"{param}: no {what} is named {wanted!r}",
        hint=("did you mean: " + "; ".join(suggestions) + "?") if suggestions else _listing_hint(top),
    )


def _matching(index: Index, folded: str, keep: Callable[[set[URIRef]], set[URIRef]]) -> set[URIRef]:
    """The entities (kept by ``keep``) with a name equal to ``folded``; if none, those with a name holding it."""
    exact = keep(index.names.get(folded, set()))
    if exact:
        return exact
    padded = f" {folded} "
    return keep({e for name, found in index.names.items() if padded in f" {name} " for e in found})


def _listing_hint(top: URIRef | None) -> str:
    if top is None:
        return "try a shorter name, an acronym, or the entity key (e.g. region-bretagne)"
    return f"list them with `iadef query entities-by-type --param type={str(top).removeprefix(str(IADEF))}`"


def _plural(what: str) -> str:
    return what[:-1] + "ies" if what.endswith("y") else what + "s"


def _ambiguous(param: str, wanted: str, what: str, found: set[URIRef], index: Index) -> QueryError:
    listed = "; ".join(index.describe(entity) for entity in sorted(found))
    return QueryError(
        f"{param}: {wanted!r} matches {len(found)} {_plural(what)}: {listed}",
        hint="use a longer name, an acronym or the key in parentheses",
    )


def _as_iri(text: str) -> URIRef | None:
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if re.match(r"^https?://\S+$", text):
        return URIRef(text)
    if text.startswith("id:") and " " not in text:
        return ID[text[3:]]
    return None


def resolve_class(engine: Engine, text: str, *, param: str = "type") -> URIRef:
    """The ontology class ``text`` names: local name (Company), label (entreprise), CURIE or IRI."""
    names: dict[str, set[URIRef]] = defaultdict(set)
    for cls, label in engine.query(CLASSES_QUERY).rows:
        if not isinstance(cls, URIRef):
            continue
        local = str(cls).removeprefix(str(IADEF))
        for name in (local, f"iadef:{local}", str(cls), str(label) if label is not None else ""):
            if name:
                names[fold(name)].add(cls)
    wanted = text.strip()
    if wanted.startswith("<") and wanted.endswith(">"):
        wanted = wanted[1:-1]
    found = names.get(fold(wanted), set())
    if len(found) == 1:
        return next(iter(found))
    if len(found) > 1:
        listed = ", ".join(str(c).removeprefix(str(IADEF)) for c in sorted(found))
        raise QueryError(f"{param}: {text!r} names several classes: {listed}", hint="use the class name")
    close = difflib.get_close_matches(fold(wanted), list(names), n=5, cutoff=0.6)
    shown = sorted({str(c).removeprefix(str(IADEF)) for name in close for c in names[name]})
    raise QueryError(
        f"{param}: no class is named {text!r}",
        hint=("did you mean: " + ", ".join(shown) + "?") if shown else "see the classes in ontology/iadef.ttl",
    )
