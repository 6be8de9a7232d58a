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
    results: dict[str, str] = field(default_factory=dict)   # experiment → checksum of the result judged

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
                sums = {need: str(results[need].meta.get("npz_sha256", "")) for need in claim.needs}
                verdicts.append(Verdict(topic.id, claim.key, m.holds, dict(m.values), m.seeds, tuple(m.failing),
                                        results=sums))
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


def current(verdicts: list[Verdict], results_dir: Path) -> list[Verdict]:
    """The verdicts judged on the results stored now (a result recomputed since is not vouched for)."""
    sums: dict[str, str] = {}
    for v in verdicts:
        for exp in v.results:
            if exp not in sums:
                try:
                    meta = json.loads((Path(results_dir) / f"{exp}.json").read_text(encoding="utf-8"))
                    sums[exp] = str(meta.get("npz_sha256", ""))
                except (OSError, ValueError):
                    sums[exp] = ""
    return [v for v in verdicts if v.results and all(sums.get(e) == s for e, s in v.results.items())]


def for_topic(verdicts: list[Verdict], topic_id: str) -> list[Verdict]:
    """The verdicts of the topic's claims as the manifest lists them now, in its order."""
    try:
        order = {c.key: i for i, c in enumerate(manifest.topic(topic_id).claims)}
    except KeyError:
        return []
    return sorted((v for v in verdicts if v.topic == topic_id and v.key in order), key=lambda v: order[v.key])


def failure_line(v: Verdict, lang: str = "en") -> str:
    """One line naming the topic, the claim and the measured numbers."""
    return f"claim failed: {v.topic}: {v.key} ({v.statement(lang)}): {v.measured_text()}"
