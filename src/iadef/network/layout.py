"""Node positions computed when the page is written, so that the browser does no layout work.

The layout is ForceAtlas2 (Jacomy, Venturini, Heymann and Bastian, PLoS ONE 2014): linear
attraction along each tie, a repulsion ``(deg_i + 1)(deg_j + 1) / d`` between every pair of
nodes, a gravity towards the centre and the adaptive per-node speed of Gephi's
implementation. It starts from a PivotMDS placement (Brandes and Pich, 2006: classical
scaling of the hop distances to a few pivots), so the global shape is right before the
first step and :data:`STEPS_LARGE` steps suffice (edge/pair and stress in
``benchmarks/results/viz.md`` match networkx's exact ForceAtlas2).

Up to :data:`EXACT` nodes (small pages, every label drawn on the canvas) stress majorization
replaces ForceAtlas2, and nodes are then moved apart until their labels do not overlap: ties of
even length leave room for the labels. Above, ForceAtlas2's repulsion between every pair is
computed on a grid (:mod:`iadef.network.forceatlas2`): about 0.05 s a step at 20,000 nodes on
one core.

Only numpy is needed (imported when a layout is computed, not with this module). The result
is deterministic: a seeded generator, nodes in the given order, no hash order, and positions
rounded to whole units (a tie is about :data:`EDGE` units long), so that a page is
byte-identical from run to run whatever ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from iadef.network.forceatlas2 import forceatlas2

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Array = NDArray[np.float64]
    Ints = NDArray[np.int64]

SEED = 7
EDGE = 100.0  # the median tie is scaled to this length (vis-network's pixels at zoom 1)
EXACT = 300  # up to this many nodes: stress majorization over all pairs and no overlap; ForceAtlas2 on a grid above
PIVOTS = 50  # PivotMDS pivots
STEPS_SMALL = 100  # stress majorization steps (most pages converge in fewer)
STEPS_LARGE = 150  # ForceAtlas2 steps on the grid


def positions(
    n: int, pairs: list[tuple[int, int]], *, boxes: Any = None, seed: int = SEED, steps: int | None = None
) -> Any:
    """An ``n x 2`` integer array of positions for nodes ``0..n-1`` tied by ``pairs``.

    Direction, repeated pairs and loops are ignored. Up to :data:`EXACT` nodes, no two
    ``boxes`` (``n x 2``: the width and height each node and its label need, in the units
    of :data:`EDGE`) overlap. ``steps`` defaults to :data:`STEPS_SMALL` up to
    :data:`EXACT` nodes and :data:`STEPS_LARGE` above."""
    import numpy as np

    if n == 0:
        return np.zeros((0, 2), dtype=np.int64)
    u, v = simple_pairs(n, pairs)
    indptr, indices = _adjacency(n, u, v)
    rng = np.random.default_rng(seed)
    parts = _components(n, indptr, indices)
    if n <= EXACT:
        placed = [(members, _stress(indptr, indices, members, rng, steps or STEPS_SMALL)) for members in parts]
        pos = _packed(n, [(members, local * EDGE) for members, local in placed], EDGE)
        boxes = np.full((n, 2), EDGE / 2) if boxes is None else np.asarray(boxes, dtype=np.float64)
        pos = _unboxed(pos, boxes)
    else:
        pos = _packed(n, [(members, _pivot_mds(indptr, indices, members, rng)) for members in parts], 1.0)
        mass = np.diff(indptr).astype(np.float64) + 1.0
        pos = _scaled(forceatlas2(pos, u, v, mass, steps or STEPS_LARGE), u, v)
        # Components drift apart under repulsion: set them side by side again, one tie apart.
        pos = _packed(n, [(members, pos[members]) for members in parts], EDGE)
    return np.rint(pos).astype(np.int64)


def simple_pairs(n: int, pairs: list[tuple[int, int]]) -> tuple[Ints, Ints]:
    """The undirected simple ties: ``u < v``, each pair once, sorted."""
    import numpy as np

    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    array = np.sort(np.asarray(pairs, dtype=np.int64).reshape(-1, 2), axis=1)
    array = array[array[:, 0] != array[:, 1]]
    keys = _distinct(array[:, 0] * max(n, 1) + array[:, 1])  # (u, v) in order, as one number
    return keys // max(n, 1), keys % max(n, 1)


def _distinct(values: Ints) -> Ints:
    """The distinct values, sorted: ``np.unique`` without its check for masked arrays, which imports
    ``numpy.ma`` (some 25 ms of every ``iadef viz``)."""
    import numpy as np

    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _adjacency(n: int, u: Ints, v: Ints) -> tuple[Ints, Ints]:
    import numpy as np

    heads = np.concatenate([u, v])
    tails = np.concatenate([v, u])
    order = np.lexsort((tails, heads))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(heads, minlength=n), out=indptr[1:])
    return indptr, tails[order]


def hops(indptr: Ints, indices: Ints, source: int) -> Ints:
    """Hop distances from ``source`` (breadth-first, one numpy pass per level); -1 if unreached."""
    import numpy as np

    dist = np.full(len(indptr) - 1, -1, dtype=np.int64)
    dist[source] = 0
    frontier = np.array([source], dtype=np.int64)
    level = 0
    while frontier.size:
        level += 1
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        total = int(counts.sum())
        if not total:
            break
        offsets = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
        found = indices[offsets]
        frontier = _distinct(found[dist[found] < 0])
        dist[frontier] = level
    return dist


def _all_hops(indptr: Ints, indices: Ints, members: Ints) -> Ints:
    """Hop distances between every two nodes of one component (``len(members)`` > 1), as
    :func:`hops` from each of them, all sources at once: one pass over the ties per level."""
    import numpy as np

    size = len(members)
    local = np.full(len(indptr) - 1, -1, dtype=np.int64)
    local[members] = np.arange(size)
    starts, ends = indptr[members], indptr[members + 1]
    neighbours = local[np.concatenate([indices[a:b] for a, b in zip(starts, ends, strict=True)])]
    offsets = np.concatenate([[0], np.cumsum(ends - starts)[:-1]])  # every member has a neighbour
    dist = np.full((size, size), -1, dtype=np.int64)
    np.fill_diagonal(dist, 0)
    frontier = np.eye(size, dtype=bool)
    level = 0
    while frontier.any():
        level += 1
        # column j of the next frontier: reached from a neighbour of j, and not yet seen
        frontier = np.logical_or.reduceat(frontier[:, neighbours], offsets, axis=1) & (dist < 0)
        dist[frontier] = level
    return dist


def _components(n: int, indptr: Ints, indices: Ints) -> list[Ints]:
    """The connected components, biggest first (ties: lowest node first)."""
    import numpy as np

    label = np.full(n, -1, dtype=np.int64)
    parts = [np.array([node]) for node in np.flatnonzero(np.diff(indptr) == 0)]
    label[np.diff(indptr) == 0] = 0
    for start in range(n):
        if label[start] < 0:
            members = np.flatnonzero(hops(indptr, indices, start) >= 0)
            label[members] = 0
            parts.append(members)
    return sorted(parts, key=lambda members: (-len(members), int(members[0])))


def _packed(n: int, parts: list[tuple[Ints, Array]], margin: float) -> Array:
    """The biggest component, and the others on shelves in a column on its right."""
    import numpy as np

    pos = np.zeros((n, 2))
    boxes = [(local.min(axis=0) - margin, local.max(axis=0) + margin) for _, local in parts]
    sizes = [high - low for low, high in boxes]
    pos[parts[0][0]] = parts[0][1] - boxes[0][0]
    rest = [float(w * h) for w, h in sizes[1:]]
    column = max([np.sqrt(sum(rest) * 1.5), *(float(w) for w, _ in sizes[1:])], default=0.0)
    left = float(sizes[0][0])
    x = y = row_height = 0.0
    for (members, local), (low, _), (width, height) in zip(parts[1:], boxes[1:], sizes[1:], strict=True):
        if x > 0 and x + width > column:
            x, y, row_height = 0.0, y + row_height, 0.0
        pos[members] = local - low + (left + x, y)
        x += float(width)
        row_height = max(row_height, float(height))
    return np.asarray(pos - (pos.max(axis=0) + pos.min(axis=0)) / 2, dtype=np.float64)


def _pivot_mds(indptr: Ints, indices: Ints, members: Ints, rng: Any) -> Array:
    """Positions (in hops) of one component: classical scaling of the distances to the pivots.

    The first pivot is the node of highest degree, each next one the node farthest from
    those chosen (ties: the lowest index)."""
    import numpy as np

    size = len(members)
    if size <= 3:
        return np.array([[np.cos(a), np.sin(a)] for a in 2 * np.pi * np.arange(size) / size]) * (size > 1)
    degree = np.diff(indptr)[members]
    pivot = int(members[np.argmax(degree)])
    columns = []
    nearest = np.full(size, np.iinfo(np.int64).max)
    for _ in range(min(PIVOTS, size)):
        column = hops(indptr, indices, pivot)[members]
        columns.append(column)
        nearest = np.minimum(nearest, column)
        pivot = int(members[np.argmax(nearest)])
        if nearest.max() == 0:
            break
    squared = np.stack(columns, axis=1).astype(np.float64) ** 2
    centred = squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean()
    coords, singular = _top_two(-0.5 * centred)
    if coords.shape[1] < 2 or singular[1] < 1e-9 * max(singular[0], 1e-12):
        coords = np.column_stack([coords[:, 0], np.zeros(size)])
    coords = coords * np.where(coords[np.abs(coords).argmax(axis=0), [0, 1]] < 0, -1.0, 1.0)
    # Nodes at the same distance from every pivot start at the same point: a small jitter parts them.
    return np.asarray(coords + rng.normal(scale=0.1, size=(size, 2)), dtype=np.float64)


def _top_two(matrix: Array, limit: int = 2000) -> tuple[Array, Array]:
    """The first two principal axes of ``matrix`` (``m x k``): ``U[:, :2] * S[:2]`` and ``S[:2]`` of its
    singular value decomposition (one column if ``k`` is 1), by orthogonal iteration on the ``k x k``
    matrix ``M^T M``.

    Not ``np.linalg.svd``: LAPACK runs it on OpenBLAS' threads, whose waits cost 40 ms for a
    72 x 50 matrix and up to 2 s for 20,000 x 50 on a busy two-core machine, and slow the
    numpy code after them; a product of small matrices runs on the calling thread. The start
    is fixed, so the result is deterministic (signs are set by the caller)."""
    import numpy as np

    gram = matrix.T @ matrix
    width = min(2, gram.shape[0])
    basis = np.random.default_rng(SEED).standard_normal((gram.shape[0], width))
    values = np.zeros(width)
    for _ in range(limit):
        basis = _orthonormal(gram @ basis)
        previous, values = values, np.einsum("ij,ij->j", basis, gram @ basis)
        if np.all(np.abs(values - previous) <= 1e-13 * max(float(values[0]), 1e-300)):
            break
    return matrix @ basis, np.sqrt(np.maximum(values, 0.0))


def _orthonormal(columns: Array) -> Array:
    """Gram-Schmidt on one or two columns (a zero column stays zero)."""
    import numpy as np

    out = columns.copy()
    for j in range(out.shape[1]):
        for i in range(j):
            out[:, j] -= (out[:, i] @ out[:, j]) * out[:, i]
        norm = float(np.sqrt(out[:, j] @ out[:, j]))
        out[:, j] = out[:, j] / norm if norm > 0 else 0.0
    return out


def _stress(indptr: Ints, indices: Ints, members: Ints, rng: Any, steps: int) -> Array:
    """Positions (in hops) of one component of a small page by stress majorization (Gansner, Koren
    and North, 2004): every pair pulled towards its hop distance, weighted by its inverse square,
    from the PivotMDS placement. Ties come out of similar length and the picture is readable."""
    import numpy as np

    pos = _pivot_mds(indptr, indices, members, rng)
    if len(members) <= 3:
        return pos
    target = _all_hops(indptr, indices, members).astype(np.float64)
    weight = np.zeros_like(target)
    np.divide(1.0, target**2, out=weight, where=target > 0)
    total = weight.sum(axis=1)
    for _ in range(steps):
        diff = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.hypot(diff[..., 0], diff[..., 1]), 1e-9)
        pull = weight * target / dist
        new = (weight @ pos + np.einsum("ijk,ij->ik", diff, pull)) / total[:, None]
        moved = float(np.abs(new - pos).max())
        pos = new
        if moved < 1e-3:
            break
    return pos


def _scaled(pos: Array, u: Ints, v: Ints) -> Any:
    """Positions centred and scaled so that the median tie is :data:`EDGE` long."""
    import numpy as np

    pos = pos - (pos.max(axis=0) + pos.min(axis=0)) / 2
    if len(u):
        median = float(np.median(np.hypot(*(pos[u] - pos[v]).T)))
    else:
        median = float(np.median(np.hypot(*pos.T))) if len(pos) > 1 else 0.0
    return pos * (EDGE / median) if median > 0 else pos


def _unboxed(pos: Array, boxes: Array, rounds: int = 100) -> Array:
    """Nodes moved apart until no two boxes (node and label, ``width, height`` each) overlap, or
    for ``rounds`` rounds: each overlapping pair is pushed apart along the axis where it overlaps
    least. (The axes are computed apart, on ``n x n`` arrays; the pushes are summed in the same
    order as before, so positions are the same to the last bit.)"""
    import numpy as np

    n = len(pos)
    tie = np.sign(np.arange(n)[:, None] - np.arange(n)[None, :]).astype(np.float64)
    reach = [(boxes[:, None, axis] + boxes[None, :, axis]) / 2 for axis in (0, 1)]
    push = np.empty((n, n, 2))
    for _ in range(rounds):
        diff = [pos[:, None, axis] - pos[None, :, axis] for axis in (0, 1)]
        overlap = [reach[axis] - np.abs(diff[axis]) for axis in (0, 1)]
        both = (overlap[0] > 0) & (overlap[1] > 0)
        np.fill_diagonal(both, False)
        if not both.any():
            break
        axis_x = overlap[0] < overlap[1]
        for axis, chosen in ((0, axis_x & both), (1, ~axis_x & both)):
            side = np.sign(diff[axis])
            side = np.where(side == 0, tie, side)
            np.multiply(overlap[axis], side, out=push[..., axis])
            push[..., axis][~chosen] = 0.0
        pos = pos + 0.3 * push.sum(axis=1)
    return pos
