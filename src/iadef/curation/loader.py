"""Read and check the curated seeds: entities, source documents and facts.

Two passes, as in FollowTheMoney's model: first read every file (entities.yaml,
sources.yaml, seeds/facts/*.yaml), then resolve references across them. Any problem
stops the load with a :class:`SeedError` naming the file, the line and the fix.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from rdflib import RDF, Literal, URIRef

from iadef.curation.ontology import Ontology
from iadef.curation.sources import SourceDocument, load_sources
from iadef.curation.values import ValueProblem, parse_value
from iadef.errors import SeedError
from iadef.namespaces import ID, SKOS
from iadef.paths import Project
from iadef.yamlfile import YList, YMap, YStr, YValue, only_fields, read_yaml

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENTITY_FIELDS = ("type", "names", "quote")
FACT_FIELDS = ("s", "p", "o", "v", "lang", "quote", "status", "note")


@dataclass
class Record:
    """An entity as declared in entities.yaml."""

    key: str
    line: int
    labels: dict[str, str]
    acronyms: list[str]


@dataclass
class Fact:
    """One sourced statement: subject, property and object or literal, with its quote."""

    source: SourceDocument
    shown: str
    line: int
    subject: str
    predicate: URIRef
    target: URIRef | Literal
    quote: str
    span: tuple[int, int]
    status: URIRef | None = None
    note: str | None = None


@dataclass
class Seeds:
    """Everything the seeds say, checked."""

    records: dict[str, Record]
    sources: dict[str, SourceDocument]
    types: dict[str, str] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    entities_file: str = "seeds/entities.yaml"


def load_seeds(project: Project, ontology: Ontology) -> Seeds:
    """Read and check all seeds of ``project`` against ``ontology``."""
    for path in (project.entities, project.sources):
        project.require_inside(path, project.seeds, error=SeedError)
    seeds = Seeds(records=_load_records(project), sources=load_sources(project))
    seeds.entities_file = project.relative(project.entities)
    files = sorted(project.facts.glob("*.yaml"))
    if not files:
        raise SeedError("no facts file", path=project.relative(project.facts), hint="add seeds/facts/<doc>.yaml")
    where_typed: dict[str, str] = {}
    for path in files:
        shown = project.require_inside(path, project.facts, error=SeedError)
        _FactsFile(seeds, ontology, shown, read_yaml(path, shown), where_typed).load()
    for key, record in seeds.records.items():
        if key not in seeds.types:
            raise SeedError(
                f"entity {key!r} is not mentioned by any source document",
                path=seeds.entities_file,
                line=record.line,
                hint="declare it under entities: of the facts file of a document that mentions it, or remove it",
            )
    _check_cycles(seeds, ontology)
    return seeds


def _load_records(project: Project) -> dict[str, Record]:
    shown = project.relative(project.entities)
    data = read_yaml(project.entities, shown)
    records: dict[str, Record] = {}
    for key, body in data.items():
        line = data.key_lines[key]
        if not KEY.match(key):
            raise SeedError(
                f"entity key {key!r} is not kebab-case",
                path=shown,
                line=line,
                hint="use lower-case words joined by '-', e.g. region-bretagne",
            )
        if not isinstance(body, YMap):
            raise SeedError(f"entity {key!r} must be a mapping", path=shown, line=line)
        only_fields(body, ("label", "acronyms"), shown, f"entity {key!r}")
        label = body.get("label")
        french = label.get("fr") if isinstance(label, YMap) else None
        if not isinstance(label, YMap) or not isinstance(french, YStr) or not french.strip():
            raise SeedError(f"entity {key!r} has no French label", path=shown, line=line, hint="add label: {fr: ...}")
        only_fields(label, ("fr", "en"), shown, f"label of {key!r}")
        labels = {lang: str(text) for lang, text in label.items() if isinstance(text, YStr)}
        acronyms = body.get("acronyms", YList())
        if not isinstance(acronyms, YList) or not all(isinstance(a, YStr) for a in acronyms):
            raise SeedError(f"acronyms of {key!r} must be a list of text", path=shown, line=line)
        records[key] = Record(key=key, line=line, labels=labels, acronyms=[str(a) for a in acronyms])
    return records


def _text(value: YValue | None, shown: str, line: int, what: str) -> YStr:
    if not isinstance(value, YStr) or not value.strip():
        raise SeedError(f"{what} must be non-empty text", path=shown, line=line)
    return value


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3)
    return f"did you mean {', '.join(close)}?" if close else ""


class _FactsFile:
    """Loads one seeds/facts/*.yaml file into ``seeds``."""

    def __init__(self, seeds: Seeds, ontology: Ontology, shown: str, data: YMap, where_typed: dict[str, str]) -> None:
        self.seeds, self.ontology, self.shown, self.data = seeds, ontology, shown, data
        self.where_typed = where_typed
        self.declared: dict[str, int] = {}
        self.seen: set[tuple[str, str, str, str]] = set()

    def error(self, message: str, line: int, hint: str | None = None) -> SeedError:
        return SeedError(message, path=self.shown, line=line, hint=hint)

    def load(self) -> None:
        only_fields(self.data, ("source", "entities", "facts"), self.shown, "a facts file")
        key = _text(self.data.get("source"), self.shown, self.data.line, "source:")
        source = self.seeds.sources.get(key)
        if source is None:
            raise self.error(
                f"unknown source {key!r}",
                key.line,
                _suggest(key, list(self.seeds.sources)) or "declare it in seeds/sources.yaml",
            )
        self.source = source
        entities = self.data.get("entities")
        if not isinstance(entities, YMap):
            raise self.error("entities: must be a mapping of entity keys", self.data.line)
        for ekey, body in entities.items():
            self._entity(ekey, body, entities.key_lines[ekey])
        facts = self.data.get("facts")
        if not isinstance(facts, YList):
            raise self.error("facts: must be a list", self.data.line)
        for item in facts:
            if not isinstance(item, YMap):
                raise self.error("each fact must be a mapping with s, p, o or v, and quote", item.line)
            self._fact(item)

    def _quote(self, value: YValue | None, line: int) -> tuple[YStr, tuple[int, int]]:
        quote = _text(value, self.shown, line, "quote")
        span = self.source.find(quote)
        if span is None:
            if self.source.find(unicodedata.normalize("NFC", quote)) or self.source.find(
                unicodedata.normalize("NFD", quote)
            ):
                hint = (
                    "the quote differs from the document only in Unicode normalisation (an accent written as a "
                    "separate combining character, NFD, against a composed letter, NFC, or the reverse): "
                    f"copy the passage from {self.source.shown} itself"
                )
            elif self.source.near_miss(quote):
                hint = "the quote differs from the document only in apostrophes or quote marks: copy them exactly"
            else:
                hint = f"copy the passage verbatim from {self.source.shown}"
            raise self.error(f"quote not found in {self.source.shown}: {quote[:80]!r}", quote.line, hint)
        return quote, span

    def _entity(self, key: str, body: YValue, line: int) -> None:
        if key not in self.seeds.records:
            raise self.error(
                f"entity {key!r} is not declared in {self.seeds.entities_file}",
                line,
                _suggest(key, list(self.seeds.records)) or f"add it to {self.seeds.entities_file} with its labels",
            )
        if not isinstance(body, YMap):
            raise self.error(f"entity {key!r} must be a mapping with type, names, quote", line)
        only_fields(body, ENTITY_FIELDS, self.shown, f"entity {key!r}")
        cls = _text(body.get("type"), self.shown, line, f"type of {key!r}")
        if cls not in self.ontology.classes:
            raise self.error(
                f"unknown class {cls!r}",
                cls.line,
                _suggest(cls, list(self.ontology.classes)) or "see ontology/iadef.ttl",
            )
        previous = self.seeds.types.get(key)
        if previous is not None and previous != cls:
            raise self.error(
                f"entity {key!r} is typed {cls} here but {previous} in {self.where_typed[key]}",
                cls.line,
                "one real-world thing has one class: use the same type in every document",
            )
        self.seeds.types[key] = str(cls)
        self.where_typed.setdefault(key, self.shown)
        self.declared[key] = line
        quote, span = self._quote(body.get("quote"), line)
        self._add(key, "type", cls, None, quote, span, line)
        names = body.get("names", YList())
        if not isinstance(names, YList):
            raise self.error(f"names of {key!r} must be a list", line)
        for first, second in zip(names, list(names)[1:], strict=False):
            if (
                isinstance(first, YStr)
                and isinstance(second, YStr)
                and (self.source.find(f"{first}, {second}") or self.source.find(f"{first},{second}"))
            ):
                raise self.error(
                    f"names of {key!r}: {str(first)[:40]!r} and {str(second)[:40]!r} stand side by side in "
                    f"{self.source.shown} as one phrase with a comma",
                    first.line,
                    "a comma in a YAML flow list ([a, b]) ends a name: put a name with a comma in quotes",
                )
        for name in names:
            name_text = _text(name, self.shown, line, "a name")
            name_quote, name_span = self._quote(name_text, name_text.line)
            self._add(
                key,
                "name",
                None,
                Literal(" ".join(name_text.split()), lang="fr"),
                name_quote,
                name_span,
                name_text.line,
            )

    def _fact(self, item: YMap) -> None:
        line = item.line
        only_fields(item, FACT_FIELDS, self.shown, "a fact")
        subject = self._ref(item.get("s"), line)
        pname = _text(item.get("p"), self.shown, line, "p")
        prop = self.ontology.properties.get(pname)
        if prop is None:
            raise self.error(
                f"unknown property {pname!r}",
                pname.line,
                _suggest(pname, list(self.ontology.properties)) or "see ontology/iadef.ttl",
            )
        self._check_domain(subject, prop.domain, pname, "subject", line)
        quote, span = self._quote(item.get("quote"), line)
        status = item.get("status")
        note = item.get("note")
        if prop.is_object:
            if "v" in item:
                raise self.error(f"{pname} links to an entity: use o:, not v:", item.key_lines["v"])
            obj = self._ref(item.get("o"), line, "o")
            self._check_domain(obj, prop.range, pname, "object", line)
            self._add(subject, pname, obj, None, quote, span, line, status, note)
        else:
            if "o" in item:
                raise self.error(f"{pname} takes a literal: use v:, not o:", item.key_lines["o"])
            raw = _text(item.get("v"), self.shown, line, "v")
            lang = item.get("lang")
            try:
                value = parse_value(prop.value_kind or "string", raw, str(lang) if isinstance(lang, YStr) else "fr")
            except ValueProblem as exc:
                raise self.error(f"bad value for {pname}: {exc}", raw.line) from None
            self._add(subject, pname, None, value, quote, span, line, status, note)

    def _ref(self, value: YValue | None, line: int, field_name: str = "s") -> YStr:
        key = _text(value, self.shown, line, field_name)
        if key not in self.declared:
            known = key in self.seeds.records
            raise self.error(
                f"{field_name}: {key!r} is not declared under entities: of this file",
                key.line,
                "declare it under entities: with its type and a quote from this document"
                if known
                else (_suggest(key, list(self.declared)) or "check the key against seeds/entities.yaml"),
            )
        return key

    def _check_domain(self, key: str, expected: str | None, pname: str, role: str, line: int) -> None:
        if expected is None or expected not in self.ontology.classes:
            return
        actual = self.seeds.types[key]
        if not self.ontology.is_a(actual, expected):
            raise self.error(
                f"{pname} expects a {expected} as {role}, but {key!r} is a {actual}",
                line,
                f"use another property, or check the type of {key!r}",
            )

    def _add(
        self,
        subject: str,
        pname: str,
        obj: str | None,
        value: Literal | None,
        quote: YStr,
        span: tuple[int, int],
        line: int,
        status: YValue | None = None,
        note: YValue | None = None,
    ) -> None:
        what = obj if obj is not None else (value.n3() if value is not None else "")
        signature = (subject, pname, what, " ".join(quote.split()))
        if signature in self.seen:
            raise self.error(f"duplicate fact {subject} {pname} {what}", line, "remove one of the two")
        self.seen.add(signature)
        status_iri = None
        if status is not None:
            status_text = _text(status, self.shown, line, "status")
            status_iri = self.ontology.statuses.get(status_text)
            if status_iri is None:
                raise self.error(
                    f"unknown status {status_text!r}",
                    status_text.line,
                    f"use one of {', '.join(sorted(self.ontology.statuses))}",
                )
        target: URIRef | Literal
        if pname == "type":
            predicate, target = RDF.type, self.ontology.classes[str(what)]
        elif pname == "name":
            assert value is not None
            predicate, target = SKOS.altLabel, value
        else:
            predicate = self.ontology.properties[pname].iri
            target = ID[obj] if obj is not None else value  # type: ignore[assignment]
        self.seeds.facts.append(
            Fact(
                source=self.source,
                shown=self.shown,
                line=line,
                subject=subject,
                predicate=predicate,
                target=target,
                quote=" ".join(quote.split()),
                span=span,
                status=status_iri,
                note=None if note is None else str(_text(note, self.shown, line, "note")),
            )
        )


def _check_cycles(seeds: Seeds, ontology: Ontology) -> None:
    """Refuse a cycle in sub-organisation or place containment."""
    for pname in ("subOrganizationOf", "containedInPlace", "partOf"):
        prop = ontology.properties.get(pname)
        if prop is None:
            continue
        edges: dict[str, list[tuple[str, Fact]]] = {}
        for fact in seeds.facts:
            if fact.predicate == prop.iri:
                edges.setdefault(fact.subject, []).append((str(fact.target)[len(ID) :], fact))
        for start in sorted(edges):
            stack = [(start, [start])]
            while stack:
                node, trail = stack.pop()
                for target, fact in edges.get(node, []):
                    if target == start:
                        raise SeedError(
                            f"cycle in {pname}: {' -> '.join([*trail, start])}",
                            path=fact.shown,
                            line=fact.line,
                            hint=f"an entity cannot be its own {pname} through others: remove one link",
                        )
                    if target not in trail:
                        stack.append((target, [*trail, target]))
