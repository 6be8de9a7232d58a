#!/usr/bin/env python3
"""Benchmark: many optimizer runs on Beale, batched (one tensor program) against one torch.optim loop per run.

4096 independent runs (64 start points × 64 learning rates) of 200 steps on the
Beale function for each of the five optimizers.

* batched: ``engine.optim_paths.run_paths`` — all runs in one parameter tensor per
  learning rate, one forward/backward/step per step for all of them, parameters,
  loss and gradient recorded at every step, diverging runs stopped and flagged;
* loop: for every run its own parameter of shape (1, 2), its own torch.optim
  optimizer and its own 200-step Python loop, recording the same things and
  stopping on divergence the same way.  The loop is timed on a random sample of
  runs (``--sample``) and scaled to all runs; the sample's paths are checked
  against the batched ones.

Prints a table and writes JSON (default ``build/bench/optimizers.json``).
Usage: python bench/optimizers.py [--sample 64] [--steps 200] [--device cpu|cuda] [--out FILE]
"""
from __future__ import annotations

import argparse
import json
import math
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from engine.optim_paths import OPTIMIZER_NAMES, SURFACES, as_loss, make_optimizer, run_paths  # noqa: E402


def problem(n_starts: int, n_lrs: int, dtype):
    side = int(math.isqrt(n_starts))
    g = torch.linspace(-4.0, 4.0, side, dtype=dtype)
    gx, gy = torch.meshgrid(g, g, indexing="xy")
    starts = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
    lrs = torch.logspace(-4, -0.5, n_lrs, dtype=dtype)
    # every start with every learning rate: run r = (lr index) * n_starts + (start index)
    return starts.repeat(n_lrs, 1), lrs.repeat_interleave(len(starts))


def one_loop(name: str, start: torch.Tensor, lr: float, steps: int, device, diverge_factor=1e6, bound=1e6):
    """One run, its own optimizer and its own Python loop (the same recording and stopping rule)."""
    fn = SURFACES["beale"].fn
    p = start.clone().reshape(1, 2).to(device).requires_grad_(True)
    opt = make_optimizer(name, [{"params": [p], "lr": lr}])
    params = torch.full((steps + 1, 2), math.nan, dtype=start.dtype, device=device)
    loss0 = None
    for t in range(steps + 1):
        opt.zero_grad()
        loss = fn(p)
        loss.sum().backward()
        with torch.no_grad():
            value = float(loss)
            if loss0 is None:
                loss0 = value
            finite = math.isfinite(value) and bool(torch.isfinite(p).all()) and bool(torch.isfinite(p.grad).all())
            if finite:
                params[t] = p[0]     # the first point past the threshold is kept when it is finite
            if not finite or bool((p.abs() > bound).any()) or (loss0 > 0 and value > diverge_factor * loss0):
                break
        if t == steps:
            break
        opt.step()
    return params


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--starts", type=int, default=64)
    ap.add_argument("--lrs", type=int, default=64)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--sample", type=int, default=64, help="loop runs actually timed per optimizer (then scaled)")
    ap.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (small tensors: 1 is fastest)")
    ap.add_argument("--out", default=str(ROOT / "build" / "bench" / "optimizers.json"))
    args = ap.parse_args(argv)
    torch.set_num_threads(max(1, args.threads))
    device = torch.device(args.device)
    dtype = torch.float64
    starts, lrs = problem(args.starts, args.lrs, dtype)
    runs = len(starts)
    gen = np.random.default_rng(0)
    sample = np.sort(gen.choice(runs, size=min(args.sample, runs), replace=False))
    rows = []
    print(f"Beale, {runs} runs × {args.steps} steps per optimizer, {args.device} "
          f"({torch.get_num_threads()} threads); loop timed on {len(sample)} runs and scaled")
    print(f"{'optimizer':<10} {'batched s':>10} {'loop s (scaled)':>16} {'speed-up':>9} {'diverged':>9} {'max |Δ|':>9}")
    for name in OPTIMIZER_NAMES:
        run_paths(as_loss(SURFACES["beale"].fn), starts[:8], lrs[:8], name, 5, device=device)  # warm-up
        sync(device)
        t0 = time.perf_counter()
        batched = run_paths(as_loss(SURFACES["beale"].fn), starts, lrs, name, args.steps, device=device)
        sync(device)
        t_batched = time.perf_counter() - t0
        t0 = time.perf_counter()
        loops = [one_loop(name, starts[r], float(lrs[r]), args.steps, device) for r in sample]
        sync(device)
        t_sample = time.perf_counter() - t0
        t_loop = t_sample * runs / len(sample)
        diff = max(float(np.nanmax(np.abs(loop.cpu().numpy() - batched.params[:, r].cpu().numpy()), initial=0.0))
                   for loop, r in zip(loops, sample))
        same_nan = all(np.array_equal(np.isnan(loop.cpu().numpy()), np.isnan(batched.params[:, r].cpu().numpy()))
                       for loop, r in zip(loops, sample))
        row = {"optimizer": name, "batched_s": round(t_batched, 4), "loop_sample_s": round(t_sample, 4),
               "loop_scaled_s": round(t_loop, 3), "speedup": round(t_loop / t_batched, 1),
               "diverged_runs": int(batched.diverged.sum()), "max_abs_diff_sample": diff,
               "same_stopping_sample": same_nan}
        rows.append(row)
        print(f"{name:<10} {t_batched:>10.3f} {t_loop:>16.2f} {row['speedup']:>8.1f}× {row['diverged_runs']:>9d} "
              f"{diff:>9.1e}")
    total_b = sum(r["batched_s"] for r in rows)
    total_l = sum(r["loop_scaled_s"] for r in rows)
    print(f"{'all five':<10} {total_b:>10.3f} {total_l:>16.2f} {total_l / total_b:>8.1f}×")
    report = {"benchmark": "optimizer paths on Beale: batched engine vs one torch.optim loop per run",
              "runs": runs, "starts": args.starts, "learning_rates": args.lrs, "steps": args.steps,
              "lr_range": [float(lrs.min()), float(lrs.max())], "dtype": "float64",
              "loop_sample_runs": len(sample), "loop_time_scaled": len(sample) < runs,
              "device": args.device, "device_name": (torch.cuda.get_device_name(device) if device.type == "cuda"
                                                      else platform.processor() or platform.machine()),
              "threads": torch.get_num_threads(), "torch": torch.__version__,
              "rows": rows, "total_batched_s": round(total_b, 3), "total_loop_scaled_s": round(total_l, 2),
              "speedup": round(total_l / total_b, 1),
              "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
