"""What a quote must attest: the checks that keep a fact from saying more than its source.

Run by ``iadef check`` and ``iadef build`` after the seeds are read (issue 13). Three rules,
each problem reported with the seed file and line of the fact:

``self-relation``
    A fact whose object is its own subject is refused.
``unnamed-ends``
    A relation fact (entity → entity) whose quote names **neither** of its two ends is
    refused, unless its ``note`` names at least one of them (saying how the quote refers to
    it: a pronoun, an ellipsis such as "le ministère"). An end is named by any name declared
    for it under ``entities:`` of the same document, or its labels or acronyms in
    ``seeds/entities.yaml``; a note may also use the entity's key. A quote that names only
    one end is accepted: the other end is often the subject of the sentence before.
``unattested-status``
    A fact's ``status`` must be supported by its quote: one of the words that attest the status,
    declared as data in ``ontology/status-words.yaml``, must occur in the quote. Otherwise the
    status is refused unless the ``note`` names the status (``planned``, ``signed``,
    ``in progress``…), which is the curator saying why the quote supports it.

Names, words, quotes and notes are compared *folded* — case, accents, apostrophes, quote
marks and whitespace ignored — and on word boundaries: "AID" does not match "aide".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, URIRef

from iadef.curation.loader import Fact, Seeds
from iadef.curation.ontology import Ontology
from iadef.errors import SeedError
from iadef.namespaces import ID, SKOS
from iadef.paths import Project
from iadef.yamlfile import YList, YStr, read_yaml

STATUS_WORDS_FILE = Path("ontology") / "status-words.yaml"
_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": '"', "»": '"', "“": '"', "”": '"', "œ": "oe", "æ": "ae"}
)


def fold(text: str) -> str:
    """``text`` compared loosely: lower case, no accents, straight apostrophes, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_FOLD).split())


@lru_cache(maxsize=4096)
def _pattern(folded: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")


def mentions(text: str, phrases: Iterable[str]) -> bool:
    """True if one of ``phrases`` occurs in ``text`` as whole words, both folded."""
    haystack = fold(text)
    return any(phrase and _pattern(phrase).search(haystack) for phrase in (fold(p) for p in phrases))


@dataclass(frozen=True)
class Refusal:
    """One fact the checks refuse: where it is written, which rule, and why."""

    path: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} [{self.rule}]"


class AttestationError(SeedError):
    """Facts that say more than their quotes; every one is listed with its file and line."""

    def __init__(self, refusals: list[Refusal]) -> None:
        first = refusals[0]
        super().__init__(
            f"{first.message} [{first.rule}]",
            path=first.path,
            line=first.line,
            hint="quote a passage that names the fact's ends and attests its status, correct the fact, or explain "
            "it in note: naming the end or the status (README, Adding a fact; the status words are in "
            f"{STATUS_WORDS_FILE.as_posix()}); nothing was written",
        )
        self.refusals = refusals

    def __str__(self) -> str:
        lines = [str(refusal) for refusal in self.refusals]
        if len(lines) > 1:
            lines.append(f"{len(lines)} facts refused")
        return "\n".join(lines) + f"\n  hint: {self.hint}"


def load_status_words(project: Project, ontology: Ontology) -> dict[str, list[str]]:
    """The words attesting each status, read from ``ontology/status-words.yaml`` and checked."""
    path = project.root / STATUS_WORDS_FILE
    shown = project.relative(path)
    data = read_yaml(path, shown)
    words: dict[str, list[str]] = {}
    for key, listed in data.items():
        line = data.key_lines[key]
        if key not in ontology.statuses:
            raise SeedError(
                f"unknown status {key!r}",
                path=shown,
                line=line,
                hint=f"use the statuses of the ontology: {', '.join(sorted(ontology.statuses))}",
            )
        if not isinstance(listed, YList) or not listed or not all(isinstance(w, YStr) and w.strip() for w in listed):
            raise SeedError(f"the words of status {key!r} must be a non-empty list of text", path=shown, line=line)
        words[key] = [str(word) for word in listed]
    missing = sorted(set(ontology.statuses) - set(words))
    if missing:
        raise SeedError(
            f"no words attest the status {', '.join(missing)}",
            path=shown,
            line=1,
            hint="list the words that attest it in a text, so that its facts can be checked",
        )
    return words


