"""``iadef link`` and ``iadef enrich``: the Wikidata commands.

Registered through :data:`iadef.cli.main.PLUGINS`. Nothing heavy is imported until a
handler runs, so ``iadef --help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

from iadef.cli.options import http_url


def _project(args: argparse.Namespace) -> Any:
    from iadef.paths import find_project

    return find_project(args.root)


def cmd_link(args: argparse.Namespace) -> int:
    from iadef.curation.linking import link
    from iadef.wikidata.settings import LINKS_FILE, Settings

    settings = Settings.from_env(args.api, offline=args.offline, refresh=args.refresh)
    report = link(_project(args), settings, only=args.only or None)
    counts = report.counts
    where = "cache only" if args.offline else settings.api
    print(
        f"linked {counts['auto']} automatically, proposed {counts['proposed']}, left {counts['left']}, "
        f"kept {counts['human']} human decisions ({where})"
    )
    print(f"  {report.requests} requests to Wikidata, {report.cache_hits} answers from the cache")
    for warning in report.warnings:
        print(f"  warning: {warning}")
    if report.skipped:
        shown = ", ".join(report.skipped[:8]) + (" …" if len(report.skipped) > 8 else "")
        noun = "entity" if len(report.skipped) == 1 else "entities"
        print(f"  skipped {len(report.skipped)} {noun} without cached answers: {shown}")
    print(f"  {LINKS_FILE.as_posix()}  ({'written' if report.changed else 'unchanged'})")
    return 0


def cmd_enrich(args: argparse.Namespace) -> int:
    from iadef.wikidata.enrich import enrich

    project = _project(args)
    report = enrich(project)
    print(
        f"enriched {report.entities} linked entities with {report.facts} Wikidata facts "
        f"({report.links} links), from the cache only"
    )
    if report.without_data:
        shown = ", ".join(report.without_data[:8]) + (" …" if len(report.without_data) > 8 else "")
        print(f"  {len(report.without_data)} links have no cached Wikidata data ({shown}): run `iadef link` online")
    print(f"  {project.relative(report.path)}  ({'written' if report.changed else 'unchanged'})")
    return 0


def register(sub: Any) -> None:
    """Add ``link`` and ``enrich`` to the ``iadef`` sub-commands."""
    link = sub.add_parser(
        "link",
        help="reconcile entities with Wikidata into seeds/wikidata-links.yaml (human decisions are kept)",
    )
    link.add_argument("--offline", action="store_true", help="use only seeds/wikidata-cache/, never the network")
    link.add_argument(
        "--api",
        type=http_url,
        help="Wikidata API URL (default: IADEF_WIKIDATA_API or https://www.wikidata.org/w/api.php)",
    )
    link.add_argument("--only", action="append", metavar="KEY", help="reconcile only this entity key (repeatable)")
    link.add_argument("--refresh", action="store_true", help="ask Wikidata again even for cached requests")
    link.set_defaults(handler=cmd_link)

    enrich = sub.add_parser("enrich", help="copy linked Wikidata facts from the cache to graph/wikidata.trig")
    enrich.set_defaults(handler=cmd_enrich)
