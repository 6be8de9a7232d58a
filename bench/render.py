#!/usr/bin/env python3
"""Benchmark the lecture build: engine, figures, videos, no-op rebuild, trajectory scaling, the floor.

    .venv/bin/python bench/render.py [--only IDS] [--parts abcdef] [--repeat N] [--skip-videos] [--json build/bench/render.json]

Prints a table and writes JSON.  Everything runs in a temporary output folder,
so build/ is untouched.  Measures:

a. the engine, cold (every experiment recomputed), per experiment and in total;
b. all figures from cached results (--jobs 1);
c. all videos at -q l, cold (Manim's cache emptied), with --jobs 1 and with --jobs 2, alternated
   --repeat times (medians);
d. a no-op rebuild (`render.py all` on an unchanged tree);
e. one trajectory scene rendered from results with 1x and 2x as many steps (a scene
   opts in with ``bench_steps_setting``, see trajectory_scaling);
f. the floor: a trivial scene with as many frames at the same resolution as the
   lecture's videos, rendered as the build renders a scene (and, for comparison, by
   Manim's command line with its defaults), timed after each --jobs 1 build of c, and the
   lecture's cost per frame as a ratio to it (medians; each pair's ratio reported as well).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes and theirs (workers, LaTeX, ffmpeg)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_render(*args: str, env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, str(ROOT / "render.py"), *args], capture_output=True, text=True,
                          env=dict(os.environ, COLUMNS="200", **(env or {})))
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"bench: render.py {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return elapsed, proc


def video_frames(folder: Path) -> tuple[int, float]:
    import av

    frames, seconds = 0, 0.0
    for mp4 in folder.rglob("*.mp4"):
        if ".manim" in mp4.parts:
            continue
        with av.open(str(mp4)) as container:
            stream = container.streams.video[0]
            # the frames a viewer sees: a held frame is stored once (variable frame rate, scenes.one_stream)
            duration = float(container.duration / 1e6)
            frames += round(duration * float(stream.guessed_rate or stream.base_rate))
            seconds += duration
    return frames, seconds


FLOOR_SCENE = textwrap.dedent('''
    from manim import Dot, Scene, Square, LEFT, RIGHT

    class Floor(Scene):
        """The cheapest honest video: one dot moving, {seconds:.3f} s."""
        def construct(self):
            dot = Dot().shift(LEFT * 4)
            self.add(Square(side_length=6))
            self.play(dot.animate.shift(RIGHT * 8), run_time={seconds:.3f}, rate_func=lambda t: t)
''')


def floor_time(seconds: float, work: Path, pipeline: bool) -> float:
    """Seconds the floor scene takes: rendered as the build renders a scene (``pipeline``: a fresh
    process running ``scenes.runner.render``, with the build's settings and speed-ups) or by
    Manim's own command line with its defaults."""
    scene = work / "floor_scene.py"
    scene.write_text(FLOOR_SCENE.format(seconds=seconds))
    if pipeline:
        code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); from scenes import runner; "
                "runner.render(Path(sys.argv[2]), 'Floor', 'Floor', Path(sys.argv[3]), 'l', {}, Path(sys.argv[4]))")
        command = [sys.executable, "-c", code, str(ROOT), str(scene), str(work / "floor-build"), str(work / "floor.log")]
    else:
        command = [sys.executable, "-m", "manim", "render", "-ql", "--disable_caching", "--progress_bar", "none",
                   "--media_dir", str(work / "floor-media"), str(scene), "Floor"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def trajectory_scaling(work: Path, only: str | None) -> dict | None:
    """Render a trajectory scene from results with 1× and 2× as many steps.

    A scene opts in with the class attribute ``bench_steps_setting = (experiment id, setting)``
    naming the setting that fixes how many steps its paths have.
    """
    from engine.cache import compute
    from engine.core import REGISTRY
    from lecture import manifest

    for topic in manifest.select(only):
        for spec in topic.scenes:
            module_name, class_name = spec.target.split(":")
            module = __import__(module_name, fromlist=[class_name])
            cls = getattr(module, class_name)
            setting = getattr(cls, "bench_steps_setting", None)
            if not setting:
                continue
            exp_id, key = setting
            base = int(REGISTRY[exp_id].defaults[key])
            timings = {}
            for factor in (1, 2):
                results = work / f"traj-results-{factor}"
                for need in spec.needs:
                    compute(need, results, overrides={key: base * factor} if need == exp_id else None)
                env = dict(os.environ, LECTURE_RESULTS=str(results),
                           PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--disable_caching", "--progress_bar",
                                "none", "--media_dir", str(work / f"traj-media-{factor}"),
                                str(ROOT / (module_name.replace(".", "/") + ".py")), class_name],
                               check=True, capture_output=True, env=env)
                timings[factor] = time.perf_counter() - start
            return {"scene": spec.target, "setting": f"{exp_id}.{key}", "steps_1x": base,
                    "seconds_1x": timings[1], "seconds_2x": timings[2], "ratio": timings[2] / timings[1]}
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help="topic ids or chapter numbers (default: the whole lecture)")
    parser.add_argument("--skip-videos", action="store_true", help="measure only the engine, figures and no-op")
    parser.add_argument("--parts", default="abcdef",
                        help="which measures to take (default: abcdef); without a, the results in build/results "
                             "are reused where fresh and the others computed (not timed)")
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="c: how many --jobs 1 / --jobs 2 pairs to time, alternated (default 2; medians reported)")
    parser.add_argument("--json", default=str(ROOT / "build" / "bench" / "render.json"))
    args = parser.parse_args()
    parts = set(args.parts) - (set("cef") if args.skip_videos else set())
    if not parts or parts - set("abcdef"):
        parser.error("--parts takes letters from abcdef")
    if args.repeat < 1:
        parser.error("--repeat needs a number ≥ 1")
    only = ["--only", args.only] if args.only else []

    import engine
    import torch
    from engine.cache import compute
    from lecture import manifest

    report: dict = {"machine": {"cores": os.cpu_count(), "platform": platform.platform(),
                                "cuda": torch.cuda.is_available(),
                                "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None},
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="lecture-bench-") as tmp:
        work = Path(tmp)
        out = work / "build"

        # a. engine, cold (left out: the project's cached results are reused where still fresh)
        engine.load_experiments()
        cached = ROOT / "build" / "results"
        if "a" not in parts and cached.is_dir():
            shutil.copytree(cached, out / "results")
        per_exp = {}
        start = time.perf_counter()
        for topic in manifest.select(args.only):
            for exp in topic.experiments:
                t0 = time.perf_counter()
                compute(exp, out / "results", force="a" in parts)
                per_exp[exp] = time.perf_counter() - t0
        engine_total = time.perf_counter() - start
        if "a" in parts:
            report["engine_cold"] = {"total_s": engine_total, "per_experiment_s": per_exp,
                                     "device": "cuda" if torch.cuda.is_available() else "cpu"}
            rows.append(("a", "engine, cold, all topics", f"{engine_total:.1f} s (target ≤ 180 s on the CPU)"))
            for exp, seconds in sorted(per_exp.items(), key=lambda kv: -kv[1]):
                rows.append(("", f"  {exp}", f"{seconds:.1f} s"))

        # b. figures from cached results
        if "b" in parts or "d" in parts:
            t_fig, _ = run_render("figures", "--force", "--jobs", "1", "--out", str(out), *only)
        if "b" in parts:
            report["figures_s"] = t_fig
            rows.append(("b", "all figures from cached results (--jobs 1)", f"{t_fig:.1f} s"))

        if "c" in parts or "f" in parts:
            # c. videos, cold, jobs 1 and 2, alternated --repeat times (this machine's speed drifts by
            # ±10 % between minutes: alternating puts both settings under the same drift)
            # f's floor is timed after each pair, under the same drift
            runs: dict[int, list[float]] = {1: [], 2: []}
            cpus: dict[int, list[float]] = {1: [], 2: []}
            floors: list[float] = []
            for _ in range(args.repeat):
                for jobs in (1, 2):
                    shutil.rmtree(out / ".manim", ignore_errors=True)
                    before = children_cpu()
                    elapsed, _ = run_render("videos", "--force", "-q", "l", "--jobs", str(jobs), "--out", str(out),
                                            *only)
                    runs[jobs].append(elapsed)
                    cpus[jobs].append(children_cpu() - before)
                    if jobs == 1 and "f" in parts:  # f's floor right after the one-job build it is compared with
                        frames, seconds = video_frames(out)
                        floors.append(floor_time(seconds, work, pipeline=True))
            timings = {jobs: statistics.median(times) for jobs, times in runs.items()}
            cpu = {jobs: statistics.median(times) for jobs, times in cpus.items()}
            speedup = timings[1] / timings[2]
            pairs = [one / two for one, two in zip(runs[1], runs[2])]
            report["videos"] = {"jobs1_s": timings[1], "jobs2_s": timings[2], "speedup": speedup,
                                "jobs1_cpu_s": cpu[1], "jobs2_cpu_s": cpu[2],
                                "runs_jobs1_s": runs[1], "runs_jobs2_s": runs[2], "speedup_per_pair": pairs}
            spread = (f"; {len(pairs)} pairs: " + ", ".join(f"{one:.0f}/{two:.0f} s" for one, two in zip(runs[1], runs[2]))
                      if len(pairs) > 1 else "")
            rows.append(("c", "all videos -q l, cold, --jobs 1" + (" (median)" if len(pairs) > 1 else ""),
                         f"{timings[1]:.1f} s  (CPU {cpu[1]:.0f} s: {cpu[1] / timings[1]:.2f} cores busy)"))
            rows.append(("c", "all videos -q l, cold, --jobs 2" + (" (median)" if len(pairs) > 1 else ""),
                         f"{timings[2]:.1f} s  (×{speedup:.2f}; target ≥ 1.6; CPU {cpu[2]:.0f} s: "
                         f"{cpu[2] / timings[2]:.2f} cores busy{spread})"))

        # d. no-op rebuild
        if "d" in parts:
            if "c" not in parts:
                run_render("videos", "-q", "l", "--out", str(out), *only)
            run_render("all", "--out", str(out), *only)  # page and slides are part of `all`
            t_noop, proc = run_render("all", "--out", str(out), *only)
            report["noop_s"] = t_noop
            report["noop_says_nothing_to_do"] = "nothing to do" in proc.stdout
            rows.append(("d", "no-op rebuild (render.py all)", f"{t_noop:.1f} s (target ≤ 15 s)"))

        if "e" in parts:
            # e. trajectory scaling
            traj = trajectory_scaling(work, args.only)
            report["trajectory"] = traj
            if traj:
                rows.append(("e", f"trajectory {traj['scene']} 1× / 2× steps",
                             f"{traj['seconds_1x']:.1f} s / {traj['seconds_2x']:.1f} s (×{traj['ratio']:.2f}; target ≤ 2.3)"))
            else:
                rows.append(("e", "trajectory scaling", "no selected scene declares bench_steps_setting"))

        if "f" in parts:
            # f. the floor
            # the floor is rendered as the build renders a scene (its encoder settings and speed-ups);
            # Manim's own command line with its defaults is timed as well, for comparison with earlier reports
            floor = statistics.median(floors)
            floor_default = floor_time(seconds, work, pipeline=False)
            per_frame = timings[1] / max(frames, 1)
            floor_per_frame = floor / max(frames, 1)
            # each one-job build against the floor timed right after it (the machine's speed drifts between
            # minutes); the row's ratio is that of the medians, the pairs' ratios are reported beside it
            pair_ratios = [one / fl for one, fl in zip(runs[1], floors)]
            report["floor"] = {"frames": frames, "video_seconds": seconds, "floor_s": floor, "floor_runs_s": floors,
                               "floor_manim_default_s": floor_default,
                               "lecture_per_frame_s": per_frame, "floor_per_frame_s": floor_per_frame,
                               "ratio": per_frame / floor_per_frame, "ratio_per_pair": pair_ratios,
                               "ratio_to_manim_default": timings[1] / floor_default}
            rows.append(("f", f"floor: trivial scene, {frames} frames, 480p15, rendered as the build renders",
                         f"{floor:.1f} s" + (" (median of " + ", ".join(f"{x:.1f}" for x in floors) + " s)"
                                             if len(floors) > 1 else "")))
            rows.append(("f", "  the same by Manim's command line, its defaults", f"{floor_default:.1f} s"))
            rows.append(("f", "lecture cost per frame ÷ floor", f"×{per_frame / floor_per_frame:.2f} (target ≤ 3; "
                                                                  + ("each one-job build ÷ the floor after it: "
                                                                     + ", ".join(f"×{r:.2f}" for r in pair_ratios) + "; "
                                                                     if len(pair_ratios) > 1 else "")
                                                                  + f"×{timings[1] / floor_default:.2f} to Manim's defaults)"))

    width = max(len(r[1]) for r in rows)
    print(f"{'':2} {'measure':{width}}  result")
    for key, name, value in rows:
        print(f"{key:2} {name:{width}}  {value}")
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2))
    print(f"→ {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
