"""The extractor's rules, read from the data files in ``iadef/ingest/data/``.

Trigger words, head-word classes, post titles, status words and stop lists are data,
not Python literals: curators change them without touching code. Every file is read
with :mod:`iadef.yamlfile` (strict, every scalar as text, line numbers kept), and a
malformed rule is an :class:`~iadef.errors.IngestError` naming the file and line.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from iadef.ingest.eventrules import EventRules, read_events
from iadef.ingest.ruleio import ClassRule, RuleFile, folded
from iadef.ingest.textutil import norm
from iadef.yamlfile import YList, YMap, YStr

DATA = Path(__file__).resolve().parent / "data"
SIDES = ("before", "after", "any")


@dataclass(frozen=True)
class RelationRule:
    name: str
    prop: str
    triggers: tuple[str, ...]
    subject: str
    obj: str
    exclude_subject: tuple[str, ...] = ()
    exclude_object: tuple[str, ...] = ()
    subject_side: str = "any"
    object_side: str = "any"
    window: int = 30
    confidence: float = 0.5
    status: bool = False
    no_verb_between: bool = False
    not_in_apposition: bool = False
    nearest: bool = False
    examples: bool = False
    lists: bool = False
    skip_complements: bool = False


@dataclass(frozen=True)
class DateRule:
    name: str
    prop: str
    subject: str
    triggers: tuple[str, ...]
    exclude_subject: tuple[str, ...]
    confidence: float
    every: bool = False


@dataclass
class Rules:
    """Every rule of the extractor, with folded words."""

    heads: dict[str, ClassRule] = field(default_factory=dict)
    labels: dict[str, ClassRule] = field(default_factory=dict)
    suffixes: dict[str, ClassRule] = field(default_factory=dict)
    countries: set[str] = field(default_factory=set)
    territories: set[str] = field(default_factory=set)
    common: dict[str, ClassRule] = field(default_factory=dict)
    accented: dict[str, str] = field(default_factory=dict)  # folded common word -> its written form
    expertise: tuple[str, ...] = ()
    actor_verbs: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    frame_properties: tuple[str, ...] = ()
    connectives: tuple[str, ...] = ()
    topics: list[str] = field(default_factory=list)
    distinct: tuple[str, ...] = ()
    name_heads: tuple[str, ...] = ()
    name_head_adjectives: tuple[str, ...] = ()
    site_heads: tuple[str, ...] = ()
    part_heads: tuple[str, ...] = ()
    consortium_heads: tuple[str, ...] = ()
    named_only: tuple[str, ...] = ()
    member_nouns: tuple[str, ...] = ()
    local_adjectives: tuple[str, ...] = ()
    name_adjectives: frozenset[str] = frozenset()
    called: dict[str, tuple[str, ...]] = field(default_factory=dict)
    demonstrative_references: tuple[str, ...] = ()
    genders: dict[str, str] = field(default_factory=dict)
    pronoun_genders: dict[str, str] = field(default_factory=dict)
    references: dict[str, tuple[str, ...]] = field(default_factory=dict)
    named_nouns: dict[str, ClassRule] = field(default_factory=dict)
    titles: list[str] = field(default_factory=list)
    title_orgs: dict[str, str] = field(default_factory=dict)
    title_modifiers: tuple[str, ...] = ()
    title_deputies: tuple[str, ...] = ()
    title_links: tuple[str, ...] = ()
    title_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # before, former, nationalities, executives
    heading: dict[str, dict[str, str]] = field(default_factory=dict)  # verbs, nouns, bodies (posts.yaml)
    statuses: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    media: set[str] = field(default_factory=set)
    byline_prefixes: tuple[str, ...] = ()
    source_prefixes: tuple[str, ...] = ()
    not_entities: set[str] = field(default_factory=set)
    relations: list[RelationRule] = field(default_factory=list)
    dates: list[DateRule] = field(default_factory=list)
    date_horizons: tuple[str, ...] = ()
    objective_triggers: tuple[str, ...] = ()
    objective_subjects: tuple[str, ...] = ()
    objective_stops: tuple[str, ...] = ()
    objective_lists: tuple[str, ...] = ()
    objective_support: tuple[str, ...] = ()
    objective_breaks: tuple[str, ...] = ()
    description_subjects: tuple[str, ...] = ()
    apposition_starts: tuple[str, ...] = ()
    description_skip_verbs: tuple[str, ...] = ()
    description_confidence: float = 0.4
    objective_confidence: float = 0.5
    months: dict[str, int] = field(default_factory=dict)
    seasons: dict[str, int] = field(default_factory=dict)
    vague: tuple[str, ...] = ()
    multipliers: dict[str, int] = field(default_factory=dict)
    currencies: dict[str, str] = field(default_factory=dict)
    people: tuple[str, ...] = ()
    approximately: tuple[str, ...] = ()
    governing_heads: tuple[str, ...] = ()
    topic_links: tuple[str, ...] = ()
    governing_classes: tuple[str, ...] = ()
    unit_heads: tuple[str, ...] = ()
    unit_adjectives: frozenset[str] = frozenset()
    events: EventRules = field(default_factory=EventRules)


@functools.lru_cache(maxsize=4)
def load_rules(folder: Path = DATA) -> Rules:
    """Read every data file of ``folder`` (the package's own by default), once."""
    rules = Rules()
    f = RuleFile("classes.yaml", folder)
    rules.heads = f.class_rules(f.get(f.data, "heads"), "heads")
    rules.labels = {k.upper(): v for k, v in f.class_rules(f.get(f.data, "labels"), "labels").items()}
    rules.suffixes = f.class_rules(f.get(f.data, "suffixes"), "suffixes")
    rules.countries = set(folded(f.words(f.get(f.data, "countries"), "countries")))
    rules.territories = set(folded(f.words(f.get(f.data, "territories"), "territories")))
    rules.common = f.class_rules(f.get(f.data, "common"), "common")
    rules.accented = {norm(w): w.lower() for w in f.words(f.get(f.data, "accented"), "accented")}
    rules.expertise = folded(f.words(f.get(f.data, "expertise"), "expertise"))
    rules.actor_verbs = folded(f.words(f.get(f.data, "actor_verbs"), "actor_verbs"))
    rules.topics = f.words(f.get(f.data, "topics"), "topics")
    governing = f.mapping(f.get(f.data, "governing"), "governing")
    rules.governing_heads = folded(f.words(f.get(governing, "heads"), "governing.heads"))
    rules.governing_classes = tuple(f.words(f.get(governing, "classes"), "governing.classes"))
    rules.topic_links = folded(f.words(f.get(f.data, "topic_links"), "topic_links"))
    genders = f.mapping(f.get(f.data, "genders"), "genders")
    for gender in ("feminine", "masculine"):
        rules.genders.update({w: gender for w in folded(f.words(f.get(genders, gender), f"genders.{gender}"))})
    for gender, words in f.mapping(f.get(genders, "pronouns"), "genders.pronouns").items():
        rules.pronoun_genders.update({w: str(gender) for w in folded(f.words(words, f"pronouns.{gender}"))})
    rules.demonstrative_references = folded(
        f.words(f.get(f.data, "demonstrative_references"), "demonstrative_references")
    )
    called = f.mapping(f.get(f.data, "called"), "called")
    rules.called = {
        "verbs": folded(f.words(f.get(called, "verbs"), "called.verbs")),
        "default": (str(f.get(called, "default")),),
    }
    rules.name_adjectives = frozenset(folded(f.words(f.get(f.data, "name_adjectives"), "name_adjectives")))
    rules.name_heads = folded(f.words(f.get(f.data, "name_heads"), "name_heads"))
    rules.name_head_adjectives = folded(f.words(f.get(f.data, "name_head_adjectives"), "name_head_adjectives"))
    rules.distinct = folded(f.words(f.get(f.data, "distinct"), "distinct"))
    rules.site_heads = folded(f.words(f.get(f.data, "site_heads"), "site_heads"))
    rules.part_heads = folded(f.words(f.get(f.data, "part_heads"), "part_heads"))
    rules.named_only = folded(f.words(f.get(f.data, "named_only"), "named_only"))
    local = f.mapping(f.get(f.data, "local_members"), "local_members")
    rules.member_nouns = folded(f.words(f.get(local, "nouns"), "local_members.nouns"))
    rules.local_adjectives = folded(f.words(f.get(local, "adjectives"), "local_members.adjectives"))
    rules.consortium_heads = folded(f.words(f.get(f.data, "consortium_heads"), "consortium_heads"))
    rules.references = {
        norm(word): tuple(f.words(classes, f"references.{word}"))
        for word, classes in f.mapping(f.get(f.data, "references"), "references").items()
    }
    for word, body in f.mapping(f.get(f.data, "named_nouns"), "named_nouns").items():
        body = f.mapping(body, f"named_nouns.{word}")
        rules.named_nouns[word] = ClassRule(
            str(f.get(body, "class")), f.number(f.get(body, "confidence"), "confidence")
        )

    units = f.mapping(f.get(f.data, "units"), "units")
    rules.unit_heads = folded(f.words(f.get(units, "heads"), "units.heads"))
    rules.unit_adjectives = frozenset(folded(f.words(f.get(units, "adjectives"), "units.adjectives")))

    f = RuleFile("posts.yaml", folder)
    rules.titles = sorted(folded(f.words(f.get(f.data, "titles"), "titles")), key=lambda t: (-len(t), t))
    rules.title_modifiers = folded(f.words(f.get(f.data, "modifiers"), "modifiers"))
    rules.title_deputies = folded(f.words(f.get(f.data, "deputies"), "deputies"))
    rules.title_links = tuple(sorted(folded(f.words(f.get(f.data, "links"), "links")), key=lambda t: (-len(t), t)))
    rules.title_orgs = {norm(k): str(v) for k, v in f.mapping(f.get(f.data, "organisation"), "organisation").items()}
    rules.title_words = {
        k: folded(f.words(f.get(f.data, k), k)) for k in ("before", "former", "nationalities", "executives")
    }
    heading = f.mapping(f.get(f.data, "heading"), "heading")
    rules.heading = {
        k: {norm(w): str(v) for w, v in f.mapping(f.get(heading, k), k).items()} for k in ("verbs", "nouns", "bodies")
    }

    f = RuleFile("statuses.yaml", folder)
    for status, words in f.mapping(f.get(f.data, "statuses"), "statuses").items():
        rules.statuses.append((str(status), folded(f.words(words, f"statuses.{status}"))))

    f = RuleFile("stoplists.yaml", folder)
    rules.media = set(folded(f.words(f.get(f.data, "media"), "media")))
    rules.byline_prefixes = folded(f.words(f.get(f.data, "byline_prefixes"), "byline_prefixes"))
    rules.source_prefixes = folded(f.words(f.get(f.data, "source_prefixes"), "source_prefixes"))
    rules.not_entities = set(folded(f.words(f.get(f.data, "not_entities"), "not_entities")))

    f = RuleFile("relations.yaml", folder)
    relations = f.get(f.data, "relations")
    if not isinstance(relations, YList):
        raise f.error("relations must be a list", relations.line)
    for item in relations:
        body = f.mapping(item, "a relation rule")
        rules.relations.append(_relation(f, body))
    dates = f.get(f.data, "dates")
    if not isinstance(dates, YList):
        raise f.error("dates must be a list", dates.line)
    for item in dates:
        body = f.mapping(item, "a date rule")
        rules.dates.append(
            DateRule(
                name=str(f.get(body, "name")),
                prop=str(f.get(body, "property")),
                subject=str(f.get(body, "subject")),
                triggers=folded(f.words(f.get(body, "triggers"), "triggers")),
                exclude_subject=tuple(f.words(body["exclude_subject"], "exclude_subject"))
                if "exclude_subject" in body
                else (),
                confidence=f.number(f.get(body, "confidence"), "confidence"),
                every=str(body.get("every", "false")) == "true",
            )
        )
    rules.date_horizons = folded(f.words(f.get(f.data, "date_horizons"), "date_horizons"))
    rules.frames = folded(f.words(f.get(f.data, "frames"), "frames"))
    rules.frame_properties = tuple(f.words(f.get(f.data, "frame_properties"), "frame_properties"))
    rules.connectives = folded(f.words(f.get(f.data, "connectives"), "connectives"))
    objectives = f.mapping(f.get(f.data, "objectives"), "objectives")
    rules.objective_triggers = tuple(
        sorted(folded(f.words(f.get(objectives, "triggers"), "triggers")), key=lambda t: (-len(t), t))
    )
    rules.objective_subjects = tuple(f.words(f.get(objectives, "subject"), "subject"))
    rules.objective_stops = folded(f.words(f.get(objectives, "stops"), "stops"))
    rules.objective_breaks = folded(f.words(f.get(objectives, "breaks"), "breaks"))
    rules.objective_lists = folded(f.words(f.get(objectives, "lists"), "lists"))
    rules.objective_support = folded(f.words(f.get(objectives, "support"), "support"))
    rules.objective_confidence = f.number(f.get(objectives, "confidence"), "confidence")

    descriptions = f.mapping(f.get(f.data, "descriptions"), "descriptions")
    rules.description_subjects = tuple(f.words(f.get(descriptions, "subject"), "descriptions.subject"))
    rules.apposition_starts = folded(f.words(f.get(descriptions, "apposition_starts"), "apposition_starts"))
    rules.description_skip_verbs = folded(f.words(f.get(descriptions, "skip_verbs"), "skip_verbs"))
    rules.description_confidence = f.number(f.get(descriptions, "confidence"), "confidence")
    rules.events = read_events(f, f.mapping(f.get(f.data, "events"), "events"))

    f = RuleFile("literals.yaml", folder)
    rules.months = {norm(k): int(str(v)) for k, v in f.mapping(f.get(f.data, "months"), "months").items()}
    rules.seasons = {norm(k): int(str(v)) for k, v in f.mapping(f.get(f.data, "seasons"), "seasons").items()}
    rules.vague = folded(f.words(f.get(f.data, "vague"), "vague"))
    rules.multipliers = {
        norm(k): int(str(v)) for k, v in f.mapping(f.get(f.data, "multipliers"), "multipliers").items()
    }
    rules.currencies = {norm(k): str(v) for k, v in f.mapping(f.get(f.data, "currencies"), "currencies").items()}
    rules.people = folded(f.words(f.get(f.data, "people"), "people"))
    rules.approximately = folded(f.words(f.get(f.data, "approximately"), "approximately"))
    return rules


def _relation(f: RuleFile, body: YMap) -> RelationRule:
    def side(key: str) -> str:
        value = str(body.get(key, "any"))
        if value not in SIDES:
            raise f.error(f"{key} must be one of {', '.join(SIDES)}", body.key_lines[key])
        return value

    def classes(key: str) -> tuple[str, ...]:
        return tuple(f.words(body[key], key)) if key in body else ()

    return RelationRule(
        name=str(f.get(body, "name")),
        prop=str(f.get(body, "property")),
        triggers=folded(f.words(f.get(body, "triggers"), "triggers")),
        subject=str(f.get(body, "subject")),
        obj=str(f.get(body, "object")),
        exclude_subject=classes("exclude_subject"),
        exclude_object=classes("exclude_object"),
        subject_side=side("subject_side"),
        object_side=side("object_side"),
        window=int(f.number(body.get("window", YStr("30")), "window")),
        confidence=f.number(f.get(body, "confidence"), "confidence"),
        status=str(body.get("status", "false")) == "true",
        no_verb_between=str(body.get("no_verb_between", "false")) == "true",
        not_in_apposition=str(body.get("not_in_apposition", "false")) == "true",
        nearest=str(body.get("nearest", "false")) == "true",
        examples=str(body.get("examples", "false")) == "true",
        lists=str(body.get("list", "false")) == "true",
        skip_complements=str(body.get("skip_complements", "false")) == "true",
    )
