"""ForceAtlas2 on a grid: the layout of pages above :data:`iadef.network.layout.EXACT` nodes.

Linear attraction along each tie, a repulsion ``(deg_i + 1)(deg_j + 1) / d`` between every pair
of nodes, a gravity towards the centre and the adaptive per-node speed of Gephi's
implementation (Jacomy, Venturini, Heymann and Bastian, PLoS ONE 2014). The repulsion between
every pair is computed on a grid (particle-mesh): the masses are spread bilinearly on a G x G
grid, convolved by FFT with the kernel ``r / |r|^2`` and read back with the same bilinear
weights, which makes a node's force on itself vanish. A step then costs O(n + G^2 log G)
instead of O(n^2). Only numpy is needed, imported when a layout is computed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Array = NDArray[np.float64]
    Ints = NDArray[np.int64]

SCALING = 2.0  # ForceAtlas2 repulsion ("scaling ratio"; Gephi's default above 100 nodes)
GRAVITY = 1.0
JITTER = 1.0


def forceatlas2(pos: Array, u: Ints, v: Ints, mass: Array, steps: int) -> Array:
    """ForceAtlas2 steps with Gephi's adaptive speed (linear attraction, no hub dissuasion)."""
    import numpy as np

    n = len(pos)
    if n < 2:
        return pos
    # Hop distances are about 2 sqrt(SCALING) units at equilibrium for two leaves; start there.
    pos = pos * 2.0 * np.sqrt(SCALING)
    grid = _Grid(n)
    previous = np.zeros_like(pos)
    speed, efficiency = 1.0, 1.0
    for _ in range(steps):
        force = SCALING * grid.repulsion(pos, mass)
        delta = pos[u] - pos[v]
        for axis in (0, 1):
            force[:, axis] -= np.bincount(u, delta[:, axis], n) - np.bincount(v, delta[:, axis], n)
        centred = pos - pos.mean(axis=0)
        length = np.maximum(np.hypot(centred[:, 0], centred[:, 1]), 1e-9)
        force -= (GRAVITY * mass / length)[:, None] * centred
        swinging = mass * np.hypot(*(force - previous).T)
        traction = float((mass * np.hypot(*(force + previous).T)).sum()) / 2
        speed, efficiency = _speed(n, float(swinging.sum()), traction, speed, efficiency)
        pos = pos + force * (speed / (1.0 + np.sqrt(speed * swinging)))[:, None]
        previous = force
    return pos


def _speed(n: int, swinging: float, traction: float, speed: float, efficiency: float) -> tuple[float, float]:
    """Gephi's global speed: faster while the nodes move steadily, slower when they oscillate."""
    import numpy as np

    optimal = 0.05 * np.sqrt(n)
    jitter = JITTER * max(np.sqrt(optimal), min(10.0, optimal * traction / n**2))
    if traction > 0 and swinging / traction > 2.0:
        efficiency = efficiency * 0.5 if efficiency > 0.05 else efficiency
        jitter = max(jitter, JITTER)
    target = jitter * efficiency * traction / swinging if swinging > 0 else speed * 1.5
    if swinging > jitter * traction:
        efficiency = efficiency * 0.7 if efficiency > 0.05 else efficiency
    elif speed < 1000:
        efficiency *= 1.3
    return speed + min(target - speed, 0.5 * speed), efficiency


class _Grid:
    """Repulsion on a G x G grid (particle-mesh), the kernel's FFT computed once."""

    def __init__(self, n: int) -> None:
        import numpy as np

        self.side = int(min(512, max(64, 2 * np.sqrt(n))))
        points = self.side + 1
        self.size = 2 * points
        offset = np.arange(self.size)
        offset = np.where(offset < points, offset, offset - self.size).astype(np.float64)
        dx, dy = np.meshgrid(offset, offset, indexing="ij")
        square = dx**2 + dy**2
        square[0, 0] = np.inf
        self.kernels = [np.fft.rfft2(dx / square), np.fft.rfft2(dy / square)]

    def repulsion(self, pos: Array, mass: Array) -> Array:
        import numpy as np

        low = pos.min(axis=0)
        cell = max(float((pos.max(axis=0) - low).max()), 1e-9) / (self.side - 1e-6)
        scaled = (pos - low) / cell
        corner = np.floor(scaled).astype(np.int64)
        frac = scaled - corner
        weights = []
        for ox, oy in ((0, 0), (1, 0), (0, 1), (1, 1)):
            w = (frac[:, 0] if ox else 1 - frac[:, 0]) * (frac[:, 1] if oy else 1 - frac[:, 1])
            weights.append((w, (corner[:, 0] + ox) * self.size + corner[:, 1] + oy))
        flats = np.concatenate([flat for _, flat in weights])
        spread = np.concatenate([w * mass for w, _ in weights])
        masses = np.bincount(flats, spread, self.size * self.size).reshape(self.size, self.size)
        spectrum = np.fft.rfft2(masses)
        force = np.zeros_like(pos)
        for axis, kernel in enumerate(self.kernels):
            field = np.fft.irfft2(spectrum * kernel, s=masses.shape).ravel()
            force[:, axis] = sum(w * field[flat] for w, flat in weights)
        return np.asarray(force * (mass / cell)[:, None], dtype=np.float64)
