"""Source documents: their metadata, their text, and finding quotes in it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from iadef.curation.values import LANGUAGE_TAG, ValueProblem, parse_date
from iadef.errors import SeedError
from iadef.files import read_bounded
from iadef.paths import Project
from iadef.yamlfile import YMap, YStr, read_yaml

MAX_DOCUMENT_BYTES = 20_000_000
REQUIRED = ("file", "title", "language", "kind")
OPTIONAL = ("publisher", "issued", "publisher_note", "note")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "«": '"', "»": '"', "“": '"', "”": '"'})


@dataclass
class SourceDocument:
    """One source document and what the curators know about it."""

    key: str
    path: Path
    shown: str
    line: int
    text: str
    sha256: str
    fields: dict[str, YStr] = field(default_factory=dict)

    def find(self, quote: str) -> tuple[int, int] | None:
        """Offsets of ``quote`` in the text, whitespace-insensitively, or None."""
        words = quote.split()
        if not words:
            return None
        pattern = r"\s+".join(re.escape(word) for word in words)
        match = re.search(pattern, self.text)
        return None if match is None else (match.start(), match.end())

    def near_miss(self, quote: str) -> bool:
        """True if the quote matches once apostrophes and quote marks are folded."""
        folded = " ".join(self.text.translate(_APOSTROPHES).split())
        return " ".join(quote.translate(_APOSTROPHES).split()) in folded


def load_sources(project: Project) -> dict[str, SourceDocument]:
    """Read seeds/sources.yaml and the texts it names."""
    shown = project.relative(project.sources)
    data = read_yaml(project.sources, shown)
    sources: dict[str, SourceDocument] = {}
    for key, record in data.items():
        line = data.key_lines[key]
        if not isinstance(record, YMap):
            raise SeedError(f"source {key!r} must be a mapping", path=shown, line=line)
        for name in record:
            if name not in REQUIRED and name not in OPTIONAL:
                raise SeedError(
                    f"unknown field {name!r} in source {key!r}",
                    path=shown,
                    line=record.key_lines[name],
                    hint=f"use one of {', '.join(REQUIRED + OPTIONAL)}",
                )
        fields: dict[str, YStr] = {}
        for name in REQUIRED + OPTIONAL:
            value = record.get(name)
            if value is None:
                if name in REQUIRED:
                    raise SeedError(f"source {key!r} has no {name!r}", path=shown, line=line, hint=f"add {name}:")
                continue
            if not isinstance(value, YStr) or not value.strip():
                raise SeedError(
                    f"field {name!r} of source {key!r} must be non-empty text",
                    path=shown,
                    line=record.key_lines[name],
                )
            fields[name] = value
        if not LANGUAGE_TAG.fullmatch(fields["language"]):
            message = f"language {fields['language']!r} of source {key!r} is not a language tag such as fr or en"
            raise SeedError(message, path=shown, line=fields["language"].line)
        if "issued" in fields:
            try:
                parse_date(fields["issued"])
            except ValueProblem as exc:
                raise SeedError(f"bad value for issued: {exc}", path=shown, line=fields["issued"].line) from None
        path = project.documents / fields["file"]
        if not project.inside(path, project.documents):
            folder = project.unresolved(project.documents)
            raise SeedError(
                f"document file {fields['file']!r} resolves to {path.resolve()}, outside {folder}/",
                path=shown,
                line=fields["file"].line,
                hint=f"copy the document into {folder}/ and give its name there "
                "(no absolute path, no .., no link leading out)",
            )
        if not path.is_file():
            raise SeedError(
                f"document file {fields['file']!r} not found in {project.relative(project.documents)}",
                path=shown,
                line=fields["file"].line,
                hint="copy the document there under its original name",
            )
        raw = read_bounded(
            path,
            project.relative(path),
            MAX_DOCUMENT_BYTES,
            error=SeedError,
            allowed="allowed for a source document",
            hint="keep the passages the facts quote, or split the document",
        )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise SeedError(
                "document is not valid UTF-8",
                path=project.relative(path),
                hint="convert the document to UTF-8",
            ) from None
        sources[key] = SourceDocument(
            key=key,
            path=path,
            shown=project.relative(path),
            line=line,
            text=text,
            sha256=hashlib.sha256(raw).hexdigest(),
            fields=fields,
        )
    return sources
