"""A polite HTTP client for the Wikidata Action API, cache first.

Wikimedia's rules for API clients, applied here:

- a descriptive User-Agent with a way to reach the operators (:data:`.settings.USER_AGENT`);
- ``maxlag=5`` on every request; a ``maxlag`` error (HTTP 200 with an error member)
  means "wait": the client waits ``Retry-After`` seconds (or the reported lag) and retries;
- one request at a time (a lock; the linker is sequential anyway);
- a timeout on every request;
- HTTP 429 and 503 are retried after ``Retry-After`` (seconds or an HTTP date), other
  5xx and network failures after a capped exponential backoff;
- when the service cannot be reached, a clear :class:`WikidataUnreachable`, and the
  cached answer is used instead when there is one.

Only the standard library is used (``urllib``): nothing to install, nothing to audit,
and the few features needed (GET, headers, timeouts) are all there.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from iadef.errors import IadefError
from iadef.wikidata.cache import Cache, Cached, CacheMiss
from iadef.wikidata.settings import BATCH, SEARCH_LIMIT, Settings

Json = dict[str, Any]
ENTITY_PROPS = "info|labels|descriptions|aliases|claims"
RETRYABLE_CODES = frozenset({"maxlag", "ratelimited"})


class WikidataUnreachable(IadefError):
    """The Wikidata API did not answer (network, timeout, or it kept asking to wait)."""


class WikidataApiError(IadefError):
    """The Wikidata API answered with an error that waiting will not fix."""


def _retry_after(headers: Message | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    value = headers.get("Retry-After") if headers is not None else None
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class WikidataClient:
    """Sequential, cached access to ``wbsearchentities`` and ``wbgetentities``."""

    def __init__(self, settings: Settings, cache: Cache) -> None:
        self.settings = settings
        self.cache = cache
        self.requests = 0  # HTTP requests actually sent
        self.cache_hits = 0
        self.warnings: list[str] = []
        self.degraded = False  # set once Wikidata was unreachable: cache only from then on
        self.missing: list[str] = []  # ids left out by entities(partial=True)
        self._entity_index: dict[str, tuple[Json, frozenset[str]]] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ API calls

    def search(self, term: str, language: str) -> list[Json]:
        """Candidates for ``term`` in ``language`` (labels and aliases), best first."""
        params = {
            "action": "wbsearchentities",
            "search": term,
            "language": language,
            "uselang": language,
            "type": "item",
            "limit": str(SEARCH_LIMIT),
        }
        found = self.call(params).data.get("search", [])
        return [item for item in found if isinstance(item, dict)]

    def entities(
        self,
        ids: Iterable[str],
        props: str = ENTITY_PROPS,
        languages: str = "fr|en",
        *,
        partial: bool = False,
    ) -> dict[str, Json]:
        """Entities by requested id, in batches of at most 50; redirects are followed.

        A redirected id maps to the target entity (whose ``id`` is the target and which
        carries ``redirects: {from, to}``); a missing id maps to ``{"id", "missing"}``.
        Entities already in the cache (from any earlier request with enough props) are
        not asked for again unless ``refresh`` is set. Offline, an id absent from the
        cache raises :class:`CacheMiss` — or, with ``partial``, is left out (and listed
        in :attr:`missing`).
        """
        need = frozenset(props.split("|"))
        index = self._index()
        found: dict[str, Json] = {}
        todo: list[str] = []
        for qid in sorted(set(ids), key=lambda q: (len(q), q)):
            hit = index.get(qid)
            usable = hit is not None and need <= hit[1] and (self._cache_only() or not self.settings.refresh)
            if hit is not None and usable:
                found[qid] = hit[0]
            else:
                todo.append(qid)
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            params = {
                "action": "wbgetentities",
                "ids": "|".join(batch),
                "props": props,
                "languages": languages,
                "redirects": "yes",
            }
            try:
                cached = self.call(params)
            except (CacheMiss, WikidataUnreachable) as exc:
                if not partial:
                    if isinstance(exc, CacheMiss):
                        shown = ", ".join(batch[:5]) + (" …" if len(batch) > 5 else "")
                        raise CacheMiss(
                            f"Wikidata entities not in the cache: {shown}", path=exc.path, hint=exc.hint
                        ) from None
                    raise
                self.missing.extend(batch)
                continue
            for key, entity in self._remember(cached).items():
                found[key] = entity
        return found

    def _cache_only(self) -> bool:
        return self.settings.offline or self.degraded

    def _index(self) -> dict[str, tuple[Json, frozenset[str]]]:
        """Every cached entity by requested and resolved id (built once, kept up to date)."""
        if self._entity_index is None:
            self._entity_index = {}
            for cached in self.cache.entries("wbgetentities"):
                self._remember(cached)
        return self._entity_index

    def _remember(self, cached: Cached) -> dict[str, Json]:
        index = self._entity_index if self._entity_index is not None else {}
        self._entity_index = index
        props = frozenset(cached.params.get("props", "").split("|"))
        got: dict[str, Json] = {}
        entities = cached.data.get("entities", {})
        for key, entity in entities.items() if isinstance(entities, dict) else []:
            if not isinstance(entity, dict):
                continue
            record = {**entity, "_retrieved": cached.retrieved, "_cache": cached.key, "_api": cached.api}
            got[str(key)] = record
            for name in {str(key), str(entity.get("id", key))}:
                old = index.get(name)
                if old is None or (props >= old[1] and record["_retrieved"] >= old[0]["_retrieved"]):
                    index[name] = (record, props)
        return got

    # ------------------------------------------------------------------ plumbing

    def call(self, params: Mapping[str, str]) -> Cached:
        """Answer ``params`` from the cache, or from Wikidata (then cache it)."""
        full = {**params, "format": "json", "maxlag": str(self.settings.maxlag)}
        cache_only = self._cache_only()
        if cache_only or not self.settings.refresh:
            cached = self.cache.get(full)
            if cached is not None:
                self.cache_hits += 1
                return cached
        if cache_only:
            raise CacheMiss(
                f"{params.get('action')} request not in the Wikidata cache ({self.cache.path(full).name})",
                path=str(self.cache.folder),
                hint="run `iadef link` online once to fill seeds/wikidata-cache/, then commit it",
            )
        try:
            with self._lock:
                data = self._fetch(full)
        except WikidataUnreachable as exc:
            self.degraded = True
            cached = self.cache.get(full)
            if cached is None:
                raise
            self.warnings.append(f"{exc.message}; used the cached answer of {cached.retrieved}")
            self.cache_hits += 1
            return cached
        return self.cache.put(full, self.settings.api, _now(), data)

    def _fetch(self, params: Mapping[str, str]) -> Json:
        s = self.settings
        query = urllib.parse.urlencode(sorted(params.items()))
        url = f"{s.api}?{query}"
        headers = {"User-Agent": s.user_agent, "Accept": "application/json"}
        reason = "no attempt"
        for attempt in range(s.max_retries + 1):
            last = attempt == s.max_retries
            self.requests += 1
            try:
                with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=s.timeout) as resp:
                    status, answer_headers, body = resp.status, resp.headers, resp.read()
            except urllib.error.HTTPError as err:
                status, answer_headers, body = err.code, err.headers, err.read()
            except (urllib.error.URLError, TimeoutError, ConnectionError, http.client.HTTPException) as err:
                cause = getattr(err, "reason", err)
                reason = "timed out" if isinstance(cause, TimeoutError) else str(cause)
                if not last:
                    s.sleep(s.backoff(attempt))
                continue
            if status in (429, 503) or status >= 500:
                reason = f"HTTP {status}"
                if not last:
                    s.sleep(min(s.backoff_cap, _retry_after(answer_headers) or s.backoff(attempt)))
                continue
            if status != 200:
                raise WikidataApiError(
                    f"Wikidata answered HTTP {status} to {params.get('action')}",
                    path=s.api,
                    hint="check --api / IADEF_WIKIDATA_API points at a MediaWiki api.php",
                )
            data = self._decode(body)
            error = data.get("error")
            if isinstance(error, dict):
                code = str(error.get("code"))
                if code not in RETRYABLE_CODES:
                    raise WikidataApiError(
                        f"Wikidata API error {code}: {error.get('info', '')}", path=s.api, hint="see the API help"
                    )
                reason = f"{code}: {error.get('info', '')}"
                lag = error.get("lag")
                wait = _retry_after(answer_headers) or (float(lag) if isinstance(lag, int | float) else None)
                if not last:
                    s.sleep(min(s.backoff_cap, wait or s.backoff(attempt)))
                continue
            return data
        raise WikidataUnreachable(
            f"Wikidata is unreachable at {s.api} ({reason}, {s.max_retries + 1} attempts)",
            hint="check the network or --api; `iadef link --offline` works from seeds/wikidata-cache/ only",
        )

    def _decode(self, body: bytes) -> Json:
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise WikidataApiError(
                "Wikidata answered something that is not JSON",
                path=self.settings.api,
                hint="check --api / IADEF_WIKIDATA_API points at a MediaWiki api.php",
            ) from None
        if not isinstance(data, dict):
            raise WikidataApiError("Wikidata answered JSON that is not an object", path=self.settings.api)
        return data
