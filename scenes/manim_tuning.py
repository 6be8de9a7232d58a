"""Measured speed-ups for Manim 0.22, applied when a scene module is imported.

Every glyph of a ``Text``/``MathTex`` (a ``VMobjectFromSVGPath``) keeps the parsed SVG path it
was built from (``path_obj``, an svgelements object of a few hundred small Python objects).
Manim never changes that path after it has turned it into points, yet

* ``Mobject.copy`` (every ``Transform``, ``FadeIn``/``FadeOut``, ``.animate``) deep-copies it, and
* the partial-movie cache serializes it into the hash of every ``play`` call.

Sharing the parsed path between copies and leaving it out of the hash (its points, which are
hashed, carry the same geometry) makes copies of text-heavy groups about 2.7× and hashing
about 1.8× faster (bench/render.py measures the whole lecture).  ``ManimColor`` is immutable
(Manim itself shares its internal array between colours), so copies share it as well.

Splitting a path into sub-paths (``become``, ``Transform``, smoothing) compared consecutive
anchors with one ``np.allclose`` call each; the anchors are now compared as Python lists, the
tolerance test run only where they differ (the camera's split below is the same function in 2-D).

``Mobject.become`` (``always_redraw`` and every updater that rebuilds a mobject) asks
``align_data`` to skip the point alignment -- the points are overwritten with the target's right
after (Manim PR #2508) -- but ``align_data`` drops the flag when it recurses into the submobjects,
so every glyph, bar and curve below the top level is still subdivided to match its target before
its points are replaced (and keeps the extra curves: issue #1959).  The flag is now passed down; the
colour arrays are still matched in length, as ``become`` interpolates them.

A mobject that is redrawn but has not moved (Manim redraws everything above the first moving
mobject on every frame) is turned into the same Cairo path again and again: its sub-paths are split
and every curve is handed to Cairo by a Python call.  The camera now keeps the Cairo path it built
for each mobject with the points it was built from, and hands it back in one call while the
(displayed) points and the camera's matrix are unchanged; the drawing itself is Cairo's, as before.
A path it does build (a mobject that moved) is split into sub-paths by the same list comparison
(Manim's vectorized split paid more in NumPy's call overhead on a glyph's few dozen points).

``Mobject.get_family`` (every frame: the camera, ``Transform``, the updaters) yielded each member
through one generator per ancestor; one recursive function lists the same members in the same order
in about half the time, appending a member without members (most: glyphs, dots) without a call.  The
camera's list of everything to draw (every family in the scene, on every frame) is joined with
``list.extend`` and searched for repeats only where there are any; its set of moving members skips a
mover that an ancestor's family already brought in.  ``Camera.type_or_raise`` (which kind of drawing a
mobject takes, asked for every mobject on every frame) built its table of types and ran ``isinstance``
down it on each call; it is answered once per class.

``Mobject.update`` (every frame, for every member of every family on screen) called itself for each
member and asked ``inspect.signature`` of each updater whether it takes ``dt``; a member with neither
updaters nor members is now skipped (its call would only return) and each updater's answer is kept.

During a ``play`` Manim draws the still mobjects below the first moving one once, as the
background, and redraws everything after it on every frame, still or not: a formula panel added after
a diagram that pulses is stroked and filled again for each frame.  Each run of still mobjects in that
list (not animated, no updater, not in the foreground, as Manim decides what moves) is now drawn once
per ``play`` into a transparent layer and painted from it in its place; a run whose members or the
camera's view change is drawn directly again.  Cairo blends a layer's antialiased edges with one
rounding more, so a pixel may differ by one level (Manim's frame tests allow one); the 3-D camera,
which shades by orientation, draws as before.  ``ThreeDAxes`` shades each of its pieces with a
gradient between the axis's edges towards and away from the light, measured over the whole axis for
every piece, fill and stroke, on every frame; they are now measured once per axis and frame.

Before each ``play`` (and each ``wait``: its whole held frame) Manim draws the still mobjects below
the first moving one from a blank frame.  The camera now remembers, for the last such frame, how each
member looked (its points, colours, widths, joints, gradient ends, by what the camera reads to draw
it) and the frame as it stood after a few prefixes of the drawing order; the next still frame starts
from the longest remembered prefix whose members are unchanged and draws only the rest.  The
drawing is Cairo's, from the same pixels, so the frame is the same, byte for byte; an image, a
mobject with a background image, a changed view or background is drawn again.  A ``step_through``
that changes one heat-map holds each state without redrawing the axes and labels below it (on the
lecture: 943 still frames, 37 % of their members drawn, 0.7 s less).

Manim's segment encoder converts every RGBA frame to the video's YUV format as a whole, and a frame
held still (``wait``) once per repeat.  A held frame is now converted once and encoded for each
repeat, and of a new frame only the rows that changed since the previous one are converted (with a
margin that makes the rows kept equal to a whole-frame conversion); the encoder copies its input, so
the bytes of the video are the same.  Without B-frames (the build's one stream per scene,
``scenes.one_stream``) a held frame is encoded once and shown until the next frame's timestamp.
Inside ``encoding_inline`` (the build's workers, unless a core is left over) a frame is encoded on
the thread that drew it, as it is handed over, instead of on Manim's encoder thread: beside a busy
drawing thread the encoder thread waits for the interpreter lock several times a frame, and on the
lecture's one-job build the two spent about 13 s more CPU time than drawing and encoding in turn
(with a worker per core the difference is within the machine's noise).

Three more, measured on the same build: ``Mobject.__deepcopy__`` takes the values ``copy.deepcopy``
returns as they are (numbers, strings, colours) without the call and copies numeric arrays directly,
through the same memo; a ``Transform`` interpolates the members of its family that move on a straight
path together, their start and end arrays joined once and the results handed back as slices, with
the arithmetic of Manim's ``interpolate`` element by element; and the camera draws a mobject with
``apply_fill`` and the zero-width checks of ``apply_stroke`` written out, handing Cairo no fully
transparent fill (an OVER of a clear source, which Cairo skips itself).

Setting ``config.renderer`` (every ``tempconfig`` restores it on leaving: once per scene a worker
renders) assigned ``__bases__`` again to each of Manim's ~150 renderer-convertible classes, 9 ms of
MRO rebuilding and emptied method caches; a class whose bases would not change is now left alone.

tests/test_render_speed.py checks each replacement against the original.
"""
from __future__ import annotations

