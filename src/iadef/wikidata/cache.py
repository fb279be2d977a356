"""Every Wikidata response, kept as a JSON file in a committed folder.

A request is identified by the SHA-256 of its parameters, sorted (``maxlag`` and
``format`` are left out: they change how politely we ask, not what we get). Each file
holds the request, the API it came from, the retrieval time (UTC) and the response
exactly as Wikidata sent it, so a link or an enrichment can always say which revision
it used and when it was fetched. Files are written atomically and deterministically.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from iadef.errors import IadefError
from iadef.output import write_atomic

IGNORED_PARAMS = frozenset({"maxlag", "format"})
NOTE = "A response of the Wikidata API, cached by `iadef link`; do not edit by hand."

Json = dict[str, Any]


class CacheMiss(IadefError):
    """Offline, and the request was never answered before."""


@dataclass(frozen=True)
class Cached:
    """One cached response and where it came from."""

    key: str
    params: dict[str, str]
    api: str
    retrieved: str
    data: Json
    path: Path


def request_key(params: Mapping[str, str]) -> str:
    """The cache key of a request: SHA-256 of its sorted, significant parameters."""
    significant = {k: str(v) for k, v in params.items() if k not in IGNORED_PARAMS}
    text = json.dumps(significant, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    """The folder of cached responses (``seeds/wikidata-cache/<action>/<sha256>.json``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, params: Mapping[str, str]) -> Path:
        action = str(params.get("action", "other"))
        return self.folder / action / f"{request_key(params)}.json"

    def get(self, params: Mapping[str, str]) -> Cached | None:
        """The cached answer to ``params``, or None."""
        path = self.path(params)
        if not path.is_file():
            return None
        return self._read(path)

    def put(self, params: Mapping[str, str], api: str, retrieved: str, data: Json) -> Cached:
        """Store a response (atomically) and return it as cached."""
        path = self.path(params)
        kept = {k: str(v) for k, v in sorted(params.items()) if k not in IGNORED_PARAMS}
        record = {"note": NOTE, "request": kept, "api": api, "retrieved": retrieved, "response": data}
        text = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        write_atomic(path, text.encode("utf-8"))
        return Cached(request_key(params), kept, api, retrieved, data, path)

    def entries(self, action: str) -> Iterator[Cached]:
        """Every cached response of one API action, in file-name order."""
        folder = self.folder / action
        if not folder.is_dir():
            return
        for path in sorted(folder.glob("*.json")):
            yield self._read(path)

    def _read(self, path: Path) -> Cached:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            return Cached(
                key=path.stem,
                params=dict(record["request"]),
                api=str(record["api"]),
                retrieved=str(record["retrieved"]),
                data=dict(record["response"]),
                path=path,
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IadefError(
                f"unreadable Wikidata cache file ({exc.__class__.__name__})",
                path=str(path),
                hint="delete the file; `iadef link` fetches it again when online",
            ) from None
