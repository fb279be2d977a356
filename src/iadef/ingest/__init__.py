"""From a new article to reviewed, sourced facts (issue 15).

Library API (the CLI in ``iadef.cli_ingest`` and a web review page both call these):

    ingest(project, paths, lang=..., title=..., issued=..., url=..., publisher=..., key=..., dry_run=False)
        -> list[Ingested]                              # iadef.ingest.run
    list_items(project, source=None, decision=None) -> list[dict]
    decide(project, source, item_id, decision, edits=None) -> dict
    merge_entity(project, source, entity_id, into) -> dict
    locate(project, item_id, source=None) -> str     # which queue holds an item
    apply_queue(project, source, partial=False) -> ApplyReport

Importing this package does not import spaCy: the model loads on the first French article.
"""

from __future__ import annotations

from iadef.ingest.apply import ApplyReport, apply_queue
from iadef.ingest.queue import decide, list_items, load_queue, locate, merge_entity
from iadef.ingest.run import Ingested, ingest

__all__ = [
    "ApplyReport",
    "Ingested",
    "apply_queue",
    "decide",
    "ingest",
    "list_items",
    "load_queue",
    "locate",
    "merge_entity",
]