import contextlib
import copy
import inspect
import itertools as it
import operator
import weakref
from fractions import Fraction

import av
import cairo
from av.video.reformatter import VideoReformatter
import numpy as np
from manim import Mobject, VMobject
from manim._config.utils import ManimConfig
from manim.constants import RendererType
import manim.camera.camera as camera_module
import manim.camera.three_d_camera as three_d_camera_module
import manim.scene.moving_camera_scene as moving_camera_scene_module
import manim.scene.scene as scene_module
from manim.camera.camera import Camera
from manim.camera.moving_camera import MovingCamera
from manim.camera.three_d_camera import ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.mobject.graphing.coordinate_systems import ThreeDAxes
from manim.scene.scene import Scene
from manim.scene.scene_file_writer import _PartialMovieEncodeJob
from manim.scene.video_segment_encoder import VideoSegmentEncoder
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.utils import family, hashing
from manim.utils.color import ManimColor
from manim.utils.bezier import interpolate as _straight
from manim.utils.iterables import remove_list_redundancies
from manim.animation.transform import Transform

from scenes import one_stream

_mobject_deepcopy = Mobject.__deepcopy__


_SHARED_AS_IS = frozenset({int, float, bool, str, bytes, complex, type(None), ManimColor})


def _deepcopy_mobject(self, memo):
    """``Mobject.__deepcopy__`` with the values ``copy.deepcopy`` returns as they are (numbers,
    strings, None, colours: immutable) taken without the call, and NumPy arrays of numbers copied
    directly, through the same memo (an array two attributes share stays shared in the copy); every
    other value goes through ``copy.deepcopy`` as in Manim.  A mobject has a few dozen attributes,
    most of them such values, and every ``Transform``, ``FadeIn`` and ``.animate`` copies families of
    them."""
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    target = result.__dict__
    for key, value in self.__dict__.items():
        kind = type(value)
        if kind in _SHARED_AS_IS:
            target[key] = value
        elif kind is np.ndarray and not value.dtype.hasobject:
            copied = memo.get(id(value))
            if copied is None:
                copied = memo[id(value)] = value.copy(order="K")
                copy._keep_alive(value, memo)
            target[key] = copied
        else:
            target[key] = copy.deepcopy(value, memo)
    result.original_id = str(id(self))
    return result


def _deepcopy_sharing_parsed_path(self, memo):
    path = self.__dict__.get("path_obj")
    if path is not None:
        memo[id(path)] = path  # deepcopy treats it as already copied: the copy shares it
    return _deepcopy_mobject(self, memo)


def _identity(self, memo):
    return self


def _subpaths_from_points(self, points):
    """``VMobject.get_subpaths_from_points`` with the anchors compared as Python lists (see
    ``_subpath_starts``) instead of one ``np.allclose`` call per curve: ``become``, ``Transform`` and
    smoothing call it for every curve of every mobject they touch."""
    points = np.asarray(points)
    n = len(points)
    if n < self.n_points_per_cubic_curve:
        return []
    bounds = _subpath_starts(self, points[:, :3].ravel().tolist(), n, 3)
    return [points[start:end] for start, end in zip(bounds, bounds[1:])
            if end - start >= self.n_points_per_cubic_curve]


_get_family = Mobject.get_family
_family_members_with_points = Mobject.family_members_with_points
_camera_type_or_raise = Camera.type_or_raise
_RENDERED_AS: dict[type, type] = {}


def _type_or_raise(self, mobject):
    """``Camera.type_or_raise``, answered once per class: Manim builds its table of drawable types (with a
    bound method each) and runs ``isinstance`` down it for every mobject on every frame; the answer
    depends only on the class.  The camera's own table (``display_funcs``, which ``capture_mobjects``
    reads) is still built by Manim's method, on the camera's first call."""
    found = _RENDERED_AS.get(type(mobject))
    if found is None or "display_funcs" not in self.__dict__:
        found = _RENDERED_AS[type(mobject)] = _camera_type_or_raise(self, mobject)
    return found


