"""The headless Chromium the tests and benchmarks/viz_bench.py drive: the Debian binary and its flags.

No sandbox (CI runs as root in a container) and no background traffic, so a page that
makes a network request shows it as its own request, not Chromium's.
"""

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
