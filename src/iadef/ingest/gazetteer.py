"""Known entities first: the names of the curated graph, found in a new article.

The gazetteer holds every curated entity's labels (``seeds/entities.yaml``), acronyms,
and the names documents already use for it (``names:`` in ``seeds/facts/*.yaml``), with
its class. Names are matched folded (case, accents, apostrophes, dashes), whole words
only; acronyms are matched as written (``AID`` is not ``aid``). A lower-case single word
or a generic agreement name ("accord-cadre") is not used: it would tie any article's
"accord-cadre" to one curated agreement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from iadef.ingest.textutil import fold, norm, word_pattern
from iadef.paths import Project
from iadef.yamlfile import YList, YMap, YStr, read_yaml

GENERIC_CLASSES = frozenset(
    {
        "Convention",
        "FrameworkAgreement",
        "Contract",
        "Roadmap",
        "Partnership",
        "Agreement",
        "Facility",
        "Mandate",
        "Post",  # "président du conseil régional": a title, the same words for every region
        "Budget",
        "Headcount",
        "Signing",
        "Launch",
        "Announcement",
    }
)


@dataclass
class Known:
    key: str
    cls: str
    label: str
    names: set[str] = field(default_factory=set)
    acronyms: set[str] = field(default_factory=set)


@dataclass
class Match:
    key: str
    start: int
    end: int
    acronym: bool


class Gazetteer:
    def __init__(self, known: dict[str, Known], generic: frozenset[str] = frozenset()) -> None:
        self.known = known
        by_name: dict[str, str] = {}
        by_acronym: dict[str, str] = {}
        for key in sorted(known):
            entry = known[key]
            for name in sorted(entry.names | {entry.label}):
                if _usable(name, entry.cls) and norm(name) not in generic:
                    folded = norm(name)
                    if folded not in by_name or norm(known[by_name[folded]].label) != folded:
                        by_name.setdefault(folded, key)
                        if norm(entry.label) == folded:
                            by_name[folded] = key
            for acronym in sorted(entry.acronyms):
                by_acronym.setdefault(acronym, key)
        self.by_name, self.by_acronym = by_name, by_acronym
        names = sorted(by_name, key=lambda n: (-len(n), n))
        self._names = re.compile("|".join(f"(?:{word_pattern(n)})" for n in names)) if names else None
        acronyms = sorted(by_acronym, key=lambda n: (-len(n), n))
        self._acronyms = (
            re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in acronyms) + r")(?![\w])") if acronyms else None
        )

    def lookup(self, name: str) -> str | None:
        """The key of a known entity named exactly ``name`` (folded), or an acronym."""
        return self.by_acronym.get(name.strip()) or self.by_name.get(norm(name))

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches, longest first."""
        found: list[Match] = []
        if self._names is not None:
            for m in self._names.finditer(fold(text)):
                found.append(Match(self.by_name[" ".join(m.group().split())], m.start(), m.end(), False))
        if self._acronyms is not None:
            for m in self._acronyms.finditer(text):
                found.append(Match(self.by_acronym[m.group()], m.start(), m.end(), True))
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept: list[Match] = []
        for match in found:
            if all(match.end <= k.start or match.start >= k.end for k in kept):
                kept.append(match)
        return sorted(kept, key=lambda m: m.start)


def _usable(name: str, cls: str) -> bool:
    if len(name.strip()) < 3:
        return False
    if any(c.isupper() for c in name):
        return True
    if re.match(r"(?:l['’]|la |le |les |un |une |des )", name.strip()):
        return False  # "la formation": a fragment of a longer name, not a name
    return " " in name.strip() and cls not in GENERIC_CLASSES


def build_gazetteer(
    project: Project, exclude_source: str | None = None, generic: frozenset[str] = frozenset()
) -> Gazetteer:
    """The gazetteer of ``project``; ``exclude_source`` leaves out what only that document says
    (its facts file's names, and entities no other document declares) — for the evaluation."""
    records = read_yaml(project.entities, project.relative(project.entities))
    known: dict[str, Known] = {}
    for path in sorted(project.facts.glob("*.yaml")):
        data = read_yaml(path, project.relative(path))
        source = data.get("source")
        if exclude_source is not None and isinstance(source, YStr) and str(source) == exclude_source:
            continue
        entities = data.get("entities")
        if not isinstance(entities, YMap):
            continue
        for key, body in entities.items():
            if not isinstance(body, YMap):
                continue
            cls = body.get("type")
            record = records.get(key)
            if not isinstance(cls, YStr) or not isinstance(record, YMap) or cls == "Mandate":
                continue
            entry = known.get(key)
            if entry is None:
                label = record.get("label")
                french = label.get("fr") if isinstance(label, YMap) else None
                entry = known[key] = Known(key, str(cls), str(french) if isinstance(french, YStr) else key)
                acronyms = record.get("acronyms")
                if isinstance(acronyms, YList):
                    entry.acronyms |= {str(a) for a in acronyms if isinstance(a, YStr)}
            names = body.get("names")
            if isinstance(names, YList):
                for name in names:
                    if isinstance(name, YStr):
                        if name.isupper() and " " not in name and len(name) <= 12:
                            entry.acronyms.add(str(name))
                        else:
                            entry.names.add(" ".join(name.split()))
    return Gazetteer(known, generic)


def empty_gazetteer() -> Gazetteer:
    return Gazetteer({})


def project_keys(project: Project) -> set[str]:
    """Every entity key already in seeds/entities.yaml (new keys must differ)."""
    return set(read_yaml(project.entities, project.relative(project.entities)))