def _family(self, recurse: bool = True) -> list:
    """``Mobject.get_family`` walked by one recursive function instead of a generator per level
    (Manim yields every member up through each of its ancestors' generators): the same members in
    the same order, a member reached again inside its own family skipped, repeats kept last."""
    members = []
    append = members.append
    active = set()

    def visit(mob):
        if mob in active:
            return
        active.add(mob)
        append(mob)
        for sub in mob.submobjects:
            if sub.submobjects:
                visit(sub)
            else:  # a leaf (most members: glyphs, dots) cannot be its own ancestor
                append(sub)
        active.discard(mob)

    visit(self)
    return members if len(set(members)) == len(members) else remove_list_redundancies(members)


_mobject_update = Mobject.update
_TIME_BASED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _time_based(updater) -> bool:
    """Whether Manim passes ``dt`` to ``updater`` (it asks ``inspect.signature`` on every call)."""
    try:
        known = _TIME_BASED.get(updater)
    except TypeError:  # not weakly referable
        return "dt" in inspect.signature(updater).parameters
    if known is None:
        known = _TIME_BASED[updater] = "dt" in inspect.signature(updater).parameters
    return known


def _update(self, dt: float = 0, recursive: bool = True):
    """``Mobject.update``: the same updaters called in the same order, without a call for each member
    that has neither updaters nor members (Manim's call would only return) and with each updater's
    signature read once."""
    if self.updating_suspended:
        return self
    for updater in self.updaters:
        if _time_based(updater):
            updater(self, dt)
        else:
            updater(self)
    if recursive:
        for submob in self.submobjects:
            if submob.updaters or submob.submobjects or type(submob).update is not _update:
                submob.update(dt, recursive=recursive)
    return self


def _family_with_points(self) -> list:
    return [m for m in self.get_family() if len(m.points) > 0]


_extract_family_members = family.extract_mobject_family_members
_FAMILY_USERS = (camera_module, three_d_camera_module, scene_module, moving_camera_scene_module, family)
_Z = operator.attrgetter("z_index")


def _family_members(mobjects, use_z_index: bool = False, only_those_with_points: bool = False) -> list:
    """``extract_mobject_family_members`` (the camera calls it for the whole scene on every frame)
    with the families joined by ``list.extend``, the repeats removed only where there are any (the
    last kept, as Manim keeps it) and the z-index read by ``attrgetter``."""
    method = Mobject.family_members_with_points if only_those_with_points else Mobject.get_family
    members: list = []
    for mob in mobjects:
        members.extend(method(mob))
    if len(set(members)) != len(members):
        members = remove_list_redundancies(members)
    return sorted(members, key=_Z) if use_z_index else members


_align_data = Mobject.align_data
_mobject_interpolate = Mobject.interpolate
_vmobject_interpolate_color = VMobject.interpolate_color
_transform_interpolate_submobject = Transform.interpolate_submobject


def _align_data_passing_skip(self, mobject, skip_point_alignment: bool = False):
    """``Mobject.align_data`` that keeps ``skip_point_alignment`` for the whole family."""
    if not skip_point_alignment:
        return _align_data(self, mobject)  # Transform & co.: Manim's own, unchanged
    self.null_point_align(mobject)
    self.align_submobjects(mobject)
    if isinstance(self, VMobject) and isinstance(mobject, VMobject):
        self.align_rgbas(mobject)  # become() interpolates the colour arrays at alpha 1
    else:
        self.align_points(mobject)  # other kinds keep colours per point: Manim's alignment
    for m1, m2 in zip(self.submobjects, mobject.submobjects, strict=True):
        m1.align_data(m2, skip_point_alignment=True)
    return self


_camera_set_path = Camera.set_cairo_context_path
_plain_transform = Camera.transform_points_pre_display
_PATHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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


def _set_cairo_context_path_cached(self, ctx, vmobject):
    """``Camera.set_cairo_context_path`` that reuses the path last built for ``vmobject`` while
    its displayed points and the context's matrix are the same."""
    plain = type(self).transform_points_pre_display is _plain_transform
    # Manim's own camera displays the points as they are (all finite) or one point at the origin: the
    # points themselves are the key (the same bytes display the same path)
    points = vmobject.points if plain else self.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) == 0:
        return self
    ctx.new_path()
    key = (plain, ctx.get_matrix(), points.shape, points.tobytes())  # (plain: the same bytes, shown alike)
    cached = _PATHS.get(vmobject)
    if cached is not None and cached[0] == key:
        ctx.append_path(cached[1])
        return self
    if plain and not np.isfinite(points).all():
        points = np.zeros((1, 3))  # as Manim's camera displays a mobject with a point not finite
    _emit_path(ctx, vmobject, points)
    _PATHS[vmobject] = (key, ctx.copy_path())
    return self


_display_vectorized = Camera.display_vectorized


def _display_vectorized_inline(self, vmobject, ctx):
    """``Camera.display_vectorized`` with ``apply_fill`` and the zero-width checks of ``apply_stroke``
    written out: the same Cairo calls in the same order, but for a fill of one fully transparent colour,
    which is not handed to Cairo (Cairo paints nothing for it: an OVER of a clear source).  The camera
    draws every mobject through this, on every frame it redraws it."""
    self.set_cairo_context_path(ctx, vmobject)
    if vmobject.get_stroke_width(True) != 0:
        self.apply_stroke(ctx, vmobject, background=True)
    rgbas = self.get_fill_rgbas(vmobject)
    if len(rgbas) == 1:
        rgba = rgbas[0]
        if rgba[3] != 0:
            ctx.set_source_rgba(rgba[2], rgba[1], rgba[0], rgba[3])
            ctx.fill_preserve()
    else:
        self.set_cairo_context_color(ctx, rgbas, vmobject)
        ctx.fill_preserve()
    if vmobject.get_stroke_width() != 0:
        self.apply_stroke(ctx, vmobject)
    return self


