#!/usr/bin/env python3
"""What each of Manim's speed-ups (manim_speedups) earns on the whole lecture's videos.

    .venv/bin/python bench/speedups.py [--quality l] [--rounds 2] [--only IDS] [--configs all,stock,-copies,...]
                                       [--json build/bench/speedups-l.json]

Renders every video of the lecture (or of ``--only``) in one process, one job, as the build's worker
renders them (``scenes.runner.render``), once per configuration:

* ``stock``: Manim as it is (``--stock-manim``);
* ``all``: every speed-up;
* ``-NAME``: every speed-up but NAME (one configuration per speed-up).

Each configuration runs in a fresh process (a process keeps what it enabled), at the same time as an
``all`` run in a second process on the other core: the two meet the same state of the machine, whose
speed drifts by a sixth within minutes here (sequential runs of the same configuration took 88 s and
108 s of CPU), so each configuration is measured against the ``all`` run beside it.  The pairs run in
rounds, each round in a shuffled order (seeded).  Reported per configuration: the medians over rounds
of its CPU time (user + system, the process and its LaTeX/dvisvgm children) and wall time, and of the
difference to its ``all`` partner, in seconds and as a share of ``all``: the saving of the speed-up
left out.  ``all`` is the median of every partner run.  Prints a table and writes JSON.
The results are computed (or taken from the cache) first, with ``render.py compute``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def scenes_of(only: str | None) -> list[tuple[str, str]]:
    from lecture import manifest

    return [(scene.target, scene.id) for topic in manifest.select(only) for scene in topic.scenes]


def worker(config: str, quality: str, results: Path, media: Path, only: str | None) -> dict:
    """Render every scene in this process with ``config``; return the times."""
    from lecture.settings import Settings
    from scenes import runner

    runner.warm_up()
    speedups = config != "stock"
    without = (config[1:],) if config.startswith("-") else ()
    settings = Settings(lang="ko", theme="dark", results=results)
    start_wall = time.perf_counter()
    start_cpu = time.process_time()
    frames = 0
    for target, scene_id in scenes_of(only):
        module, class_name = target.split(":")
        folder = runner.render(ROOT / (module.replace(".", "/") + ".py"), class_name, f"{scene_id}-{config}", media,
                               quality, settings, media / "logs" / f"{scene_id}.log", speedups=speedups,
                               without=without)
        frames += 1 if folder else 0
    wall = time.perf_counter() - start_wall
    cpu = time.process_time() - start_cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"config": config, "wall_s": wall, "cpu_s": cpu + children.ru_utime + children.ru_stime,
            "scenes": frames}


def start_config(config: str, quality: str, results: Path, work: Path, only: str | None):
    media = work / f"media-{config}-{time.monotonic_ns()}"
    args = [sys.executable, __file__, f"--worker={config}", "--quality", quality, "--results", str(results),
            "--media", str(media)]
    if only:
        args += ["--only", only]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), media, config


def finish_config(started) -> dict:
    proc, media, config = started
    stdout, stderr = proc.communicate()
    shutil.rmtree(media, ignore_errors=True)
    if proc.returncode != 0:
        raise SystemExit(f"bench: configuration {config} failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def run_pair(config: str, quality: str, results: Path, work: Path, only: str | None) -> tuple[dict, dict]:
    """``config`` and ``all`` at the same time, one process each (one core each on this machine)."""
    started = [start_config(c, quality, results, work, only) for c in (config, "all")]
    run, partner = (finish_config(s) for s in started)
    return run, partner


def main() -> int:
    import manim_speedups

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quality", default="l", choices=("l", "m", "h"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", help="topic ids or chapter numbers (default: the whole lecture)")
    parser.add_argument("--configs", help="comma-separated configurations (default: stock, all and each left out)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--results-from", metavar="DIR", help="a folder of stored results to render from as it is "
                        "(default: computed with render.py compute, or taken from its cache)")
    parser.add_argument("--json", help="default: build/bench/speedups-<quality>.json")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    parser.add_argument("--media", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.quality, Path(args.results), Path(args.media), args.only)))
        os._exit(0)  # as the build's workers end: without tearing down the heap

    configs = args.configs.split(",") if args.configs else ["stock", *(f"-{n}" for n in manim_speedups.SPEEDUPS)]
    others = [c for c in configs if c != "all"]
    with tempfile.TemporaryDirectory(prefix="bench-speedups-") as tmp:
        work = Path(tmp)
        out = work / "out"
        if args.results_from:
            results = Path(args.results_from).resolve()
        else:
            cached = ROOT / "build" / "results"
            if cached.is_dir():
                shutil.copytree(cached, out / "results")
            compute = subprocess.run([sys.executable, str(ROOT / "render.py"), "compute", "--out", str(out),
                                      *(["--only", args.only] if args.only else [])], capture_output=True, text=True)
            if compute.returncode != 0:
                raise SystemExit(f"bench: render.py compute failed:\n{compute.stdout[-2000:]}{compute.stderr[-2000:]}")
            results = out / "results"
        runs: dict[str, list[dict]] = {c: [] for c in ["all", *others]}
        pairs: dict[str, list[tuple[dict, dict]]] = {c: [] for c in others}
        rng = random.Random(args.seed)
        for round_index in range(args.rounds):
            order = others[:]
            rng.shuffle(order)
            for config in order:
                run, partner = run_pair(config, args.quality, results, work, args.only)
                for r in (run, partner):
                    r["round"] = round_index
                runs[config].append(run)
                runs["all"].append(partner)
                pairs[config].append((run, partner))
                print(f"  round {round_index + 1}: {config:<22} cpu {run['cpu_s']:7.1f} s   wall {run['wall_s']:7.1f} s"
                      f"   beside all: cpu {partner['cpu_s']:7.1f} s   wall {partner['wall_s']:7.1f} s",
                      file=sys.stderr, flush=True)

    def median(config: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[config])

    rows = []
    for config in ["all", *others]:
        cpu, wall = median(config, "cpu_s"), median(config, "wall_s")
        row = {"config": config, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
               "cpu_runs": [round(r["cpu_s"], 2) for r in runs[config]],
               "wall_runs": [round(r["wall_s"], 2) for r in runs[config]]}
        if config != "all":
            cpu_diff = statistics.median(a["cpu_s"] - b["cpu_s"] for a, b in pairs[config])
            wall_diff = statistics.median(a["wall_s"] - b["wall_s"] for a, b in pairs[config])
            cpu_share = statistics.median((a["cpu_s"] - b["cpu_s"]) / b["cpu_s"] for a, b in pairs[config])
            wall_share = statistics.median((a["wall_s"] - b["wall_s"]) / b["wall_s"] for a, b in pairs[config])
            row.update(saving_cpu_s=round(cpu_diff, 2), saving_cpu_pct=round(100 * cpu_share, 1),
                       saving_wall_s=round(wall_diff, 2), saving_wall_pct=round(100 * wall_share, 1),
                       partner_cpu_runs=[round(b["cpu_s"], 2) for _, b in pairs[config]])
        rows.append(row)

    print(f"\nmanim_speedups {manim_speedups.__version__} on Manim {manim_speedups.manim_version()}, "
          f"-q {args.quality}, {len(scenes_of(args.only))} videos, one job per configuration, each beside an "
          f"'all' run, {args.rounds} round(s); saving = the configuration's time - its 'all' partner's (median)")
    print(f"{'configuration':<22} {'CPU s':>8} {'wall s':>8} {'saving (CPU)':>16} {'saving (wall)':>16}")
    for row in rows:
        saving = (f"{row['saving_cpu_s']:+7.1f} s {row['saving_cpu_pct']:+5.1f}%" if "saving_cpu_s" in row else "")
        wall_saving = f"{row['saving_wall_s']:+7.1f} s {row['saving_wall_pct']:+5.1f}%" if "saving_wall_pct" in row else ""
        print(f"{row['config']:<22} {row['cpu_s']:8.1f} {row['wall_s']:8.1f} {saving:>16} {wall_saving:>16}")
    path = Path(args.json or ROOT / "build" / "bench" / f"speedups-{args.quality}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"quality": args.quality, "rounds": args.rounds, "only": args.only,
                                "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
                                "speedups_version": manim_speedups.__version__,
                                "manim": manim_speedups.manim_version(), "rows": rows}, indent=1))
    print(f"JSON: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
