"""Splitting a path into sub-paths and handing it to Cairo (the camera's part of ``cairo_paths``)."""
from __future__ import annotations

def _subpath_starts(vmobject, coords: list, n: int, dims: int = 2) -> list:
    """Where ``VMobject.get_subpath_split_indices_from_points(points, n_dims=dims)`` splits ``n``
    points (``coords``: their first ``dims`` coordinates, interleaved), with Manim's own anchor
    comparison, run in Python on the anchors that differ: a path's consecutive curves almost always
    share their anchor exactly, and a few list comparisons settle that without NumPy's per-call
    overhead on a few dozen points."""
    nppcc = vmobject.n_points_per_cubic_curve
    stride = dims * nppcc
    m = len(range(nppcc, n, nppcc))             # curve boundaries: points nppcc, 2·nppcc, … below n
    ends = [coords[stride - dims + d:stride * m:stride] for d in range(dims)]
    starts = [coords[stride + d::stride] for d in range(dims)]
    bounds = [0]
    if ends != starts:
        if dims == 2:
            equal = vmobject.consider_points_equals_2d
        else:
            equal = vmobject.consider_points_equals  # np.allclose, as Manim's vectorized comparison
        for k, (end, start) in enumerate(zip(zip(*ends), zip(*starts))):
            if end != start and not equal(end, start):
                bounds.append((k + 1) * nppcc)
    bounds.append(n)
    return bounds


def _emit_path(ctx, vmobject, points) -> None:
    """Hand ``points`` (already as the camera displays them) to Cairo as Manim's camera does:
    one sub-path per run of joined cubic curves, closed where it ends on its start."""
    nppcc = vmobject.n_points_per_cubic_curve
    n = len(points)
    if n < nppcc:
        return
    xy = points[:, :2].ravel().tolist()
    curve_to = ctx.curve_to
    equal = vmobject.consider_points_equals_2d
    bounds = _subpath_starts(vmobject, xy, n)
    for start, end in zip(bounds, bounds[1:]):
        if end - start < nppcc:
            continue
        ctx.new_sub_path()
        first, last = 2 * start, 2 * (end - 1)
        ctx.move_to(xy[first], xy[first + 1])
        for b in range(first + 2, 2 * (end - nppcc) + 3, 2 * nppcc):
            curve_to(*xy[b:b + 6])
        if (xy[first] == xy[last] and xy[first + 1] == xy[last + 1]) or equal(xy[first:first + 2], xy[last:last + 2]):
            ctx.close_path()