_three_d_capture = ThreeDCamera.capture_mobjects
_axis_shading = ThreeDAxes._set_axis_shading
_frame: list = [None]  # the 3-D frame being drawn (a fresh token per capture), None outside one


def _capture_3d_marking_the_frame(self, mobjects, **kwargs):
    outer = _frame[0]
    _frame[0] = object()
    try:
        return _three_d_capture(self, mobjects, **kwargs)
    finally:
        _frame[0] = outer


def _set_axis_shading_once_per_frame(self) -> None:
    """``ThreeDAxes._set_axis_shading`` whose gradient ends (the axis's extreme edges towards and
    away from the light) are measured once per axis and frame, not for each of its pieces, for fill
    and stroke: the camera changes nothing while it draws a frame."""

    def make_func(axis):
        vect = self.light_source
        memo = [None, None]

        def ends():
            frame = _frame[0]
            if frame is not None and memo[0] is frame:
                return memo[1]
            value = (axis.get_edge_center(-vect), axis.get_edge_center(vect))
            if frame is not None:
                memo[0], memo[1] = frame, value
            return value

        return ends

    for axis in self:
        ends = make_func(axis)
        for submob in axis.family_members_with_points():
            submob.get_gradient_start_and_end_points = ends
            submob.get_unit_normal = lambda a: np.ones(3)
            submob.set_sheen(0.2)


class _LayerPlan:
    """What one ``play`` call may draw from layers: the mobjects that move in it (every animated
    mobject, every mobject with an updater and every foreground mobject, with their families as they
    are on each frame: ``become`` may give a redrawn group new members) and the layers built so far,
    by position of their run in the frame's display list."""

    def __init__(self, movers: list):
        self.movers = movers
        self.layers: dict[int, tuple] = {}   # run index -> (members, view, surface, clip, pixels)
        self.direct: set[int] = set()         # runs whose members or view changed: drawn directly


def _movers(scene) -> list:
    from manim.animation.composition import AnimationGroup

    animated: set = set()

    def collect(animations):
        for animation in animations:
            animated.update(animation.mobject.get_family())
            if isinstance(animation, AnimationGroup):
                collect(animation.animations)

    collect(scene.animations or ())
    foreground = set(scene.foreground_mobjects)
    return [mob for mob in scene.get_mobject_family_members()
            if mob in animated or mob.updaters or mob in foreground]


_play_internal = Scene.play_internal


def _play_internal_with_layers(self, skip_rendering: bool = False):
    """``Scene.play_internal`` with the still mobjects above the first moving one drawn from layers."""
    camera = getattr(self.renderer, "camera", None)
    if type(camera) not in (Camera, MovingCamera) or skip_rendering:
        return _play_internal(self, skip_rendering)
    camera._layer_plan = _LayerPlan(_movers(self))
    try:
        return _play_internal(self, skip_rendering)
    finally:
        camera._layer_plan = None


_capture_mobjects = Camera.capture_mobjects
_MIN_LAYER_RUN = 2


def _layerable(camera, mob, moving) -> bool:
    return mob not in moving and camera.type_or_raise(mob) is VMobject and not mob.get_background_image()


def _draw_members(camera, members: list) -> None:
    """Draw ``members`` (a display list) onto the frame, as ``Camera.capture_mobjects`` draws its list."""
    for kind, batch in it.groupby(members, camera.type_or_raise):
        camera.display_funcs[kind](list(batch), camera.pixel_array)


def _view(camera, ctx) -> tuple:
    """What places a drawing on the frame: the context's matrix, the camera's frame, the pixel array."""
    return (tuple(ctx.get_matrix()), tuple(camera.frame_center), camera.frame_width, camera.frame_height,
            camera.pixel_array.shape, camera.pixel_array.dtype.str)


def _capture_mobjects_with_layers(self, mobjects, **kwargs):
    """``Camera.capture_mobjects`` that, during a ``play``, paints each run of still mobjects lying
    above a moving one from a layer drawn once (see the module docstring)."""
    plan = self.__dict__.get("_layer_plan")
    if plan is None or kwargs.get("include_submobjects", True) is not True or set(kwargs) - {"include_submobjects"}:
        return _capture_mobjects(self, mobjects, **kwargs)
    display = self.get_mobjects_to_display(mobjects)
    moving: set = set()
    for mover in plan.movers:
        if mover not in moving:  # else it came with an ancestor's family, and its own family with it
            moving.update(mover.get_family())
    runs: list[tuple[bool, list]] = []
    for mob in display:
        still = _layerable(self, mob, moving)
        if runs and runs[-1][0] == still:
            runs[-1][1].append(mob)
        else:
            runs.append((still, [mob]))
    for index, (still, group) in enumerate(runs):
        if still and len(group) >= _MIN_LAYER_RUN and index not in plan.direct:
            if self._paint_layer(plan, index, group):
                continue
        _draw_members(self, group)


