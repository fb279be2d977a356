"""Taking an article in: checks, the copy under seeds/documents/, the sources.yaml block.

Refused with an :class:`~iadef.errors.IngestError` (nothing written): an empty file, a
binary or non-UTF-8 file, a file over 10 MB, an unknown language, a file whose bytes
(SHA-256) are already a source under another key, a key or file name already taken.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from iadef.curation.values import ValueProblem, parse_date
from iadef.errors import IngestError
from iadef.files import read_bounded
from iadef.ingest.nlp import LANGUAGES
from iadef.ingest.textutil import slug
from iadef.ingest.yamlio import dump
from iadef.paths import Project
from iadef.yamlfile import YMap, YStr, read_yaml

MAX_BYTES = 10 * 1024 * 1024
KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Article:
    path: Path
    raw: bytes
    text: str
    sha256: str
    key: str
    file: str
    title: str
    language: str
    issued: str | None
    url: str | None
    publisher: str | None
    registered: bool  # already a source (re-ingest)

    def source_json(self) -> dict[str, str | None]:
        return {"key": self.key, "title": self.title, "language": self.language, "issued": self.issued, "url": self.url}


def read_article(path: Path) -> tuple[bytes, str]:
    shown = str(path)
    # a regular file only (a named pipe or a device is refused, not waited on), read to the limit at most
    raw = read_bounded(
        path,
        shown,
        MAX_BYTES,
        error=IngestError,
        allowed="allowed (10 MB)",
        hint="split the document or keep only the article's text",
    )
    if not raw.strip():
        raise IngestError("file is empty", path=shown, hint="save the article's text in it")
    if b"\x00" in raw[:8192]:
        raise IngestError(
            "file is binary, not text",
            path=shown,
            hint="save the article as plain UTF-8 text (.txt); PDF and Word files are not read",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            path=shown,
            line=line,
            hint="save the article as UTF-8 text",
        ) from None
    return raw, text


def prepare(
    project: Project,
    path: Path,
    *,
    lang: str = "fr",
    title: str | None = None,
    issued: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    key: str | None = None,
) -> Article:
    """Check an article and decide its key, without writing anything."""
    if lang not in LANGUAGES:
        raise IngestError(f"unknown language {lang!r}", path="--lang", hint=f"use one of {', '.join(LANGUAGES)}")
    if issued is not None:
        try:
            parse_date(issued)
        except ValueProblem as exc:
            raise IngestError(f"bad date: {exc}", path="--issued") from None
    if key is not None and not KEY.match(key):
        raise IngestError(f"key {key!r} is not kebab-case", path="--key", hint="e.g. doc-005-thales-contrat")
    raw, text = read_article(path)
    digest = hashlib.sha256(raw).hexdigest()
    sources = read_yaml(project.sources, project.relative(project.sources))
    same = _source_with_digest(project, sources, digest)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), path.stem)
    if same is not None:
        chosen = key or same
        if chosen != same:
            raise IngestError(
                f"this file is already ingested as source {same!r}",
                path=str(path),
                hint=f"re-run with --key {same} (or without --key) to refresh its review queue",
            )
        record = sources[same]
        assert isinstance(record, YMap)
        return Article(
            path,
            raw,
            text,
            digest,
            same,
            str(record.get("file")),
            str(record.get("title", first_line)),
            str(record.get("language", lang)),
            _opt(record, "issued") or issued,
            url,
            _opt(record, "publisher") or publisher,
            True,
        )
    the_title = title or first_line[:150]
    the_key = key or f"doc-{len(sources):03d}-{slug(the_title, 40)}"
    if the_key in sources:
        raise IngestError(
            f"source key {the_key!r} is already used by another document",
            path=project.relative(project.sources),
            line=sources.key_lines[the_key],
            hint="choose another --key",
        )
    name = path.name
    if (project.documents / name).exists():
        raise IngestError(
            f"a different document named {name!r} is already in seeds/documents/",
            path=str(path),
            hint="rename the file before ingesting it",
        )
    return Article(path, raw, text, digest, the_key, name, the_title, lang, issued, url, publisher, False)


def _opt(record: YMap, name: str) -> str | None:
    value = record.get(name)
    return str(value) if isinstance(value, YStr) else None


def _source_with_digest(project: Project, sources: YMap, digest: str) -> str | None:
    for key, record in sources.items():
        if isinstance(record, YMap) and isinstance(record.get("file"), YStr):
            path = project.documents / str(record["file"])
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
                return key
    return None


def source_block(article: Article) -> str:
    """The text appended to seeds/sources.yaml (existing text and comments kept)."""
    record: dict[str, str] = {
        "file": article.file,
        "title": article.title,
        "language": article.language,
        "kind": "article",
    }
    if article.publisher:
        record["publisher"] = article.publisher
    if article.issued:
        record["issued"] = article.issued
    note = "ingested with iadef ingest; facts proposed by the extractor and reviewed by a curator"
    record["note"] = f"{note}; url: {article.url}" if article.url else note
    return "\n" + dump({article.key: record})
