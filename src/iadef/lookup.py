"""Find an entity or a class by the name a user types.

Names are compared after folding case, accents, apostrophes and punctuation, so
"ministere des armees" finds "ministère des Armées" and "l'AID" matches "l’AID". An
entity is known by its curated labels (``rdfs:label``, ``skos:prefLabel``), the names
the source documents use (``skos:altLabel``), its acronyms (``iadef:acronym``), its
key (``region-bretagne``) and its IRI.

Resolution, in order: an IRI or an exact (folded) name; else the entities one of whose
names contains the typed words; one candidate is the answer, several are listed in a
:class:`QueryError`, none gives close names (difflib) as suggestions. The index is read
with SPARQL, so it works on either engine.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from .engines import Engine
from .errors import QueryError
from .namespaces import IADEF, ID

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
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", _ELISION.sub("", bare)).split())


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
    index = Index()
    french: dict[URIRef, str] = {}
    for entity, name, prop in engine.query(NAMES_QUERY).rows:
        if not isinstance(entity, URIRef) or name is None:
            continue
        index.add(entity, str(name))
        index.add(entity, str(entity).removeprefix(str(ID)))
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
    index = entity_index(engine)
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
    exact = keep(index.names.get(folded, set()))
    if len(exact) == 1:
        return next(iter(exact))
    if len(exact) > 1:
        raise _ambiguous(param, wanted, what, exact, index)
    padded = f" {folded} "
    partial = keep({e for name, found in index.names.items() if padded in f" {name} " for e in found})
    if len(partial) == 1:
        return next(iter(partial))
    if len(partial) > 1:
        raise _ambiguous(param, wanted, what, partial, index)
    candidates = [name for name, found in index.names.items() if keep(found)]
    close = difflib.get_close_matches(folded, candidates, n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(index.describe(sorted(keep(index.names[name]))[0]) for name in close))
    raise QueryError(
        f"{param}: no {what} is named {wanted!r}",
        hint=("did you mean: " + "; ".join(suggestions) + "?") if suggestions else _listing_hint(top),
    )


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