def _paint_layer(self, plan, index, group) -> bool:
    """Paint run ``index`` (``group``) from its layer, drawing the layer first if needed; False where
    the run changed since its layer was drawn (it is then drawn directly for the rest of the play)."""
    ctx = self.get_cairo_context(self.pixel_array)
    view = _view(self, ctx)
    layer = plan.layers.get(index)
    if layer is not None and (len(layer[0]) != len(group) or layer[1] != view
                              or any(a is not b for a, b in zip(layer[0], group))):
        plan.direct.add(index)
        del plan.layers[index]
        return False
    if layer is None:
        pixels = np.zeros_like(self.pixel_array)
        self.display_multiple_vectorized_mobjects(group, pixels)  # with the camera's own context
        self.pixel_array_to_cairo_context.pop(id(pixels), None)   # (Camera caches it by the array's id)
        height, width = pixels.shape[:2]
        surface = cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, width, height)
        alpha = pixels[..., 3]  # Cairo's ARGB32 keeps alpha in the fourth byte, as Manim's RGBA does
        rows = np.flatnonzero(alpha.any(axis=1))
        cols = np.flatnonzero(alpha.any(axis=0))
        clip = None if len(rows) == 0 else (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1),
                                            int(rows[-1] - rows[0] + 1))
        layer = plan.layers[index] = (tuple(group), view, surface, clip, pixels)
    clip = layer[3]
    if clip is None:
        return True
    ctx.save()
    ctx.identity_matrix()
    ctx.new_path()  # Manim fills and strokes with *_preserve: the last mobject's path is still current
    ctx.rectangle(*clip)
    ctx.clip()
    ctx.set_source_surface(layer[2], 0, 0)
    ctx.paint()
    ctx.restore()
    ctx.new_path()
    return True


_save_static_frame_data = CairoRenderer.save_static_frame_data
_MAX_MARKS = 3


class _StaticMemo:
    """What the last still frame drew: the view, each member's look, and the frame as it stood
    after the first ``n`` members, for a few ``n`` (``marks``)."""

    def __init__(self, view: tuple, background):
        self.view = view
        self.background = background
        self.looks: list = []
        self.members: list = []  # kept alive: the looks name members by id
        self.marks: dict[int, np.ndarray] = {}


def _look(camera, mob, plain: bool):
    """Everything the camera reads to draw ``mob`` (a fresh object where that is not known: drawn
    again every time)."""
    if camera.type_or_raise(mob) is not VMobject or mob.get_background_image():
        return object()
    points = mob.points if plain else camera.transform_points_pre_display(mob, mob.points)
    fill = mob.get_fill_rgbas()
    stroke = mob.get_stroke_rgbas()
    back = mob.get_stroke_rgbas(True)
    ends = (np.asarray(mob.get_gradient_start_and_end_points()).tobytes()
            if max(len(fill), len(stroke), len(back)) > 1 else None)
    return (id(mob), points.shape, points.tobytes(), fill.shape, fill.tobytes(), stroke.shape, stroke.tobytes(),
            back.shape, back.tobytes(), mob.get_stroke_width(), mob.get_stroke_width(True),
            mob.joint_type, mob.cap_style, ends)


def _save_static_frame_data_reusing(self, scene, static_mobjects):
    """``CairoRenderer.save_static_frame_data`` that starts from the frame as the previous still frame
    stood after the members the two share at the start of the list (unchanged, drawn over the same
    view): a ``wait`` redraws only what changed since the last one and what lies above it."""
    camera = self.camera
    if type(camera) not in (Camera, MovingCamera) or not static_mobjects:
        camera.__dict__.pop("_static_memo", None)
        return _save_static_frame_data(self, scene, static_mobjects)
    self.static_image = None
    members = camera.get_mobjects_to_display(static_mobjects)
    ctx = camera.get_cairo_context(camera.pixel_array)
    view = _view(camera, ctx)
    plain = type(camera).transform_points_pre_display is _plain_transform
    looks = [_look(camera, mob, plain) for mob in members]
    memo = camera.__dict__.get("_static_memo")
    if memo is None or memo.view != view or memo.background is not camera.background:
        memo = camera._static_memo = _StaticMemo(view, camera.background)
    same = 0
    for old, new in zip(memo.looks, looks):
        if old != new:
            break
        same += 1
    marks = {n: pixels for n, pixels in memo.marks.items() if n <= same}
    start = max(marks, default=0)
    if start:
        camera.set_frame_to_background(marks[start])
    else:
        camera.reset()
    for end in sorted({same, len(members)}):
        if end > start:
            _draw_members(camera, members[start:end])
            marks[end] = np.array(camera.pixel_array)
            start = end
    for n in sorted(marks)[:-_MAX_MARKS]:
        del marks[n]
    memo.looks, memo.members, memo.marks = looks, members, marks
    self.static_image = self.get_frame()
    return self.static_image


_transform_interpolate_mobject = Transform.interpolate_mobject
_COLOR_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "sheen_direction")
_COLOR_NUMBERS = ("stroke_width", "background_stroke_width", "sheen_factor")
_ENDS_OF = operator.attrgetter("points", *_COLOR_ARRAYS, *_COLOR_NUMBERS)
# what follows the rows in each array (sheen_direction is one vector per member, no rows)
_WIDTHS = {"points": (3,), "fill_rgbas": (4,), "stroke_rgbas": (4,), "background_stroke_rgbas": (4,),
           "sheen_direction": ()}