def check_attestation(project: Project, ontology: Ontology, seeds: Seeds) -> list[Refusal]:
    """Every fact of ``seeds`` that breaks one of the three rules, by file and line."""
    words = load_status_words(project, ontology)
    status_names = {iri: key for key, iri in ontology.statuses.items()}
    names = _names(seeds)
    refusals: list[Refusal] = []
    for fact in seeds.facts:
        if fact.predicate in (RDF.type, SKOS.altLabel):
            continue
        refusals.extend(_check_fact(fact, names, words, status_names))
    return sorted(refusals, key=lambda r: (r.path, r.line, r.rule))


def require_attested(project: Project, ontology: Ontology, seeds: Seeds) -> None:
    """Raise :class:`AttestationError` listing every refused fact, if there is one."""
    refusals = check_attestation(project, ontology, seeds)
    if refusals:
        raise AttestationError(refusals)


def _names(seeds: Seeds) -> dict[tuple[str, str], list[str]]:
    """(facts file, entity key) → the names the entity may be called by in that document:
    those declared under ``entities:`` of that file, then its curated labels and acronyms."""
    names: dict[tuple[str, str], list[str]] = {}
    for fact in seeds.facts:
        if fact.predicate == SKOS.altLabel:
            names.setdefault((fact.shown, fact.subject), []).append(str(fact.target))
    for fact in seeds.facts:
        if fact.predicate == RDF.type and (fact.shown, fact.subject) not in names:
            names[(fact.shown, fact.subject)] = []
    for (_, key), called in names.items():
        record = seeds.records.get(key)
        if record is not None:
            called.extend([*record.labels.values(), *record.acronyms])
    return names


def _check_fact(
    fact: Fact,
    names: Mapping[tuple[str, str], list[str]],
    words: Mapping[str, list[str]],
    status_names: Mapping[URIRef, str],
) -> Iterable[Refusal]:
    target = _entity(fact.target)
    what = f"{fact.subject} {_local(fact.predicate)} {target if target is not None else fact.target.n3()}"
    if target is not None and target == fact.subject:
        yield Refusal(fact.shown, fact.line, "self-relation", f"{what}: a fact cannot relate an entity to itself")
    if target is not None and target != fact.subject:
        ends = (fact.subject, target)
        called = {end: _called(end, fact.shown, names) for end in ends}
        if not any(mentions(fact.quote, called[end]) for end in ends):
            explained = fact.note is not None and any(mentions(fact.note, [*called[end], end]) for end in ends)
            if not explained:
                yield Refusal(
                    fact.shown,
                    fact.line,
                    "unnamed-ends",
                    f"{what}: the quote names neither {fact.subject!r} nor {target!r} (by a name, label or "
                    "acronym), and no note names one of them to explain the link",
                )
    if fact.status is not None:
        status = status_names[fact.status]
        if not mentions(fact.quote, words[status]):
            justified = fact.note is not None and mentions(fact.note, {status, status.replace("-", " ")})
            if not justified:
                yield Refusal(
                    fact.shown,
                    fact.line,
                    "unattested-status",
                    f"{what}: status {status!r} is not attested by the quote (none of its words in "
                    f"{STATUS_WORDS_FILE.as_posix()} occur in it), and no note names the status to justify it",
                )


def _called(key: str, shown: str, names: Mapping[tuple[str, str], list[str]]) -> list[str]:
    return names.get((shown, key), [])


def _entity(target: object) -> str | None:
    text = str(target)
    return text[len(ID) :] if isinstance(target, URIRef) and text.startswith(str(ID)) else None


def _local(predicate: URIRef) -> str:
    return re.split(r"[/#]", str(predicate))[-1]
