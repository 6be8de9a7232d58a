"""Replacing an attribute of a Manim class or module, and putting the original back."""
from __future__ import annotations

_MISSING = object()
# (owner, name, the value before, the value set), in the order they were set
_applied: list[tuple[object, str, object, object]] = []


def patch(owner, name: str, value) -> None:
    """Set ``owner.name`` to ``value``, remembering what was there (an attribute of the owner's own, or
    none: inherited) so that ``restore`` can put it back."""
    before = owner.__dict__.get(name, _MISSING) if isinstance(owner, type) else getattr(owner, name, _MISSING)
    _applied.append((owner, name, before, value))
    setattr(owner, name, value)


def restore(count: int = 0) -> None:
    """Undo every patch after the first ``count``, newest first."""
    while len(_applied) > count:
        owner, name, before, _ = _applied.pop()
        if before is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, before)


def applied() -> list[tuple[object, str, object, object]]:
    return list(_applied)
