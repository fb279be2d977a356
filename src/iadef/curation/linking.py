"""The curated entities as Wikidata reconciliation targets, and ``iadef link`` over them.

:func:`link` reads the curated graph, turns every linkable entity into a
:class:`~iadef.wikidata.linker.Target` (its class lineage, labels, the names its
documents use, its acronyms) and hands them to :func:`iadef.wikidata.linker.reconcile`,
which knows Wikidata but not the ontology or the seed files.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from rdflib import RDFS, URIRef

from iadef.curation.build import load
from iadef.curation.loader import Seeds
from iadef.curation.ontology import Ontology
from iadef.errors import IadefError
from iadef.namespaces import IADEF, SKOS
from iadef.paths import Project
from iadef.wikidata.linker import LINKABLE, LinkReport, Target, reconcile
from iadef.wikidata.scoring import Names
from iadef.wikidata.settings import LANGUAGES, Settings


def lineage(ontology: Ontology, cls: str) -> tuple[str, ...]:
    """``cls`` and its iadef superclasses, nearest first (breadth-first)."""
    order, todo = [cls], [cls]
    while todo:
        current = ontology.classes.get(todo.pop(0))
        if current is None:
            continue
        for parent in sorted(ontology.graph.objects(current, RDFS.subClassOf), key=str):
            name = str(parent)[len(str(IADEF)) :] if str(parent).startswith(str(IADEF)) else None
            if name and name not in order:
                order.append(name)
                todo.append(name)
    return tuple(order)


def targets(ontology: Ontology, seeds: Seeds, only: Sequence[str] | None = None) -> list[Target]:
    """The entities to reconcile, in key order."""
    if only:
        unknown = [k for k in only if k not in seeds.records]
        if unknown:
            close = difflib.get_close_matches(unknown[0], list(seeds.records), n=3)
            raise IadefError(
                f"unknown entity key {unknown[0]!r}",
                hint=f"did you mean {', '.join(close)}?" if close else "see seeds/entities.yaml",
            )
    doc_names: dict[str, list[str]] = {}
    for fact in seeds.facts:
        if fact.predicate == SKOS.altLabel and not isinstance(fact.target, URIRef):
            doc_names.setdefault(fact.subject, []).append(str(fact.target))
    found = []
    for key in sorted(only or seeds.records):
        cls = seeds.types[key]
        chain = lineage(ontology, cls)
        if not only and not any(name in chain for name in LINKABLE):
            continue
        record = seeds.records[key]
        labels = [record.labels[lang] for lang in LANGUAGES if lang in record.labels]
        full = tuple(dict.fromkeys(labels + doc_names.get(key, [])))
        queries = [(labels[0], "fr"), (labels[0], "en")]
        if len(labels) > 1 and labels[1].casefold() != labels[0].casefold():
            queries.append((labels[1], "en"))
        queries += [(acronym, lang) for acronym in record.acronyms for lang in LANGUAGES]
        found.append(Target(key, cls, chain, Names(full, tuple(record.acronyms)), tuple(dict.fromkeys(queries))))
    return found


def link(
    project: Project,
    settings: Settings,
    only: Sequence[str] | None = None,
    today: str | None = None,
) -> LinkReport:
    """Run the reconciliation and rewrite ``seeds/wikidata-links.yaml`` (machine entries only)."""
    ontology, seeds, _ = load(project)
    found = targets(ontology, seeds, only)
    return reconcile(
        project, found, settings, classes=set(ontology.classes), keys=set(seeds.records), only=only, today=today
    )
