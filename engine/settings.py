"""Settings written as text: list settings are strings so that ``render.py --set`` can change them."""
from __future__ import annotations

from .core import EngineError


def numbers(text: str) -> list[float]:
    """``"0.05, 0.2"`` → ``[0.05, 0.2]`` (list settings are strings so that ``--set`` can change them)."""
    try:
        return [float(v) for v in str(text).split(",") if v.strip()]
    except ValueError:
        raise EngineError(f"expected comma-separated numbers, got '{text}'") from None
