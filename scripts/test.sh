#!/usr/bin/env bash
# Install everything the test suite needs, then run all of it.
#   Debian packages: a JRE (HermiT reasoner), Chromium (page tests).
#   Python packages: iadef with its [test] extra.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  echo "installing Debian packages: ${need[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
. scripts/python-env.sh
"$PY" -m pip install -q -e '.[test]'
"$PY" -m ruff check src tests
"$PY" -m mypy src
set +e
"$PY" -m pytest "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "pytest collected no test: that is a failure for iadef" >&2
  exit 1
fi
exit "$code"
