"""The review queue: ``seeds/review/<source-key>.yaml``, one item per proposed entity or fact.

The functions here are the whole review API, for the terminal (``iadef review``) and for a
web handler alike; each reads the queue file, changes it and writes it back atomically:

    list_items(project, source=None, decision=None) -> list[dict]
    decide(project, source, item_id, decision, edits=None) -> dict
    merge_entity(project, source, entity_id, into) -> dict
    apply_queue(project, source, partial=False) -> ApplyReport   (iadef.ingest.apply)

Items keep their ids across runs (derived from content). Re-ingesting an article keeps
every decision taken (and the edits made), and never proposes again what was rejected.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from iadef.curation.ontology import Ontology
from iadef.errors import IngestError
from iadef.ingest.model import Proposal
from iadef.ingest.yamlio import dump
from iadef.output import write_atomic
from iadef.paths import Project

DECISIONS = ("pending", "accepted", "rejected")
ENTITY_EDITS = ("label", "class", "existing", "key")
FACT_EDITS = ("s", "p", "o", "v", "status", "quote", "note")
HEADER = (
    "# Review queue written by `iadef ingest`: one item per proposed entity and fact.\n"
    "# Set decision: accepted or rejected (or use `iadef review accept|reject|edit ID`), then\n"
    "# run `iadef review apply {key}`. Offsets are character offsets in seeds/documents/{file}.\n"
)

Queue = dict[str, Any]


def queue_folder(project: Project) -> Path:
    return project.seeds / "review"


def queue_path(project: Project, source: str) -> Path:
    return queue_folder(project) / f"{source}.yaml"


def load_queue(project: Project, source: str) -> Queue:
    path = queue_path(project, source)
    if not path.is_file():
        known = sorted(p.stem for p in queue_folder(project).glob("*.yaml")) if queue_folder(project).is_dir() else []
        raise IngestError(
            f"no review queue for source {source!r}",
            path=project.relative(path),
            hint=f"run `iadef ingest FILE` first; queues: {', '.join(known) or 'none'}",
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise IngestError(
            f"malformed YAML: {exc}",
            path=project.relative(path),
            line=mark.line + 1 if mark is not None else None,
            hint="fix the file or re-run `iadef ingest` on the article",
        ) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("entities"), list)
        or not isinstance(data.get("facts"), list)
    ):
        raise IngestError("not a review queue (needs source, file, entities, facts)", path=project.relative(path))
    return data


def write_queue(project: Project, queue: Queue) -> Path:
    path = queue_path(project, queue["source"])
    text = HEADER.format(key=queue["source"], file=queue["file"]) + dump(queue)
    write_atomic(path, text.encode("utf-8"))
    return path


def new_queue(source: str, file: str, proposal: Proposal, previous: Queue | None) -> Queue:
    """The queue for a fresh proposal, keeping what a curator already decided."""
    queue: Queue = {"source": source, "file": file, "entities": [], "facts": []}
    for kind, items in (
        ("entities", [e.as_json() for e in proposal.entities]),
        ("facts", [f.as_json() for f in proposal.facts]),
    ):
        old = {item["id"]: item for item in (previous or {}).get(kind, [])}
        for item in items:
            kept = old.pop(item["id"], None)
            if kept is not None and kept.get("decision") != "pending":
                queue[kind].append(kept)
            else:
                item["decision"] = "pending"
                queue[kind].append(item)
        queue[kind] += [item for item in old.values() if item.get("decision") != "pending"]
        queue[kind].sort(key=lambda item: (_first(item), item["id"]))
    return queue


def _first(item: dict[str, Any]) -> int:
    if "mentions" in item:
        return int(item["mentions"][0]["start"]) if item["mentions"] else 0
    return int(item.get("start", 0))


def find_item(queue: Queue, item_id: str) -> tuple[str, dict[str, Any]]:
    for kind in ("entities", "facts"):
        for item in queue[kind]:
            if item["id"] == item_id:
                return kind, item
    raise IngestError(
        f"no item {item_id!r} in the review queue of {queue['source']!r}",
        path=item_id,
        hint=f"list the items with `iadef review list --source {queue['source']}`",
    )


def queues(project: Project, source: str | None) -> list[str]:
    if source is not None:
        return [source]
    folder = queue_folder(project)
    return sorted(p.stem for p in folder.glob("*.yaml")) if folder.is_dir() else []


def list_items(project: Project, source: str | None = None, decision: str | None = None) -> list[dict[str, Any]]:
    """Every item (with ``source`` and ``kind`` added), in text order, optionally one decision only."""
    out = []
    for key in queues(project, source):
        queue = load_queue(project, key)
        for kind in ("entities", "facts"):
            for item in queue[kind]:
                if decision is None or item.get("decision") == decision:
                    out.append({"source": key, "kind": kind[:-1] if kind == "facts" else "entity", **item})
    return out


def locate(project: Project, item_id: str, source: str | None) -> str:
    """The source whose queue holds ``item_id``."""
    for key in queues(project, source):
        if any(item["id"] == item_id for kind in ("entities", "facts") for item in load_queue(project, key)[kind]):
            return key
    raise IngestError(
        f"no item {item_id!r} in any review queue", path=item_id, hint="check the id with `iadef review list`"
    )


def decide(
    project: Project,
    source: str,
    item_id: str,
    decision: str,
    edits: dict[str, str] | None = None,
    ontology: Ontology | None = None,
) -> dict[str, Any]:
    """Set an item's decision, with optional edits (checked), and write the queue back."""
    if decision not in DECISIONS:
        raise IngestError(f"unknown decision {decision!r}", path="decision", hint=f"use one of {', '.join(DECISIONS)}")
    queue = load_queue(project, source)
    kind, item = find_item(queue, item_id)
    before = copy.deepcopy(item)
    for name, value in (edits or {}).items():
        _edit(project, queue, kind, item, name, value, ontology)
    if edits and "original" not in item:
        item["original"] = {k: before.get(k) for k in edits}
    item["decision"] = decision
    write_queue(project, queue)
    return item


