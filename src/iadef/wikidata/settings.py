"""Every tunable value of the Wikidata link, in one place.

The API base URL is a setting (``--api`` or the ``IADEF_WIKIDATA_API`` environment
variable), so the same client code runs against Wikidata or against a local test
server. Waiting goes through :attr:`Settings.sleep`, so tests can shorten it without
replacing any HTTP code.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from iadef import __version__
from iadef.urls import check_http_url

DEFAULT_API = "https://www.wikidata.org/w/api.php"
API_ENV = "IADEF_WIKIDATA_API"

# Wikimedia's User-Agent policy: client name/version, a way to reach the operators,
# then the library. No placeholder URL: w3id.org/iadef is the project's namespace.
USER_AGENT = (
    f"iadef/{__version__} (https://w3id.org/iadef; iadef maintainers, linking French defence AI actors) "
    f"Python-urllib/{sys.version_info.major}.{sys.version_info.minor}"
)

MAXLAG = 5  # seconds of replication lag above which Wikidata asks bots to wait
BATCH = 50  # wbgetentities accepts at most 50 ids per request
SEARCH_LIMIT = 7
LANGUAGES = ("fr", "en")

# Score thresholds: >= AUTO is linked automatically, >= PROPOSE is proposed for
# review, below is left alone. AMBIGUITY: a runner-up this close demotes auto to proposed.
THRESHOLDS = {"auto": 0.9, "propose": 0.6}
AMBIGUITY = 0.05

FRANCE = "Q142"  # confirmed: see seeds/wikidata-types.yaml
ENTITY_BASE = "http://www.wikidata.org/entity/"
DIRECT_BASE = "http://www.wikidata.org/prop/direct/"
WIKI_BASE = "https://www.wikidata.org/wiki/"
REVISION_URL = "https://www.wikidata.org/w/index.php?title={qid}&oldid={rev}"

CACHE_DIR = Path("seeds") / "wikidata-cache"
LINKS_FILE = Path("seeds") / "wikidata-links.yaml"
TYPES_FILE = Path("seeds") / "wikidata-types.yaml"
ENRICHED_FILE = Path("graph") / "wikidata.trig"

WIKIDATA_GRAPH = "https://w3id.org/iadef/graph/wikidata"
LINKS_GRAPH = "https://w3id.org/iadef/graph/wikidata-links"
LINK_RECORD = "https://w3id.org/iadef/link/wikidata/"
LINK_AGENT = "https://w3id.org/iadef/agent/iadef-link"


@dataclass(frozen=True)
class Settings:
    """How the client talks to Wikidata; immutable, passed everywhere explicitly."""

    api: str = DEFAULT_API
    user_agent: str = USER_AGENT
    maxlag: int = MAXLAG
    timeout: float = 20.0
    max_retries: int = 4  # with backoff_base 1 s: waits 1, 2, 4, 8 s before giving up
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    offline: bool = False
    refresh: bool = False
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    @classmethod
    def from_env(cls, api: str | None = None, *, offline: bool = False, refresh: bool = False) -> Settings:
        """Settings from ``--api`` (first), then ``IADEF_WIKIDATA_API``, then Wikidata."""
        chosen = api or os.environ.get(API_ENV) or DEFAULT_API
        return cls(api=chosen, offline=offline, refresh=refresh)

    def __post_init__(self) -> None:
        check_http_url(self.api, what="Wikidata API")

    def backoff(self, attempt: int) -> float:
        """Capped exponential backoff for attempt 0, 1, 2…"""
        return float(min(self.backoff_cap, self.backoff_base * (2**attempt)))
