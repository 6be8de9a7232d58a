"""Evaluate the claims the manifest lists (``lecture.manifest.Claim``) on stored results.

``evaluate(topics, results_dir)`` imports each claim's function (``engine.<module>:claim_<name>``), hands
it the stored results it needs and returns one ``Verdict`` per claim; a claim whose function raises, or
whose results are missing, is a verdict that does not hold, with the reason.  ``save``/``load`` keep the
verdicts as JSON beside the results (the lecture page shows them); ``lines`` is the table
``render.py check`` prints.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from lecture import manifest
from lecture.text import t

CLAIMS_FILE = "claims.json"


@dataclass(frozen=True)
class Verdict:
    topic: str
    key: str
    holds: bool
    values: dict[str, float] = field(default_factory=dict)
    seeds: int = 0
    failing: tuple[int, ...] = ()
    error: str = ""          # why it could not be judged (missing result, the function raised)

    def measured_text(self) -> str:
        if self.error:
            return self.error
        from engine.claims import Measured

        return Measured(self.holds, self.values, self.seeds, self.failing).describe()

    def statement(self, lang: str) -> str:
        return t(self.key, lang)


def claim_function(target: str):
    module_name, name = target.split(":", 1)
    return getattr(importlib.import_module(module_name), name)


def evaluate(topics, results_dir: Path) -> list[Verdict]:
    """Every claim of ``topics`` judged on the results stored in ``results_dir``."""
    from engine.store import StoreError, load

    verdicts = []
    loaded: dict[str, object] = {}
    for topic in topics:
        for claim in topic.claims:
            try:
                results = {}
                for need in claim.needs:
                    if need not in loaded:
                        loaded[need] = load(need, results_dir)
                    results[need] = loaded[need]
                m = claim_function(claim.target)(results)
                verdicts.append(Verdict(topic.id, claim.key, m.holds, dict(m.values), m.seeds, tuple(m.failing)))
            except StoreError as exc:
                verdicts.append(Verdict(topic.id, claim.key, False, error=str(exc)))
            except Exception as exc:  # a claim that cannot be judged does not hold; say why on one line
                verdicts.append(Verdict(topic.id, claim.key, False,
                                        error=f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"))
    return verdicts


def save(verdicts: list[Verdict], results_dir: Path) -> Path:
    """Merge ``verdicts`` into ``results_dir/claims.json`` (the verdicts of other topics stay)."""
    from engine.files import atomic_write_text

    path = Path(results_dir) / CLAIMS_FILE
    kept = [v for v in load(results_dir) if (v.topic, v.key) not in {(n.topic, n.key) for n in verdicts}]
    rows = [asdict(v) for v in kept + verdicts]
    atomic_write_text(path, json.dumps(rows, indent=1, ensure_ascii=False))
    return path


def load(results_dir: Path) -> list[Verdict]:
    """The verdicts saved in ``results_dir`` (none when there is no readable file)."""
    path = Path(results_dir) / CLAIMS_FILE
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Verdict(**{**row, "failing": tuple(row.get("failing", ()))}) for row in rows]
    except (OSError, ValueError, TypeError):
        return []


def for_topic(verdicts: list[Verdict], topic_id: str) -> list[Verdict]:
    order = {c.key: i for i, c in enumerate(manifest.topic(topic_id).claims)} if _known(topic_id) else {}
    return sorted((v for v in verdicts if v.topic == topic_id), key=lambda v: order.get(v.key, len(order)))


def _known(topic_id: str) -> bool:
    try:
        manifest.topic(topic_id)
        return True
    except KeyError:
        return False


def failure_line(v: Verdict, lang: str = "en") -> str:
    """One line naming the topic, the claim and the measured numbers."""
    return f"claim failed: {v.topic}: {v.key} ({v.statement(lang)}): {v.measured_text()}"
