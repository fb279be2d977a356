"""The words of the event rules (data/relations.yaml ``events``), read and folded for iadef.ingest.events,
iadef.ingest.launches and iadef.ingest.awards."""

from __future__ import annotations

from dataclasses import dataclass, field

from iadef.ingest.ruleio import RuleFile, folded
from iadef.ingest.textutil import norm
from iadef.yamlfile import YMap, YValue


@dataclass(frozen=True)
class EventRules:
    """The words of the event rules, folded."""

    announce_verbs: tuple[str, ...] = ()
    announce_objects: tuple[str, ...] = ()  # verbs whose direct object is what is announced ("a dévoilé l'agence")
    announce_reporting: tuple[str, ...] = ()  # verbs that announce only what their clause reports ("a indiqué avoir")
    announce_nouns: tuple[str, ...] = ()
    announce_amounts: tuple[str, ...] = ()  # nouns of an amount ("la mobilisation d'une enveloppe de 200 M€")
    announce_acquisitions: tuple[str, ...] = ()  # nouns whose object is a company ("le rachat de X")
    time_words: tuple[str, ...] = ()  # words of a time between a verb and its object ("mardi dernier")
    launch_participles: dict[str, str] = field(default_factory=dict)  # participle -> noun of the label
    launch_auxiliaries: tuple[str, ...] = ()
    launch_active: dict[str, str] = field(default_factory=dict)  # "a inauguré" -> noun of the label
    launch_active_of: tuple[str, ...] = ()  # those whose object follows "de" ("a posé la première pierre d'un …")
    launch_objects: tuple[str, ...] = ()  # nouns of a place or a body inaugurated when no name is ("le pôle …")
    award_verbs: dict[str, str] = field(default_factory=dict)  # verb form -> noun of the label
    award_not_objects: frozenset[str] = frozenset()
    award_authorities: tuple[str, ...] = ()
    award_not_recipients: tuple[str, ...] = ()
    order_verbs: dict[str, str] = field(default_factory=dict)  # "a commandé" -> noun of the label
    won_verbs: tuple[str, ...] = ()  # "a remporté", "a décroché"
    won_nouns: tuple[str, ...] = ()  # what is won: "une commande", "un marché"
    confidence: float = 0.6


def read_events(f: RuleFile, body: YMap) -> EventRules:
    announcements = f.mapping(f.get(body, "announcements"), "events.announcements")
    launches = f.mapping(f.get(body, "launches"), "events.launches")
    awards = f.mapping(f.get(body, "awards"), "events.awards")
    orders = f.mapping(f.get(body, "orders"), "events.orders")

    def nouns(value: YValue, what: str) -> dict[str, str]:
        return {norm(k): str(v) for k, v in f.mapping(value, what).items()}

    def words(parent: YMap, key: str, what: str) -> tuple[str, ...]:
        return folded(f.words(f.get(parent, key), f"{what}.{key}"))

    return EventRules(
        announce_verbs=words(announcements, "verbs", "announcements"),
        announce_objects=words(announcements, "object_verbs", "announcements"),
        announce_reporting=words(announcements, "reporting_verbs", "announcements"),
        announce_nouns=words(announcements, "nouns", "announcements"),
        announce_amounts=words(announcements, "amount_nouns", "announcements"),
        announce_acquisitions=words(announcements, "acquisition_nouns", "announcements"),
        time_words=words(body, "time_words", "events"),
        launch_participles=nouns(f.get(launches, "participles"), "launches.participles"),
        launch_auxiliaries=words(launches, "auxiliaries", "launches"),
        launch_active=nouns(f.get(launches, "active"), "launches.active"),
        launch_active_of=words(launches, "active_of", "launches"),
        launch_objects=words(launches, "objects", "launches"),
        award_verbs=nouns(f.get(awards, "verbs"), "awards.verbs"),
        award_not_objects=frozenset(words(awards, "not_objects", "awards")),
        award_authorities=tuple(f.words(f.get(awards, "authorities"), "awards.authorities")),
        award_not_recipients=tuple(f.words(f.get(awards, "not_recipients"), "awards.not_recipients")),
        order_verbs=nouns(f.get(orders, "verbs"), "orders.verbs"),
        won_verbs=words(orders, "won_verbs", "orders"),
        won_nouns=words(orders, "won_nouns", "orders"),
        confidence=f.number(f.get(body, "confidence"), "events.confidence"),
    )
