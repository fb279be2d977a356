"""Name look-up through candidates (iadef.sparql.lookup.candidate_index): the same answers as the whole index.

``resolve_entity`` first reads only the names that a regular expression built from the typed
words selects; that expression must select every name that matches after folding (case,
accents, punctuation). Checked here on the pattern alone (with Python's ``re``, the engine of
rdflib's REGEX), then end to end on both embedded engines against a reference that reads
every name, as the look-up did before: same entity, or the same error and hint.
"""

from __future__ import annotations

import difflib
import random
import re
import unicodedata
from collections import defaultdict

import pytest
from rdflib import RDF, RDFS, Dataset, Literal, URIRef

from iadef.errors import QueryError
from iadef.namespaces import CURATION, FACT, IADEF, ID, SKOS
from iadef.paths import Project
from iadef.sparql.answer import Engine
from iadef.sparql.lookup import (
    ENTITY_KINDS,
    NAMES_QUERY,
    Index,
    _bare,
    _fold_table,
    candidate_index,
    candidate_pattern,
    fold,
    members,
    resolve_entity,
)
from iadef.stores.opening import ENGINES, open_engine

from .built import built_project

# Names that fold in unusual ways: ligatures, ß, a lone combining accent, full-width letters, other
# scripts, typographic apostrophes, elisions, superscripts, punctuation inside words.
TRICKY = {
    "strasse-defense": ["Straße der Verteidigung", "STRASSE"],
    "finances-armees": ["ﬁnances des armées", "Finances"],
    "cafe-defense": ["Cafe\u0301 de la De\u0301fense"],
    "amiad-large": ["ＡＭＩＡＤ Ｌａｒｇｅ"],
    "greek-defence": ["Ελληνική Άμυνα"],
    "russian-ministry": ["Министерство обороны"],
    "oeuvre-sociale": ["Œuvre sociale des Armées", "Oeuvre sociale"],
    "agence-l-aid": ["Agence de l’Innovation de Défense n°2"],
    "x-squared": ["Projet x² – «Armées»"],
    "dotted": ["Armées… et après", "l'après-Armées"],
}


def reference_index(engine: Engine) -> Index:
    """Every name, as iadef.sparql.lookup read them before candidates."""
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


def reference_resolve(index: Index, allowed: set[URIRef] | None, text: str, kind: str) -> tuple[str, ...]:
    """What resolve_entity answered when it read every name (its code before candidates), as a tuple."""
    param, wanted, what, top = "p", text.strip(), kind, ENTITY_KINDS[kind]

    def keep(found: set[URIRef]) -> set[URIRef]:
        return found if allowed is None else found & allowed

    def several(found: set[URIRef]) -> tuple[str, ...]:
        listed = "; ".join(index.describe(entity) for entity in sorted(found))
        plural = what[:-1] + "ies" if what.endswith("y") else what + "s"
        return ("error", f"{param}: {wanted!r} matches {len(found)} {plural}: {listed}", SEVERAL_HINT)

    folded = fold(wanted)
    exact = keep(index.names.get(folded, set()))
    if len(exact) == 1:
        return ("entity", str(next(iter(exact))))
    if len(exact) > 1:
        return several(exact)
    padded = f" {folded} "
    partial = keep({e for name, found in index.names.items() if padded in f" {name} " for e in found})
    if len(partial) == 1:
        return ("entity", str(next(iter(partial))))
    if len(partial) > 1:
        return several(partial)
    candidates = [name for name, found in index.names.items() if keep(found)]
    close = difflib.get_close_matches(folded, candidates, n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(index.describe(sorted(keep(index.names[name]))[0]) for name in close))
    if suggestions:
        hint = "did you mean: " + "; ".join(suggestions) + "?"
    elif top is None:
        hint = "try a shorter name, an acronym, or the entity key (e.g. region-bretagne)"
    else:
        hint = f"list them with `iadef query entities-by-type --param type={str(top).removeprefix(str(IADEF))}`"
    return ("error", f"{param}: no {what} is named {wanted!r}", hint)


SEVERAL_HINT = "use a longer name, an acronym or the key in parentheses"


def holds(name: str, typed: str) -> bool:
    folded = fold(typed)
    return bool(folded) and f" {folded} " in f" {fold(name)} "


# ------------------------------------------------------------------ the pattern


