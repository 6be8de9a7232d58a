"""``Mobject.get_family`` and the scene's family lists by one recursive walk.

``Mobject.get_family`` (every frame: the camera, ``Transform``, the updaters) yielded each member through
one generator per ancestor; one recursive function lists the same members in the same order in about
half the time, appending a member without members (most: glyphs, dots) without a call.  The camera's
list of everything to draw (every family in the scene, on every frame) is joined with ``list.extend``
and searched for repeats only where there are any.
"""
from __future__ import annotations

import operator

import manim.camera.camera as camera_module
import manim.camera.three_d_camera as three_d_camera_module
import manim.scene.moving_camera_scene as moving_camera_scene_module
import manim.scene.scene as scene_module
from manim import Mobject
from manim.utils import family
from manim.utils.iterables import remove_list_redundancies

from manim_speedups._patching import patch

_get_family = Mobject.get_family
_family_members_with_points = Mobject.family_members_with_points


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


def apply() -> None:
    patch(Mobject, "get_family", _family)
    patch(Mobject, "family_members_with_points", _family_with_points)
    for module in _FAMILY_USERS:
        patch(module, "extract_mobject_family_members", _family_members)
