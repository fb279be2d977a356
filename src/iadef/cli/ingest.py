"""``iadef ingest`` and ``iadef review``: from an article to reviewed, sourced facts.

Registered through :data:`iadef.cli.PLUGINS`. Handlers import the library (and so spaCy,
lazily) only when they run; errors are :class:`iadef.errors.IngestError`, turned into
messages by ``iadef.cli.main``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def _project(args: argparse.Namespace) -> Any:
    from iadef.paths import find_project

    return find_project(args.root)


def cmd_ingest(args: argparse.Namespace) -> int:
    from iadef.ingest import ingest

    project = _project(args)
    results = ingest(
        project,
        [Path(f) for f in args.files],
        lang=args.lang,
        title=args.title,
        issued=args.issued,
        url=args.url,
        publisher=args.publisher,
        key=args.key,
        dry_run=args.dry_run,
    )
    if args.dry_run or args.format:
        payload = [r.proposal.as_json() for r in results]
        data: Any = payload[0] if len(payload) == 1 else payload
        if args.format == "yaml":
            from iadef.ingest.yamlio import dump

            print(dump(data), end="")
        else:
            print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))
        if args.dry_run:
            return 0
    for result in results:
        proposal = result.proposal
        print(
            f"{result.article.key}: {len(proposal.entities)} entities, {len(proposal.facts)} facts proposed"
            f" ({result.kept_decisions} decisions kept)"
        )
        if result.queue_path is not None:
            print(
                f"  {project.relative(result.queue_path)}  (review with `iadef review list --source "
                f"{result.article.key}`)"
            )
    return 0


def _labels(items: list[dict[str, Any]]) -> dict[str, str]:
    return {i["id"]: i["label"] for i in items if i["kind"] == "entity"}


def cmd_list(args: argparse.Namespace) -> int:
    from iadef.ingest import list_items

    items = list_items(_project(args), args.source, args.decision)
    if args.format == "json":
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    labels = _labels(list_items(_project(args), args.source))
    for item in items:
        if item["kind"] == "entity":
            existing = f" = {item['existing']}" if item.get("existing") else " (new)"
            print(
                f"{item['id']}  {item['decision']:<8} entity {item['class']} {item['label']!r}{existing}"
                f"  [{item['rule']} {item['confidence']}]"
            )
        else:
            target = labels.get(item.get("o") or "", None) or repr(item.get("v"))
            print(
                f"{item['id']}  {item['decision']:<8} fact   {labels.get(item['s'], item['s'])} {item['p']} {target}"
                f"  [{item['rule']} {item['confidence']}]\n      « {item['quote'][:160]} »"
            )
    return 0


def _decide(args: argparse.Namespace, decision: str, edits: dict[str, str] | None = None) -> int:
    from iadef.ingest import decide, locate

    project = _project(args)
    for item_id in args.ids:
        source = locate(project, item_id, args.source)
        item = decide(project, source, item_id, decision, edits)
        print(f"{item_id}: {item['decision']}")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    return _decide(args, "accepted")


def cmd_reject(args: argparse.Namespace) -> int:
    return _decide(args, "rejected")


def cmd_edit(args: argparse.Namespace) -> int:
    from iadef.errors import IngestError

    edits = {}
    for pair in args.set or []:
        if "=" not in pair:
            raise IngestError(f"--set {pair!r} is not FIELD=VALUE", path="--set", hint="e.g. --set class=Agency")
        name, value = pair.split("=", 1)
        edits[name.strip()] = value
    if args.merge_into:
        from iadef.ingest import locate, merge_entity

        project = _project(args)
        for item_id in args.ids:
            target = merge_entity(project, locate(project, item_id, args.source), item_id, args.merge_into)
            print(f"{item_id}: merged into {target['id']}")
        return 0
    return _decide(args, "accepted", edits)


def cmd_apply(args: argparse.Namespace) -> int:
    from iadef.ingest import apply_queue

    project = _project(args)
    report = apply_queue(project, args.source, partial=args.partial)
    print(f"applied {report.facts} facts on {report.entities} entities ({len(report.new_entities)} new)")
    for path in sorted(report.changed):
        print(f"  {project.relative(path)}  (written)")
    print("  next: `iadef build`")
    return 0


def register(sub: Any) -> None:
    """Add ``ingest`` and ``review`` to the ``iadef`` sub-commands."""
    ingest = sub.add_parser("ingest", help="read new articles: propose entities and sourced facts for review")
    ingest.add_argument("files", nargs="+", metavar="FILE", help="UTF-8 text of the article(s)")
    ingest.add_argument("--lang", default="fr", help="fr (spaCy fr_core_news_md) or en (no model: weaker)")
    ingest.add_argument("--title", help="title (default: the first line of the text)")
    ingest.add_argument("--issued", help="publication date (YYYY-MM-DD, YYYY-MM or YYYY)")
    ingest.add_argument("--url", help="where the article was read")
    ingest.add_argument("--publisher", metavar="KEY", help="entity key of the publisher")
    ingest.add_argument("--key", help="source key (default: doc-NNN-<title slug>)")
    ingest.add_argument("--dry-run", action="store_true", help="write nothing; print the proposal")
    ingest.add_argument("--format", choices=("json", "yaml"), help="print the proposal in this format")
    ingest.set_defaults(handler=cmd_ingest)

    review = sub.add_parser("review", help="review proposals: list, accept, reject, edit, apply")
    rsub = review.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    listing = rsub.add_parser("list", help="list the items of the review queues")
    listing.add_argument("--source", metavar="KEY")
    listing.add_argument("--decision", choices=("pending", "accepted", "rejected"))
    listing.add_argument("--format", choices=("text", "json"), default="text")
    listing.set_defaults(handler=cmd_list)
    for name, handler, text in (("accept", cmd_accept, "accept items"), ("reject", cmd_reject, "reject items")):
        action = rsub.add_parser(name, help=text)
        action.add_argument("ids", nargs="+", metavar="ID")
        action.add_argument("--source", metavar="KEY")
        action.set_defaults(handler=handler)
    edit = rsub.add_parser("edit", help="change fields of items (and accept them), or merge an entity")
    edit.add_argument("ids", nargs="+", metavar="ID")
    edit.add_argument("--source", metavar="KEY")
    edit.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="entity: label, class, existing, key; fact: s, p, o, v, status, quote, note",
    )
    edit.add_argument("--merge-into", metavar="KEY_OR_ID", help="merge the entity into an entity key or another id")
    edit.set_defaults(handler=cmd_edit)
    apply = rsub.add_parser("apply", help="write accepted items to seeds/facts/SOURCE.yaml and seeds/entities.yaml")
    apply.add_argument("source", metavar="SOURCE")
    apply.add_argument("--partial", action="store_true", help="apply even if some items are still pending")
    apply.set_defaults(handler=cmd_apply)