def _batched_member(sub, start, target) -> bool:
    """Whether Manim would interpolate this member of a ``Transform`` with ``Mobject.interpolate`` and
    ``VMobject.interpolate_color`` between arrays of equal shapes (what the batch computes)."""
    cls = type(sub)
    if (cls.interpolate is not _mobject_interpolate or cls.interpolate_color is not _vmobject_interpolate_color
            or not isinstance(start, VMobject) or not isinstance(target, VMobject)):
        return False
    for name, width in _WIDTHS.items():  # rows of a member's own length, of the usual width
        a, b = getattr(start, name), getattr(target, name)
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.shape[1:] == width):
            return False
    return all(isinstance(getattr(m, name), (float, int)) for m in (start, target) for name in _COLOR_NUMBERS)


class _TransformBatch:
    """The members of a ``Transform``'s family that ``_interpolate_transform`` interpolates together:
    their start and end arrays joined once (the animation's own copies, which nothing changes while it
    runs: their arrays and numbers are checked by identity on every frame) and the slices that give each
    member its rows back."""

    def __init__(self, families: list):
        self.members = [mobs[0] for mobs in families]
        self.indices = [i for i, mobs in enumerate(families) if _batched_member(*mobs)]
        chosen = set(self.indices)
        self.others = [i for i in range(len(families)) if i not in chosen]
        batch = [families[i] for i in self.indices]
        self.usable = len(batch) >= 2  # else left to Manim
        self.sources = [(mobs[1], mobs[2]) for mobs in batch]
        self.identity = self._identity()
        if not self.usable:
            return
        self.batched = [mobs[0] for mobs in batch]
        self.arrays, self.slices = {}, {}
        for name in ("points", *_COLOR_ARRAYS):
            first = [getattr(mobs[1], name) for mobs in batch]
            second = [getattr(mobs[2], name) for mobs in batch]
            if name == "sheen_direction":  # one vector per member: a row each
                self.arrays[name] = (np.stack(first), np.stack(second))
                continue
            self.arrays[name] = (np.concatenate(first), np.concatenate(second))
            sizes = [len(a) for a in first]
            bounds = np.cumsum(sizes).tolist()
            self.slices[name] = (sizes, [slice(begin, end) for begin, end in zip([0, *bounds[:-1]], bounds)])
        self.numbers = (np.array([[getattr(mobs[1], n) for n in _COLOR_NUMBERS] for mobs in batch], float),
                        np.array([[getattr(mobs[2], n) for n in _COLOR_NUMBERS] for mobs in batch], float))

    def _identity(self) -> list:
        ends = _ENDS_OF
        return [ends(m) for pair in self.sources for m in pair]

    def fits(self, members: list) -> bool:
        return (len(members) == len(self.members) and all(map(operator.is_, members, self.members))
                and all(map(operator.is_, it.chain.from_iterable(self._identity()),
                            it.chain.from_iterable(self.identity))))

    def interpolate(self, alphas: list) -> None:
        members = self.batched
        slices = self.slices
        column = np.array(alphas, float)
        for name, (first, second) in self.arrays.items():
            sizes, parts = slices.get(name, (None, None))
            weights = (column if sizes is None else np.repeat(column, sizes))[:, None]
            result = (1 - weights) * first + weights * second
            if parts is None:  # a row per member
                for member, row in zip(members, result):
                    setattr(member, name, row)
            else:
                for member, part in zip(members, parts):
                    setattr(member, name, result[part])
        numbers = ((1 - column[:, None]) * self.numbers[0] + column[:, None] * self.numbers[1]).tolist()
        for member, values in zip(members, numbers):
            for name, value in zip(_COLOR_NUMBERS, values):
                setattr(member, name, value)
        for member, (_, target), a in zip(members, self.sources, alphas):
            if a == 1.0:  # as Manim's interpolate_color: the target's own values
                for name in (*_COLOR_ARRAYS, *_COLOR_NUMBERS):
                    value = getattr(target, name)
                    setattr(member, name, value.copy() if isinstance(value, np.ndarray) else value)


def _interpolate_transform(self, alpha: float) -> None:
    """``Transform.interpolate_mobject`` (Manim: ``Animation.interpolate_mobject``) with the members
    of the family that move on a straight path interpolated together (``_TransformBatch``): one
    ``(1 - a) * start + a * end`` per attribute for the whole family (``a``: each member's own alpha,
    a column) handed back as slices, instead of eight small NumPy calls per member and frame.  The
    same arithmetic element by element, so the same numbers; a member at alpha 1 takes copies of the
    target's colours, as Manim's ``interpolate_color``; members Manim would treat otherwise (another
    ``interpolate``, shapes that differ) are interpolated by Manim's code."""
    if type(self).interpolate_submobject is not _transform_interpolate_submobject or self.path_func is not _straight:
        return _transform_interpolate_mobject(self, alpha)
    members = self.mobject.family_members_with_points()
    batch = self.__dict__.get("_batch")
    if batch is None or not batch.fits(members):
        families = list(self.get_all_families_zipped())
        batch = self._batch = _TransformBatch(families)
    if not batch.usable:
        return _transform_interpolate_mobject(self, alpha)
    count = len(members)
    if self.lag_ratio == 0:
        alphas = [self.get_sub_alpha(alpha, 0, count)] * len(batch.indices)
    else:
        alphas = [self.get_sub_alpha(alpha, i, count) for i in batch.indices]
    if batch.others:
        families = list(self.get_all_families_zipped())
        for i in batch.others:
            self.interpolate_submobject(*families[i], self.get_sub_alpha(alpha, i, count))
    batch.interpolate(alphas)