def _edit(
    project: Project, queue: Queue, kind: str, item: dict[str, Any], name: str, value: str, ontology: Ontology | None
) -> None:
    allowed = ENTITY_EDITS if kind == "entities" else FACT_EDITS
    if name not in allowed:
        raise IngestError(f"cannot edit {name!r} of {item['id']}", path=name, hint=f"editable: {', '.join(allowed)}")
    ontology = ontology or Ontology.load(project.ontology, project.relative(project.ontology))
    if name == "class" and value not in ontology.classes:
        raise IngestError(f"unknown class {value!r}", path="class", hint="see ontology/iadef.ttl")
    if name == "p" and value not in ontology.properties:
        raise IngestError(f"unknown property {value!r}", path="p", hint="see ontology/iadef.ttl")
    if name in ("s", "o") and not any(e["id"] == value for e in queue["entities"]):
        raise IngestError(
            f"{name}: {value!r} is not an entity of this queue",
            path=name,
            hint="use an entity id from `iadef review list`",
        )
    if name == "quote":
        text = (project.documents / queue["file"]).read_text(encoding="utf-8")
        start = text.find(value)
        if start < 0:
            raise IngestError(
                "the new quote is not a verbatim part of the article",
                path="quote",
                hint="shorten the quote by cutting words, without changing them",
            )
        item["start"], item["end"] = start, start + len(value)
    if name == "status" and value not in ("", *ontology.statuses):
        raise IngestError(f"unknown status {value!r}", path="status", hint=", ".join(sorted(ontology.statuses)))
    item[name] = value or None


def merge_entity(project: Project, source: str, entity_id: str, into: str) -> dict[str, Any]:
    """Merge a proposed entity into an existing one (an entity key) or another entity of the queue (an id):
    its facts now point to the target, and the entity item is marked merged (rejected, with ``merged_into``)."""
    queue = load_queue(project, source)
    kind, item = find_item(queue, entity_id)
    if kind != "entities":
        raise IngestError(f"{entity_id} is a fact; only entities merge", path=entity_id)
    target = next((e for e in queue["entities"] if e["id"] == into), None)
    if target is None:
        from iadef.ingest.gazetteer import project_keys

        if into not in project_keys(project):
            raise IngestError(
                f"{into!r} is neither an entity id of this queue nor a key of seeds/entities.yaml",
                path=into,
                hint="give an entity key such as amiad, or an id e-…",
            )
        target = next((e for e in queue["entities"] if e.get("existing") == into), None)
        if target is None:
            item["existing"] = into
            item["decision"] = "accepted"
            write_queue(project, queue)
            return item
    for fact in queue["facts"]:
        for end in ("s", "o"):
            if fact.get(end) == entity_id:
                fact[end] = target["id"]
    target["mentions"] = sorted([*target["mentions"], *item["mentions"]], key=lambda m: (m["start"], m["end"]))
    item["decision"] = "rejected"
    item["merged_into"] = target["id"]
    write_queue(project, queue)
    merged: dict[str, Any] = target
    return merged
