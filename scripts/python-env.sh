# Sourced by the other scripts: sets PY to a Python 3.11+ that may install packages.
# Uses the active virtualenv, or the system Python when it allows pip installs;
# on a Debian Python marked "externally managed" (PEP 668) it creates ./.venv.
py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "iadef needs Python >= 3.11 (found: $("$py" --version 2>&1))" >&2
  exit 1
fi
managed=$("$py" -c 'import os, sys, sysconfig; print(int(sys.prefix == sys.base_prefix and os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED"))))')
if [ "$managed" = 1 ]; then
  if [ ! -x .venv/bin/python ]; then
    if ! "$py" -m venv .venv 2>/dev/null; then
      sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
      $sudo_cmd apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq python3-venv
      rm -rf .venv
      "$py" -m venv .venv
    fi
  fi
  PY=$PWD/.venv/bin/python
else
  PY=$py
fi
export PATH="$(dirname "$("$PY" -c 'import sys; print(sys.executable)')"):$PATH"
"$PY" -m pip install -q --upgrade pip >/dev/null 2>&1 || true
