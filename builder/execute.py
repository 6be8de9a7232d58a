"""The executor: runs a plan's jobs that are not up to date, in one pool loop, and records their stamps.

``run_jobs`` is the one loop for figures, videos, slides and decks: it submits every job whose inputs
are ready (``Job.after``) longest first (as long as its last build took; unknown ones first), so that
parallel workers finish together instead of one waiting on a long job started last; it records each
built job's stamp as soon as it is done (an interrupted build keeps what it finished) and reports a
failed job and goes on with the others (a job that reads a failed one's outputs is not run).
``compute`` runs the engine's experiments in this process, with their progress.
"""
from __future__ import annotations

import concurrent.futures as cf
import time
import warnings

from .options import Options, UsageError
from .paths import Paths
from .plan import Job
from .report import Row
from .stamps import Stamps


def timed(func, kwargs):
    """Run ``func(**kwargs)`` (in a worker) and return its result with the seconds it took there."""
    start = time.perf_counter()
    return func(**kwargs), time.perf_counter() - start


def scene_pool(workers: int) -> cf.ProcessPoolExecutor:
    """Long-lived processes that render scene after scene: Manim is imported once per worker and its
    Tex, text and SVG caches serve every scene the worker renders.  Started fresh (spawn), so no
    thread or Manim state of this process is inherited; a crashing scene cannot take the build down."""
    import multiprocessing

    from scenes.runner import pool_worker

    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=pool_worker)


def _pool(workers: int, scene: bool) -> cf.Executor:
    if scene:
        return scene_pool(workers)
    if workers > 1:
        return cf.ProcessPoolExecutor(max_workers=workers)
    return cf.ThreadPoolExecutor(max_workers=workers)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def run_jobs(jobs: list[Job], options: Options, stamps: Stamps, rows: list[Row], console, label: str) -> None:
    """Run the jobs of ``jobs`` that are not up to date; add a row per job to ``rows``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    row_of = {}
    for job in jobs:
        row_of[job.key] = Row(job.kind, job.topic, job.name, list(job.outputs), "up to date" if job.up_to_date else "")
        rows.append(row_of[job.key])
    todo = [job for job in jobs if not job.up_to_date]
    if not todo:
        return
    workers = min(options.jobs, len(todo))
    console.print(f"[bold]{label}[/]: {len(todo)} to build with {workers} job(s)")
    waiting = sorted(todo, key=lambda job: -(stamps.seconds(job.key) or float("inf")))
    done = {job.key for job in jobs if job.up_to_date}
    failed: set[str] = set()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress, \
            _pool(workers, any(job.scene for job in todo)) as pool:
        task = progress.add_task(label, total=len(todo))
        running: dict[cf.Future, tuple[Job, float]] = {}
        while waiting or running:
            for job in list(waiting):
                blocked = [key for key in job.after if key in failed]
                if blocked:
                    waiting.remove(job)
                    failed.add(job.key)
                    row = row_of[job.key]
                    row.status, row.detail = "FAILED", f"not built: {blocked[0]} failed"
                    progress.advance(task)
                elif all(key in done for key in job.after):
                    waiting.remove(job)
                    running[pool.submit(timed, job.func, job.kwargs)] = (job, time.perf_counter())
            if not running:  # what is left waits on a job that is not in this plan
                for job in waiting:
                    row_of[job.key].status, row_of[job.key].detail = "FAILED", f"not built: waits on {job.after}"
                break
            finished, _ = cf.wait(running, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                job, submitted = running.pop(fut)
                row = row_of[job.key]
                row.seconds = time.perf_counter() - submitted  # replaced by the job's own time when it ran
                try:
                    result, row.seconds = fut.result()
                except Exception as exc:  # report and go on with the others
                    row.status, row.detail = "FAILED", _first_line(exc)
                    failed.add(job.key)
                else:
                    row.status = "built"
                    result = result if isinstance(result, dict) else {}
                    row.layout = result.get("layout", [])
                    row.check = result.get("check", {})
                    row.detail = result.get("detail", "")
                    if row.layout:
                        row.detail = ("layout: " if job.kind == "figure" else "check: ") + "; ".join(row.layout[:2]) + \
                            (f" (+{len(row.layout) - 2})" if len(row.layout) > 2 else "")
                    done.add(job.key)
                    if job.stamp is not None:
                        stamps.set(job.key, job.stamp, row.seconds)
                        stamps.save()
                progress.advance(task)


def compute(jobs: list[Job], options: Options, paths: Paths, rows: list[Row], console) -> None:
    """Compute (or find in the cache) the results of ``jobs``, in this process."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from engine.cache import compute as compute_result
    from engine.core import EngineError, resolve_device

    if not jobs:
        return
    device = resolve_device(options.device)
    console.print(f"[bold]engine[/] on {device.type}: {len(jobs)} experiment(s)")
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[note]}"),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        for job in jobs:
            task = progress.add_task(f"compute {job.name}", total=None, note="")

            def report(done, total, message="", task=task):
                progress.update(task, completed=done, total=total, note=message)

            start = time.perf_counter()
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    result, computed = compute_result(job.name, paths.results, device=options.device,
                                                      force=options.force, progress=report, **job.kwargs)
                except EngineError as exc:
                    raise UsageError(str(exc)) from None
            for w in caught:
                console.print(f"[yellow]warning:[/] {w.message}")
            progress.remove_task(task)
            rows.append(Row("result", job.topic, job.name, list(job.outputs), "computed" if computed else "cached",
                            time.perf_counter() - start,
                            f"{result.meta['wall_time_s']:.2f} s on {result.meta['device']}"))
