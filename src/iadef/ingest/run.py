"""``iadef ingest``: article files in, review queues out (or a JSON proposal with dry_run).

A batch analyses every file with one analyzer, so the French model is loaded once. With
``dry_run`` nothing is written. Otherwise, per article and in one atomic group: the copy
in seeds/documents/, the block appended to seeds/sources.yaml, the review queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from iadef.curation.ontology import Ontology
from iadef.ingest.gazetteer import Gazetteer, build_gazetteer
from iadef.ingest.intake import Article, prepare, source_block
from iadef.ingest.model import Proposal
from iadef.ingest.nlp import analyzer
from iadef.ingest.pipeline import propose
from iadef.ingest.queue import load_queue, new_queue, queue_path
from iadef.ingest.rules import Rules, load_rules
from iadef.output import write_all
from iadef.paths import Project


@dataclass
class Ingested:
    article: Article
    proposal: Proposal
    queue_path: Path | None
    kept_decisions: int


def gazetteer_for(project: Project, rules: Rules, exclude_source: str | None = None) -> Gazetteer:
    return build_gazetteer(project, exclude_source, frozenset(rules.heads) | frozenset(rules.common))


def ingest(
    project: Project,
    paths: list[Path],
    *,
    lang: str = "fr",
    title: str | None = None,
    issued: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    key: str | None = None,
    dry_run: bool = False,
) -> list[Ingested]:
    """Check every file first (any bad one stops the batch before anything is written), then propose."""
    articles = [
        prepare(project, p, lang=lang, title=title, issued=issued, url=url, publisher=publisher, key=key) for p in paths
    ]
    rules = load_rules()
    ontology = Ontology.load(project.ontology, project.relative(project.ontology))
    gazetteer = gazetteer_for(project, rules)
    results = []
    for article in articles:
        nlp = analyzer(article.language if article.language in ("fr", "en") else lang)
        proposal = propose(article.text, nlp, gazetteer, rules, ontology, article.source_json())
        if dry_run:
            results.append(Ingested(article, proposal, None, 0))
            continue
        previous = load_queue(project, article.key) if queue_path(project, article.key).is_file() else None
        queue = new_queue(article.key, article.file, proposal, previous)
        kept = sum(1 for kind in ("entities", "facts") for i in queue[kind] if i.get("decision") != "pending")
        files: dict[Path, bytes] = {}
        if not article.registered:
            files[project.documents / article.file] = article.raw
            current = project.sources.read_text(encoding="utf-8")
            files[project.sources] = (current.rstrip("\n") + "\n" + source_block(article)).encode("utf-8")
        from iadef.ingest.queue import HEADER
        from iadef.ingest.yamlio import dump

        text = HEADER.format(key=article.key, file=article.file) + dump(queue)
        files[queue_path(project, article.key)] = text.encode("utf-8")
        write_all(files)
        results.append(Ingested(article, proposal, queue_path(project, article.key), kept))
    return results
