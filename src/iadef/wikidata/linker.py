"""``iadef link``: reconcile iadef entities with Wikidata items.

For every organisation, person, place, programme and event of the graph (or the keys
given with ``--only``) whose decision is not a human one (accepted or rejected):

1. candidates from ``wbsearchentities``: the French label in French and English, the
   English label in English, acronyms in both;
2. details of every candidate from ``wbgetentities`` (batches of at most 50, redirects
   followed), then the labels of their ``instance of`` values;
3. a score per candidate (:mod:`.scoring`) and a decision by the thresholds: auto,
   proposed, or none (a previous auto/proposed entry is then removed).

Human decisions are never changed; their QIDs are fetched too, so that ``iadef enrich``
finds them in the cache. Offline, or once Wikidata proved unreachable, only the cache
is used and entities whose answers are not cached are skipped (and counted).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from iadef.errors import IadefError
from iadef.paths import Project
from iadef.wikidata import entity as wd
from iadef.wikidata.cache import Cache, CacheMiss
from iadef.wikidata.client import WikidataClient, WikidataUnreachable
from iadef.wikidata.decisions import Decision, read_decisions, write_decisions
from iadef.wikidata.scoring import Names, Score, classify, score
from iadef.wikidata.settings import CACHE_DIR, LINKS_FILE, TYPES_FILE, Settings
from iadef.wikidata.typemap import TypeRule, load_typemap

LINKABLE = ("Organization", "Person", "Place", "Programme", "Event")
MAX_CANDIDATES = 10


@dataclass(frozen=True)
class Target:
    """One iadef entity to reconcile."""

    key: str
    cls: str
    lineage: tuple[str, ...]  # the class, then its superclasses, most specific first
    names: Names
    queries: tuple[tuple[str, str], ...]  # (term, language)


@dataclass
class LinkReport:
    """What a run of ``iadef link`` did."""

    decisions: dict[str, Decision]
    counts: dict[str, int] = field(default_factory=lambda: {"auto": 0, "proposed": 0, "left": 0, "human": 0})
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    requests: int = 0
    cache_hits: int = 0
    changed: bool = False


def reconcile(
    project: Project,
    found: Sequence[Target],
    settings: Settings,
    *,
    classes: set[str],
    keys: set[str],
    only: Sequence[str] | None = None,
    today: str | None = None,
) -> LinkReport:
    """Reconcile ``found`` and rewrite ``seeds/wikidata-links.yaml`` (machine entries only).

    ``classes`` are the ontology's class names (the type map is checked against them) and
    ``keys`` every entity key (a decision for another key is refused); the curated side
    is read by :func:`iadef.curation.linking.link`, which calls this.
    """
    typemap = load_typemap(project.root / TYPES_FILE, TYPES_FILE.as_posix(), classes)
    links_path = project.root / LINKS_FILE
    decisions = read_decisions(links_path, LINKS_FILE.as_posix(), keys)
    client = WikidataClient(settings, Cache(project.root / CACHE_DIR))
    report = LinkReport(decisions=dict(decisions))
    day = today or date.today().isoformat()

    todo: list[Target] = []
    candidates: dict[str, list[str]] = {}
    for target in found:
        if target.key in decisions and decisions[target.key].human:
            report.counts["human"] += 1
            continue
        try:
            candidates[target.key] = _search(client, target)
        except (CacheMiss, WikidataUnreachable) as exc:
            _skip(report, target.key, exc)
            continue
        todo.append(target)

    human_qids = [d.qid for d in decisions.values() if d.human and (not only or d.key in only)]
    wanted = human_qids + [q for ids in candidates.values() for q in ids]
    items = client.entities(wanted, partial=True)
    p31 = sorted({q for item in items.values() for q in wd.items(item, "P31")})
    p31_items = client.entities(p31, props="labels", partial=True)
    p31_labels = {q: wd.texts(item, "labels") for q, item in p31_items.items()}

    for target in todo:
        ids = candidates[target.key]
        if any(q not in items for q in ids):
            _skip(report, target.key, CacheMiss("candidate details not in the cache"))
            continue
        rule = typemap.rule_for(list(target.lineage))
        scored = _best(target, [items[q] for q in ids], rule, p31_labels)
        status = classify(scored[0] if scored else None, scored[1] if len(scored) > 1 else None)
        report.counts[status] += 1
        previous = report.decisions.get(target.key)
        if status == "left":
            report.decisions.pop(target.key, None)
            continue
        best = scored[0]
        new = Decision(target.key, best.qid, status, day, best.label, best.total, _evidence(best, items))
        if previous is not None and previous.same_as(new):
            new = previous
        report.decisions[target.key] = new

    report.requests, report.cache_hits = client.requests, client.cache_hits
    report.warnings = list(dict.fromkeys(client.warnings + report.warnings))
    report.changed = write_decisions(links_path, report.decisions)
    return report


def _search(client: WikidataClient, target: Target) -> list[str]:
    ids: list[str] = []
    for term, language in target.queries:
        for hit in client.search(term, language):
            qid = hit.get("id")
            if isinstance(qid, str) and qid not in ids:
                ids.append(qid)
    return ids[:MAX_CANDIDATES]


def _best(target: Target, items: list[wd.Json], rule: TypeRule | None, p31_labels: dict[str, list[str]]) -> list[Score]:
    """Scores of the usable candidates, best first; one per resolved QID."""
    by_qid: dict[str, Score] = {}
    for item in items:
        if wd.is_missing(item):
            continue
        s = score(target.names, item, rule, p31_labels)
        if s.qid not in by_qid or s.total > by_qid[s.qid].total:
            by_qid[s.qid] = s
    return sorted(by_qid.values(), key=lambda s: (-s.total, len(s.qid), s.qid))


def _evidence(best: Score, items: dict[str, wd.Json]) -> str:
    item = next((i for i in items.values() if wd.resolved_id(i) == best.qid and not wd.is_missing(i)), {})
    revision, retrieved, api = item.get("lastrevid", "?"), item.get("_retrieved", "?"), item.get("_api", "?")
    return (
        f"iadef link: wbsearchentities + wbgetentities at {api}, revision {revision} "
        f"retrieved {retrieved}; {best.explain()}"
    )


def _skip(report: LinkReport, key: str, exc: IadefError) -> None:
    report.skipped.append(key)
    if isinstance(exc, WikidataUnreachable):
        report.warnings.append(f"{exc.message}; continuing from the cache only")
