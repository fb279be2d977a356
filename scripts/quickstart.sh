#!/usr/bin/env bash
# Install iadef, build the graph, answer "who partners with whom", write the interactive page.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-env.sh
"$PY" -m pip install -q -e .
iadef build
iadef stats | head -4
