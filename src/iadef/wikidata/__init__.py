"""Linking iadef entities to Wikidata, offline first.

- :mod:`.settings` — every tunable value in one place (API URL, User-Agent, timeouts,
  retries, thresholds, file locations);
- :mod:`.cache` — every API response stored as a JSON file under ``seeds/wikidata-cache/``;
- :mod:`.client` — a polite, sequential HTTP client for the Wikidata Action API;
- :mod:`.linker` — candidates, details, scores and decisions (``iadef link``);
- :mod:`.decisions` — the human-editable decisions file ``seeds/wikidata-links.yaml``;
- :mod:`.enrich` — Wikidata facts from the cache as a separate named graph
  (``iadef enrich``) and the ``owl:sameAs`` links for the build (:func:`.enrich.link_quads`).

Importing this package is cheap: the modules above import rdflib only where needed.
"""

from __future__ import annotations
