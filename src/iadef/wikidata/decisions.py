"""The reviewable decisions file ``seeds/wikidata-links.yaml``.

One entry per iadef entity key::

    rennes:
      qid: Q647
      label: "Rennes"          # the Wikidata label that matched
      score: "0.97"            # only for entries computed by `iadef link`
      status: accepted         # auto | proposed | accepted | rejected
      date: 2026-11-21         # when the decision was made (ISO 8601)
      evidence: >-
        where the QID was found, or how `iadef link` scored it

``auto`` and ``proposed`` belong to ``iadef link``, which rewrites them on every run;
``accepted`` and ``rejected`` belong to people and are never changed by a program. To
set a QID by hand, write the entry with ``status: accepted`` and the evidence. The file
is read with the strict seed reader (line numbers, no YAML coercion) and written back
deterministically, sorted by key; comments other than the header are not kept.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from iadef.errors import SeedError
from iadef.output import write_atomic
from iadef.yamlfile import YMap, YStr, only_fields, read_yaml

QID = re.compile(r"^Q[1-9][0-9]*$")
STATUSES = ("auto", "proposed", "accepted", "rejected")
HUMAN = frozenset({"accepted", "rejected"})
LINKED = frozenset({"accepted", "auto"})
FIELDS = ("qid", "label", "score", "status", "date", "evidence")

HEADER = """\
# Links from iadef entities to Wikidata items: one entry per entity key.
#
#   qid       the Wikidata item (Q…)
#   label     the Wikidata label that matched
#   score     0–1, only for entries computed by `iadef link` (see docs/linking.md)
#   status    auto      linked by `iadef link` (score above the auto threshold)
#             proposed  found by `iadef link`, waiting for review
#             accepted  confirmed by a curator (or set by hand)
#             rejected  refused by a curator
#   date      when the decision was made (ISO 8601)
#   evidence  where the QID was found, or how `iadef link` scored it
#
# Review: change `proposed` (or `auto`) to `accepted` or `rejected`, or write a new entry
# with `status: accepted` and your evidence. `iadef link` rewrites only auto and proposed
# entries and never touches accepted or rejected ones. Accepted and auto entries become
# owl:sameAs links in the graph. Comments other than this header are not kept.
"""


@dataclass(frozen=True)
class Decision:
    """One entity's link decision."""

    key: str
    qid: str
    status: str
    date: str
    label: str | None = None
    score: float | None = None
    evidence: str | None = None
    line: int | None = None

    @property
    def human(self) -> bool:
        return self.status in HUMAN

    @property
    def linked(self) -> bool:
        return self.status in LINKED

    def same_as(self, other: Decision) -> bool:
        """Equal in everything but line and date."""
        return replace(self, line=None, date="") == replace(other, line=None, date="")


def read_decisions(path: Path, shown: str, known: set[str] | None = None) -> dict[str, Decision]:
    """Read and check the decisions file; a missing file means no decision yet."""
    if not path.is_file():
        return {}
    data = read_yaml(path, shown)
    decisions: dict[str, Decision] = {}
    for key, body in data.items():
        line = data.key_lines[key]
        if known is not None and key not in known:
            raise SeedError(
                f"{key!r} is not an entity key of seeds/entities.yaml",
                path=shown,
                line=line,
                hint="fix the key or remove the entry",
            )
        if not isinstance(body, YMap):
            raise SeedError(f"entry {key!r} must be a mapping with qid, status, date", path=shown, line=line)
        decisions[key] = _decision(key, body, shown, line)
    return decisions


def _decision(key: str, body: YMap, shown: str, line: int) -> Decision:
    only_fields(body, FIELDS, shown, f"entry {key!r}")
    values: dict[str, str] = {}
    for name, value in body.items():
        if not isinstance(value, YStr):
            raise SeedError(f"{name} of {key!r} must be text", path=shown, line=body.key_lines[name])
        values[name] = " ".join(str(value).split())

    def where(name: str) -> int:
        return body.key_lines.get(name, line)

    qid, status, when = values.get("qid", ""), values.get("status", ""), values.get("date", "")
    if not QID.match(qid):
        raise SeedError(
            f"qid of {key!r} is {qid!r}, not a Wikidata item id",
            path=shown,
            line=where("qid"),
            hint="write Q followed by digits, e.g. Q142",
        )
    if status not in STATUSES:
        raise SeedError(
            f"status of {key!r} is {status!r}",
            path=shown,
            line=where("status"),
            hint=f"use one of {', '.join(STATUSES)}",
        )
    try:
        date.fromisoformat(when)
    except ValueError:
        raise SeedError(
            f"date of {key!r} is {when!r}, not an ISO date", path=shown, line=where("date"), hint="write YYYY-MM-DD"
        ) from None
    score = None
    if "score" in values:
        try:
            score = float(values["score"])
        except ValueError:
            score = -1.0
        if not 0.0 <= score <= 1.0:
            raise SeedError(f"score of {key!r} must be a number between 0 and 1", path=shown, line=where("score"))
    evidence = values.get("evidence") or None
    if status == "accepted" and not evidence:
        raise SeedError(
            f"accepted entry {key!r} has no evidence",
            path=shown,
            line=line,
            hint="say where the QID was confirmed (page, dataset, file)",
        )
    return Decision(key, qid, status, when, values.get("label") or None, score, evidence, line)


def render(decisions: dict[str, Decision]) -> str:
    """The file's text: header, then entries sorted by key."""
    blocks = [HEADER]
    for key in sorted(decisions):
        d = decisions[key]
        lines = [f"{key}:", f"  qid: {d.qid}"]
        if d.label:
            lines.append(f"  label: {json.dumps(d.label, ensure_ascii=False)}")
        if d.score is not None:
            lines.append(f'  score: "{d.score:.2f}"')
        lines += [f"  status: {d.status}", f"  date: {d.date}"]
        if d.evidence:
            lines.append("  evidence: >-")
            lines += [
                f"    {part}"
                for part in textwrap.wrap(d.evidence, width=92, break_long_words=False, break_on_hyphens=False)
            ]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def write_decisions(path: Path, decisions: dict[str, Decision]) -> bool:
    """Write the file if its content changes; return whether it did."""
    content = render(decisions).encode("utf-8")
    if path.is_file() and path.read_bytes() == content:
        return False
    write_atomic(path, content)
    return True
