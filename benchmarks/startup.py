"""Whole-process time of the reading commands, next to a bare ``import pyoxigraph``.

Usage: python benchmarks/startup.py [--runs N] [--markdown] [--store SPEC]

Each command is run N times (default 9) as a fresh process on the seed graph (run
`iadef build` first), output discarded, and timed from start to exit; the table gives
the median and the spread (lowest–highest). The baselines are the same interpreter
doing nothing (``python -c pass``) and importing pyoxigraph (``python -c "import
pyoxigraph"``), so that what iadef adds reads apart from what any Python program pays.

The processes run ``sys.executable`` directly (a version manager's shim, such as
pyenv's, adds some 50 ms of shell before Python starts) with bytecode caching on, in a
private cache folder (``PYTHONPYCACHEPREFIX``) warmed by one untimed run of each command:
an installed iadef has its ``.pyc`` files, and ``PYTHONDONTWRITEBYTECODE`` (set on some
machines) would otherwise make every run compile iadef from source. Also printed: which
of the heavy libraries (rdflib, its SPARQL parser, networkx, pyvis, numpy) each command imported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HEAVY = ("rdflib", "rdflib.plugins.sparql.parser", "networkx", "pyvis", "numpy", "pyoxigraph")

COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ("python -c pass", ["-c", "pass"]),
    ('python -c "import pyoxigraph"', ["-c", "import pyoxigraph"]),
    ("iadef --help", ["-m", "iadef", "--help"]),
    ("iadef query partners", ["-m", "iadef", "query", "partners"]),
    (
        "iadef query partners-of --param actor=mistral",
        ["-m", "iadef", "query", "partners-of", "--param", "actor=mistral"],
    ),
    (
        "iadef query located-in --param place=Bretagne",
        ["-m", "iadef", "query", "located-in", "--param", "place=Bretagne"],
    ),
    ('iadef path "Mistral AI" "Région Bretagne"', ["-m", "iadef", "path", "Mistral AI", "Région Bretagne"]),
    ("iadef viz --out /tmp/…/page.html", ["-m", "iadef", "viz", "--out", "{tmp}/page.html"]),
)

#: What a child prints (on stderr, after its command) to say which heavy modules it imported.
PROBE = (
    "import atexit, sys\n"
    "heavy = {heavy!r}\n"
    "found = lambda: ' '.join(m for m in heavy if m in sys.modules)\n"
    "atexit.register(lambda: sys.stderr.write('\\nIMPORTED ' + found() + '\\n'))\n"
)


def environment(cache: str, store: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "IADEF_STORE")}
    env["PYTHONPATH"] = str(ROOT / "src")
    env["PYTHONPYCACHEPREFIX"] = cache
    if store is not None:
        env["IADEF_STORE"] = store
    return env


def run_once(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}")
    return elapsed


def imported(argv: list[str], env: dict[str, str]) -> str:
    """The heavy modules the command imports (run once more, with an exit hook that lists them)."""
    if argv[0] == "-c":
        code = PROBE.format(heavy=HEAVY) + argv[1]
        probe = ["-c", code]
    else:
        module, rest = argv[1], argv[2:]
        code = PROBE.format(heavy=HEAVY) + f"import runpy, sys; sys.argv = ['{module}', *{rest!r}]\n"
        code += f"runpy.run_module('{module}', run_name='__main__', alter_sys=True)"
        probe = ["-c", code]
    done = subprocess.run(
        [sys.executable, *probe], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("IMPORTED")]
    return lines[-1].removeprefix("IMPORTED").strip() if lines else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--store", help="IADEF_STORE for the iadef commands (default: the default store)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="iadef-startup-") as tmp:
        env = environment(str(Path(tmp) / "pycache"), args.store)
        results = []
        for label, template in COMMANDS:
            argv = [part.replace("{tmp}", tmp) for part in template]
            run_once(argv, env)  # warm the bytecode cache and the file system cache
            times = sorted(run_once(argv, env) for _ in range(args.runs))
            results.append((label, statistics.median(times), times[0], times[-1], imported(argv, env)))
            print(f"{label}: median {statistics.median(times) * 1000:.0f} ms", file=sys.stderr)
    store = args.store or "default store"
    print(f"{args.runs} runs each, {sys.executable} ({sys.version.split()[0]}), {os.cpu_count()} cores, {store}\n")
    if args.markdown:
        print("| command | median | spread | heavy modules imported |")
        print("|---|---:|---:|---|")
        for label, median, low, high, heavy in results:
            print(f"| `{label}` | {median * 1000:.0f} ms | {low * 1000:.0f}–{high * 1000:.0f} ms | {heavy or '—'} |")
    else:
        for label, median, low, high, heavy in results:
            print(f"{label:<50} {median * 1000:6.0f} ms  ({low * 1000:.0f}–{high * 1000:.0f} ms)  {heavy}")


if __name__ == "__main__":
    main()