_segment_write_frame = VideoSegmentEncoder.write_frame
# rows: a row of swscale's 4:2:0 conversion depends on the rows next to it (chroma is filtered across
# rows) and on its place in an 8-row dither pattern; a block of 8 rows either side covers both (tested)
_BAND = 8


class _FrameConverter:
    """A segment's RGBA frames turned into the frames its encoder takes, as the encoder turns them
    (libswscale with the encoder's arguments).  For YUV 4:2:0 with one thread (the build's setting)
    only the band of rows that changed since the previous frame is converted: the band is widened to
    whole blocks of ``_BAND`` rows plus one block on either side, which swscale sees but whose rows are
    not kept, so every row kept equals a whole-frame conversion (an animation of the lecture changes
    83 of 480 rows on average).  The converted rows are written into the one frame handed to the
    encoder each time: libx264 copies a frame when it takes it, so the frame is free again once
    ``encode`` returns."""

    def __init__(self, stream, options: dict[str, str]):
        self.context = stream.codec_context
        self.width, self.height, self.format = stream.width, stream.height, self.context.format
        # the codec's thread count is known once it is open (at the first frame): take it from the options
        self.by_rows = (stream.pix_fmt == "yuv420p" and options.get("threads") == "1"
                        and self.width % 2 == 0 and self.height % 2 == 0)
        self.reformatter = VideoReformatter()
        self.previous = None
        self.frame = None
        # rows compared as 8-byte words (two pixels: the width is even), into one buffer of flags
        self.unequal = np.empty((self.height, self.width // 2), bool)

    def _convert(self, pixels):
        # a band of Manim's array is wrapped, not copied (swscale gives the same bytes either way: tested)
        frame = (av.VideoFrame.from_numpy_buffer(pixels, format="rgba") if pixels.flags.c_contiguous
                 else av.VideoFrame.from_ndarray(pixels, format="rgba"))
        return self.reformatter.reformat(frame, self.width, len(pixels), self.format,
                                         threads=1 if self.by_rows else self.context.thread_count)

    @staticmethod
    def _words(pixels) -> np.ndarray:
        return pixels.reshape(len(pixels), -1).view(np.uint64)

    def __call__(self, pixels):
        if not self.by_rows:
            return self._convert(pixels)
        height = self.height
        if self.frame is None:
            self.frame = self._convert(pixels)
        else:
            np.not_equal(self._words(pixels), self._words(self.previous), out=self.unequal)
            rows = np.flatnonzero(self.unequal.any(axis=1))
            if rows.size:
                top = max(0, int(rows[0]) // _BAND * _BAND - _BAND)
                bottom = min(height, -(-(int(rows[-1]) + 1) // _BAND) * _BAND + _BAND)
                start, stop = max(0, top - _BAND), min(height, bottom + _BAND)
                band = self._convert(pixels[start:stop])
                for index, (kept, plane) in enumerate(zip(self.frame.planes, band.planes)):
                    shift = 1 if index else 0  # the chroma planes have half the rows
                    _plane(kept)[top >> shift:bottom >> shift] = \
                        _plane(plane)[(top - start) >> shift:(bottom - start) >> shift]
        self.previous = pixels  # Manim hands the array over: it does not change it afterwards
        return self.frame


def _plane(plane) -> np.ndarray:
    """A frame plane's pixels as an array (its rows without their padding)."""
    return np.frombuffer(plane, np.uint8).reshape(plane.height, plane.line_size)[:, :plane.width]


def _write_frame_converting_changes(self, pixels, *, repeat: int = 1) -> None:
    """``VideoSegmentEncoder.write_frame`` that converts only the rows that changed since the last
    frame (see ``_FrameConverter``), and a held frame (a ``wait``) once, not once per repeat; the
    encoder copies its input, so the video's bytes are Manim's.

    With B-frames off (``bf=0``, the setting of ``scenes.one_stream``) a held frame is also encoded
    only once: it keeps its place in time and stays on screen until the next frame's timestamp, as in
    any variable-frame-rate video; its last repeat is encoded as well if it ends the segment (see
    ``_finish_after_held_frame``), so the segment lasts as long.  With B-frames the encoder's decoding
    timestamps, which set the container's duration, would run behind the last frame shown."""
    if isinstance(repeat, bool) or not isinstance(repeat, int):
        return _segment_write_frame(self, pixels, repeat=repeat)  # Manim's own error
    self._validate_frame(pixels, repeat)
    spec = self.spec
    time_base = Fraction(spec.frame_rate.denominator, spec.frame_rate.numerator)
    try:
        converter = self.__dict__.get("_converter")
        if converter is None:
            converter = self._converter = _FrameConverter(self._stream, dict(spec.options))
            self._hold_once = dict(spec.options).get("bf") == "0"
        frame = converter(pixels)
        self.__dict__.pop("_held", None)  # this frame ends the one held before it
        encoded = 1 if self._hold_once else repeat
        frame.time_base = time_base
        for _ in range(encoded):
            _encode(self, frame, self._next_pts)
            self._next_pts += 1
        if encoded < repeat:
            self._next_pts += repeat - encoded
            self._held = (frame, self._next_pts - 1)
    except BaseException as error:
        raise self._operation_error("encode", error) from error


def _encode(self, frame, pts: int) -> None:
    frame.pts = pts
    for packet in self._stream.encode(frame):
        self._container.mux(packet)


_segment_finish = VideoSegmentEncoder.finish


def _finish_after_held_frame(self) -> None:
    """``VideoSegmentEncoder.finish`` that first encodes the last repeat of a frame held (encoded
    once) at the end of the segment, so that the segment lasts as long as Manim's."""
    held = self.__dict__.pop("_held", None)
    if held is not None and not self._closed:
        try:
            _encode(self, *held)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
    _segment_finish(self)


_job_put = _PartialMovieEncodeJob.put
_inline = [False]


@contextlib.contextmanager
def encoding_inline(on: bool = True):
    """Scenes rendered inside this block encode each frame on the drawing thread, as it is drawn
    (``_put_inline``), instead of on Manim's encoder thread beside it."""
    before, _inline[0] = _inline[0], on
    try:
        yield
    finally:
        _inline[0] = before


def _put_inline(self, repeat: int, frame) -> None:
    """``_PartialMovieEncodeJob.put`` that, inside ``encoding_inline``, writes the frame at once, on the
    calling thread, where Manim queues it for the job's encoder thread: a failure is kept for ``join``
    as that thread keeps it, and the thread itself is left only the end of the stream.

    Beside a scene's drawing, the encoder thread competes with it for the interpreter lock (it needs
    the lock several times a frame: its queue, the converter, PyAV's calls), and both pay for the
    hand-overs: on the lecture's one-job build the worker took 90 s of CPU time with the encoder thread
    (20 s of it on that thread) and 77 s encoding in turn.  Where every core runs a worker the two are
    as fast; render.py keeps the thread where a core is left over."""
    if not _inline[0]:
        return _job_put(self, repeat, frame)
    if self._exception is not None:
        return
    try:
        self.encoder.write_frame(frame, repeat=repeat)
    except BaseException as exception:
        self._capture_exception(exception)


_set_renderer = ManimConfig.renderer.fset


def _set_renderer_where_bases_change(self, value) -> None:
    """``ManimConfig.renderer``'s setter, which gives each renderer-convertible class the other
    renderer's bases, without assigning a tuple of bases equal to the class's own (assigning rebuilds
    the MRO of the class and its subclasses and empties their method caches): where no class has a
    base the new renderer converts, the renderer is only recorded, as Manim's setter then records it."""
    from manim.mobject.opengl.opengl_compatibility import ConvertToOpenGL
    from manim.mobject.opengl.opengl_mobject import OpenGLMobject
    from manim.mobject.opengl.opengl_vectorized_mobject import OpenGLVMobject

    renderer = RendererType(value.lower() if isinstance(value, str) else value)
    converted = {OpenGLMobject, OpenGLVMobject} if renderer != RendererType.OPENGL else {Mobject, VMobject}
    if any(converted.intersection(cls.__bases__) for cls in ConvertToOpenGL._converted_classes):
        _set_renderer(self, value)
    else:
        self._set_from_enum("renderer", renderer, RendererType)


def apply() -> None:
    ManimConfig.renderer = property(ManimConfig.renderer.fget, _set_renderer_where_bases_change,
                                    doc=ManimConfig.renderer.__doc__)
    Mobject.__deepcopy__ = _deepcopy_mobject
    VMobjectFromSVGPath.__deepcopy__ = _deepcopy_sharing_parsed_path
    ManimColor.__deepcopy__ = _identity
    ManimColor.__copy__ = lambda self: self
    hashing.KEYS_TO_FILTER_OUT.add("path_obj")
    VMobject.get_subpaths_from_points = _subpaths_from_points
    Mobject.align_data = _align_data_passing_skip
    Mobject.get_family = _family
    Mobject.update = _update
    Mobject.family_members_with_points = _family_with_points
    for module in _FAMILY_USERS:
        module.extract_mobject_family_members = _family_members
    Camera.set_cairo_context_path = _set_cairo_context_path_cached
    Camera.type_or_raise = _type_or_raise
    Camera.display_vectorized = _display_vectorized_inline
    ThreeDCamera.capture_mobjects = _capture_3d_marking_the_frame
    ThreeDAxes._set_axis_shading = _set_axis_shading_once_per_frame
    Camera._paint_layer = _paint_layer
    Camera.capture_mobjects = _capture_mobjects_with_layers
    Scene.play_internal = _play_internal_with_layers
    CairoRenderer.save_static_frame_data = _save_static_frame_data_reusing
    Transform.interpolate_mobject = _interpolate_transform
    VideoSegmentEncoder.write_frame = _write_frame_converting_changes
    VideoSegmentEncoder.finish = _finish_after_held_frame
    _PartialMovieEncodeJob.put = _put_inline
    one_stream.apply()
    __import__("scenes.glyph_tex").glyph_tex.install()  # MathTex's glyph outlines parsed once (scenes/glyph_tex.py)


apply()
