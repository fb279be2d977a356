"""Reading one rule file of ``iadef/ingest/data/``: strict YAML, every error located (iadef.ingest.rules)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from iadef.errors import IngestError
from iadef.ingest.textutil import norm
from iadef.yamlfile import YList, YMap, YStr, YValue, read_yaml


@dataclass(frozen=True)
class ClassRule:
    cls: str
    confidence: float


class RuleFile:
    """One data file, with located errors."""

    def __init__(self, name: str, folder: Path) -> None:
        self.shown = f"iadef/ingest/data/{name}"
        self.data = read_yaml(folder / name, self.shown)

    def error(self, message: str, line: int) -> IngestError:
        return IngestError(message, path=self.shown, line=line, hint="fix the rule file (see the comment at its top)")

    def get(self, parent: YMap, key: str, line: int | None = None) -> YValue:
        if key not in parent:
            raise self.error(f"missing {key!r}", line or parent.line)
        return parent[key]

    def mapping(self, value: YValue, what: str) -> YMap:
        if not isinstance(value, YMap):
            raise self.error(f"{what} must be a mapping", value.line)
        return value

    def words(self, value: YValue, what: str) -> list[str]:
        if not isinstance(value, YList) or not all(isinstance(v, YStr) for v in value):
            raise self.error(f"{what} must be a list of words", value.line)
        return [str(v) for v in value]

    def number(self, value: YValue, what: str) -> float:
        try:
            return float(str(value))
        except ValueError:
            raise self.error(f"{what} must be a number, not {value!r}", value.line) from None

    def class_rules(self, value: YValue, what: str) -> dict[str, ClassRule]:
        out = {}
        for word, body in self.mapping(value, what).items():
            body = self.mapping(body, f"{what}.{word}")
            cls = self.get(body, "class")
            out[norm(word)] = ClassRule(str(cls), self.number(self.get(body, "confidence"), "confidence"))
        return out


def folded(words: list[str]) -> tuple[str, ...]:
    return tuple(norm(w) for w in words)
