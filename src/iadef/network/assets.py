"""The files a page inlines: our template, script and style, and the drawing libraries.

vis-network comes from the installed pyvis, read from its folder without importing pyvis
(``import pyvis`` imports ``pyvis.network``, hence IPython and networkx: about 0.2 s); sigma.js
and graphology are vendored under ``templates/vendor/`` (package, version, licence and the
command that fetched them are in its README). Every text is checked not to end its
``<script>`` or ``<style>`` element early.
"""

from __future__ import annotations

import importlib.util
import re
from importlib import resources
from pathlib import Path

from iadef.errors import IadefError, OutputError

VIS_VERSION = "vis-9.1.2"
SIGMA = "sigma-3.0.3.min.js"
GRAPHOLOGY = "graphology-0.26.0.umd.min.js"
CREDITS = {
    "vis": "vis-network 9.1.2 (MIT / Apache-2.0, from pyvis)",
    "webgl": "sigma.js 3.0.3 and graphology 0.26.0 (MIT, see templates/vendor/ in iadef)",
}


def template(name: str) -> str:
    """One of our own files under ``templates/`` (a script or a style: checked; the page itself is not)."""
    text = _read("iadef.network", "templates", name)
    return text if name.endswith(".html") else _checked(name, text)


def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS from the installed pyvis, ready to inline."""
    try:
        lib = _folder("pyvis") / "templates" / "lib" / VIS_VERSION
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise IadefError(
            f"vis-network not found in the installed pyvis: {exc}",
            hint="reinstall pyvis 0.3.2 (pip install 'pyvis>=0.3.2')",
        ) from None
    return _checked("vis-network JS", _unmapped(js)), _checked("vis-network CSS", css)


def webgl_assets() -> tuple[str, str]:
    """graphology, sigma.js and our vis-network-shaped adapter (``webgl.js``), as one script; no CSS."""
    parts = [_unmapped(_read("iadef.network", "templates", "vendor", name)) for name in (GRAPHOLOGY, SIGMA)]
    return _checked("sigma JS", "\n".join([*parts, template("webgl.js")])), ""


def _folder(package: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"no package {package!r}")
    return Path(next(iter(spec.submodule_search_locations)))


def _read(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def _unmapped(js: str) -> str:
    return re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)


def _checked(name: str, text: str) -> str:
    for closing in ("</script", "</style"):
        if closing in text.lower():
            raise OutputError(f"{name} contains {closing}, which would end its element early")
    return text