def variants(name: str, rng: random.Random) -> list[str]:
    """Texts a user could type for ``name``: words of it, without accents, in capitals, apostrophes changed."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = name.split()
    found = [name, plain, name.upper(), plain.lower(), name.replace("’", "'"), name.replace("'", "’")]
    for _ in range(3):
        start = rng.randrange(len(words))
        found.append(" ".join(words[start : start + rng.randint(1, 3)]))
    return found


def test_bare_is_character_by_character() -> None:
    """The pattern relies on it: the first step of fold maps each character on its own."""
    rng = random.Random(3)
    pool = [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000] + ["ﬁ", "ß", "\u0301", "Σ", "²"]
    for _ in range(20000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 8)))
        assert _bare(text) == "".join(_bare(c) for c in text), repr(text)


def test_every_name_that_matches_is_a_candidate() -> None:
    rng = random.Random(5)
    names = [n for ns in TRICKY.values() for n in ns] + [
        "Ministère des Armées",
        "Agence ministérielle pour l’IA de défense (AMIAD)",
        "Direction générale de l'armement",
        "Région Bretagne",
        "DGA Maîtrise de l’information",
        "École polytechnique",
        "Commandement de l'espace — CDE",
    ]
    pairs = 0
    for name in names:
        for typed in variants(name, rng) + [w for other in names for w in other.split()[:2]]:
            if not holds(name, typed):
                continue
            pairs += 1
            for ascii_only in (False, True):
                pattern = candidate_pattern(fold(typed), ascii_only=ascii_only)
                assert re.search(pattern, name), (name, typed, ascii_only)
    assert pairs > 200


def test_random_names_that_match_are_candidates() -> None:
    """Random names around a typed text: accents, cases, separators, elisions, exotic characters."""
    rng = random.Random(11)
    accents = {"e": "eéèêëEÉÈ", "a": "aàâäAÀ", "i": "iîïI", "o": "oôöO", "u": "uùûüU", "c": "cçC", "s": "sS"}
    separators = [" ", "-", " – ", "’", " l’", " d'", ", ", "\u00a0", "/", " (", ") "]
    exotic = ["ß", "ﬁ", "\u0301", "…", "Ω", "Ж", "²", "™", "😀", "\u200b"]
    words = ["ministere", "armees", "defense", "agence", "innovation", "bretagne", "cyber", "amiad", "dga", "ia"]
    checked = 0
    for _ in range(1500):
        typed_words = rng.sample(words, rng.randint(1, 3))
        typed = " ".join(typed_words)
        spelled = []
        for word in typed_words:
            spelled.append("".join(rng.choice(accents.get(c, c + c.upper())) for c in word))
        body = spelled[0]
        for word in spelled[1:]:
            body += rng.choice(separators[:4]) + word
        name = rng.choice(["", "Le ", "la ", "l’", "x-", "Agence "]) + body + rng.choice(["", " 2026", "…", " (AMIAD)"])
        if rng.random() < 0.3:
            name = name.replace(name[rng.randrange(len(name))], rng.choice(exotic), 1)
        if rng.random() < 0.2:
            name = unicodedata.normalize("NFD", name)
        for ascii_only in (False, True):
            pattern = candidate_pattern(fold(typed), ascii_only=ascii_only)
            if holds(name, typed):
                checked += 1
                assert re.search(pattern, name), (name, typed, ascii_only)
    assert checked > 1000


def test_the_pattern_selects() -> None:
    """Candidates are few: a name without the words (and without exotic characters) is not one."""
    pattern = candidate_pattern(fold("ministère des armées"))
    assert re.search(pattern, "MINISTERE-DES-ARMÉES")
    assert re.search(pattern, "le Ministère des Armées et des Anciens combattants")
    assert not re.search(pattern, "Agence de l’innovation de défense")
    assert not re.search(pattern, "Ministère de l'Intérieur")
    assert re.search(pattern, "Straße")  # ß folds to two letters: always a candidate
    ascii_pattern = candidate_pattern(fold("ministere des armees"), ascii_only=True)
    assert not re.search(ascii_pattern, "Agence de l'innovation de defense")
    assert re.search(ascii_pattern, "Agence de l’innovation")  # a non-ASCII character: a candidate
    assert candidate_pattern("防衛") == _fold_table().others  # outside the table: only names with such characters


# ------------------------------------------------------------------ end to end, both engines


@pytest.fixture(scope="module")
def tricky_project(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> Project:
    """The seed build plus entities with the names above (curated labels, a sourced altLabel and type)."""
    extended = Dataset(default_union=False)
    for s, p, o, g in dataset.quads((None, None, None, None)):
        extended.graph(getattr(g, "identifier", g)).add((s, p, o))
    for key, names in TRICKY.items():
        entity = ID[key]
        curated = extended.graph(CURATION[key])
        curated.add((entity, RDFS.label, Literal(names[0], lang="fr")))
        curated.add((entity, SKOS.prefLabel, Literal(names[0], lang="fr")))
        fact = extended.graph(FACT[f"tricky/{key}"])
        fact.add((entity, RDF.type, IADEF.Company))
        for number, alias in enumerate(names[1:]):
            extended.graph(FACT[f"tricky/{key}-{number}"]).add((entity, SKOS.altLabel, Literal(alias)))
    return built_project(tmp_path_factory.mktemp("lookup-candidates"), extended)


@pytest.fixture(scope="module")
def engines(tricky_project: Project) -> dict[str, Engine]:
    return {name: open_engine(tricky_project, name) for name in ENGINES}


def outcome(engine: Engine, text: str, kind: str) -> tuple[str, ...]:
    try:
        return ("entity", str(resolve_entity(engine, text, kind=kind, param="p")))
    except QueryError as exc:
        return ("error", exc.message, exc.hint or "")


def typed_texts(index: Index) -> list[str]:
    rng = random.Random(17)
    shown = sorted(index.shown.values())
    texts = rng.sample(shown, 20) + [n for ns in TRICKY.values() for n in ns]
    for name in rng.sample(shown, 12):
        words = name.split()
        texts.append(" ".join(words[: rng.randint(1, len(words))]).upper())
        texts.append(name[: max(1, len(name) - 2)])  # cut: a prefix, or a typo with suggestions
    texts += ["Bretagne", "armees", "MINISTERE", "ministère des armées", "l'AID", "innovation", "strasse", "oeuvre"]
    texts += ["des armées", "Direction", "agence", "défense", "IA", "cyber", "région", "état-major", "commandement"]
    texts += ["finances", "cafe", "amiad", "ελληνικη", "обороны", "x2", "x", "…", "?!", "zzzz inconnu"]
    return list(dict.fromkeys(texts))


@pytest.mark.parametrize("engine_name", ENGINES)
def test_same_answers_as_the_whole_index(engines: dict[str, Engine], engine_name: str) -> None:
    engine = engines[engine_name]
    index = reference_index(engine)
    allowed = {kind: members(engine, top) if top is not None else None for kind, top in ENTITY_KINDS.items()}
    kinds = list(ENTITY_KINDS)
    seen: dict[str, int] = defaultdict(int)
    for number, text in enumerate(typed_texts(index)):
        folded = fold(text.strip())
        if folded:  # every name or key that holds the text is among the candidates
            found = candidate_index(engine, folded)
            for name, entities in index.names.items():
                if f" {folded} " in f" {name} ":
                    assert entities <= found.names.get(name, set()), (text, name)
        kind = kinds[number % len(kinds)]
        got = outcome(engine, text, kind)
        assert got == reference_resolve(index, allowed[kind], text, kind), (text, kind)
        seen["found" if got[0] == "entity" else "several" if " matches " in got[1] else "none"] += 1
    assert min(seen.values()) >= 5, seen  # each way out is exercised


@pytest.mark.parametrize("engine_name", ENGINES)
def test_tricky_names_resolve(engines: dict[str, Engine], engine_name: str) -> None:
    engine = engines[engine_name]
    assert resolve_entity(engine, "strasse der verteidigung") == ID["strasse-defense"]
    assert resolve_entity(engine, "finances des armees") == ID["finances-armees"]
    assert resolve_entity(engine, "CAFÉ DE LA DÉFENSE") == ID["cafe-defense"]
    assert resolve_entity(engine, "amiad large") == ID["amiad-large"]
    assert resolve_entity(engine, "ελληνικη αμυνα") == ID["greek-defence"]
    assert resolve_entity(engine, "министерство") == ID["russian-ministry"]
    assert resolve_entity(engine, "oeuvre sociale", kind="actor") == ID["oeuvre-sociale"]
    assert resolve_entity(engine, "Projet X2") == ID["x-squared"]
    assert resolve_entity(engine, "Finances") == ID["finances-armees"]  # its alias, exactly
    with pytest.raises(QueryError, match=r"matches \d+ entities") as several:
        resolve_entity(engine, "des armees")
    assert "ﬁnances des armées (finances-armees)" in str(several.value)
    assert "Œuvre sociale des Armées (oeuvre-sociale)" in str(several.value)


def test_a_server_gets_an_ascii_pattern(engines: dict[str, Engine]) -> None:
    """Any engine but the embedded ones gets classes of printable ASCII characters only."""

    class Server:
        name = "endpoint"

        def __init__(self, inner: Engine) -> None:
            self.inner = inner
            self.patterns: list[str] = []

        def query(self, text: str, bindings: dict[str, Literal], *, constants: bool = False, **_: object) -> object:
            if "pattern" in bindings:
                self.patterns.append(str(bindings["pattern"]))
            return self.inner.query(text, bindings, constants=constants)

    server = Server(engines["oxigraph"])
    assert resolve_entity(server, "ministere des armees", kind="actor") == ID["ministere-des-armees"]  # type: ignore[arg-type]
    assert server.patterns[-1].startswith("[^ -~]|[Mm][Ii][Nn]")
    assert all(" " <= c <= "~" for c in server.patterns[-1])
