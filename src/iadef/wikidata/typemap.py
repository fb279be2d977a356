"""Which Wikidata ``instance of`` (P31) values suit each iadef class.

The mapping is data, in ``seeds/wikidata-types.yaml``: for a class, ``accept`` and
``forbid`` list class items (QIDs), and ``labels`` / ``forbid_labels`` list words
looked for in the French and English labels of the candidate's P31 values. A QID may
only appear there if it is declared under ``qids:`` with the evidence that confirms
what it is; everything else works from the labels Wikidata returns.

The rule of the most specific class that has one applies (``Company`` before
``Organization``). Verdicts, strongest first: a forbidden QID, an accepted QID, a
forbidden word, an accepted word; otherwise unknown.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from iadef.errors import SeedError
from iadef.yamlfile import YList, YMap, YStr, YValue, only_fields, read_yaml

QID = re.compile(r"^Q[1-9][0-9]*$")
RULE_FIELDS = ("accept", "forbid", "labels", "forbid_labels")

COMPATIBLE, INCOMPATIBLE, UNKNOWN = "compatible", "incompatible", "unknown"


def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation to spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


@dataclass(frozen=True)
class TypeRule:
    """What one iadef class accepts and refuses."""

    cls: str
    accept: frozenset[str]
    forbid: frozenset[str]
    labels: tuple[str, ...]
    forbid_labels: tuple[str, ...]


@dataclass(frozen=True)
class TypeMap:
    """All rules, and the confirmed class items they may use."""

    rules: dict[str, TypeRule]
    qids: dict[str, str]

    def rule_for(self, classes_up: list[str]) -> TypeRule | None:
        """The rule of the first class of ``classes_up`` (most specific first) that has one."""
        for name in classes_up:
            if name in self.rules:
                return self.rules[name]
        return None

    @staticmethod
    def verdict(rule: TypeRule | None, p31: list[str], p31_labels: list[str]) -> tuple[str, str]:
        """(compatible | incompatible | unknown, why)."""
        if rule is None or not p31:
            return UNKNOWN, "no type rule" if rule is None else "no instance-of statement"
        bad = sorted(set(p31) & rule.forbid)
        if bad:
            return INCOMPATIBLE, f"instance of {bad[0]}, refused for {rule.cls}"
        good = sorted(set(p31) & rule.accept)
        if good:
            return COMPATIBLE, f"instance of {good[0]}, accepted for {rule.cls}"
        folded = [f" {fold(text)} " for text in p31_labels]
        for word in rule.forbid_labels:
            if any(f" {word} " in text for text in folded):
                return INCOMPATIBLE, f"instance of a '{word}', refused for {rule.cls}"
        for word in rule.labels:
            if any(f" {word} " in text for text in folded):
                return COMPATIBLE, f"instance of a '{word}', accepted for {rule.cls}"
        return UNKNOWN, "instance-of not recognised"


def load_typemap(path: Path, shown: str, known_classes: set[str]) -> TypeMap:
    """Read and check ``seeds/wikidata-types.yaml``."""
    data = read_yaml(path, shown)
    for name in data:
        if name not in ("qids", "classes"):
            raise SeedError(
                f"unknown section {name!r}", path=shown, line=data.key_lines[name], hint="use qids: and classes:"
            )
    qids_block = data.get("qids")
    classes_block = data.get("classes")
    if not isinstance(qids_block, YMap) or not isinstance(classes_block, YMap):
        raise SeedError("needs the mappings qids: and classes:", path=shown, line=data.line)
    qids: dict[str, str] = {}
    for qid, body in qids_block.items():
        line = qids_block.key_lines[qid]
        if not QID.match(qid):
            raise SeedError(f"{qid!r} is not a QID", path=shown, line=line, hint="write Q followed by digits")
        if not isinstance(body, YMap) or not _text(body.get("label")) or not _text(body.get("evidence")):
            raise SeedError(
                f"{qid} needs a label and the evidence that confirms it",
                path=shown,
                line=line,
                hint="never list a class item you could not confirm; use labels: instead",
            )
        qids[qid] = str(body["label"])
    rules: dict[str, TypeRule] = {}
    for cls, body in classes_block.items():
        line = classes_block.key_lines[cls]
        if cls not in known_classes:
            raise SeedError(f"unknown iadef class {cls!r}", path=shown, line=line, hint="see ontology/iadef.ttl")
        if not isinstance(body, YMap):
            raise SeedError(f"rule for {cls} must be a mapping", path=shown, line=line)
        lists: dict[str, list[str]] = {}
        only_fields(body, RULE_FIELDS, shown, f"the rule for {cls}")
        for field in RULE_FIELDS:
            lists[field] = _list(body.get(field), shown, body.key_lines.get(field, line), field)
        for qid in lists["accept"] + lists["forbid"]:
            if qid not in qids:
                raise SeedError(
                    f"{qid} is used for {cls} but not declared under qids: with its evidence",
                    path=shown,
                    line=line,
                    hint="declare it with its evidence, or match the P31 label with labels: instead",
                )
        rules[cls] = TypeRule(
            cls=cls,
            accept=frozenset(lists["accept"]),
            forbid=frozenset(lists["forbid"]),
            labels=tuple(fold(w) for w in lists["labels"]),
            forbid_labels=tuple(fold(w) for w in lists["forbid_labels"]),
        )
    return TypeMap(rules=rules, qids=qids)


def _text(value: YValue | None) -> bool:
    return isinstance(value, YStr) and bool(value.strip())


def _list(value: YValue | None, shown: str, line: int, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, YList) or not all(isinstance(v, YStr) for v in value):
        raise SeedError(f"{field} must be a list of text", path=shown, line=line)
    return [str(v) for v in value]
