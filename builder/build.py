"""A command from start to end: check the tools once, plan, run, report (render.py calls ``run``)."""
from __future__ import annotations

import time

from . import execute, plan, report, tools
from .options import Options, UsageError
from .paths import Paths
from .stamps import Stamps


def run(options: Options, console) -> int:
    """Carry out ``options.command``; return the exit code (0 ok, 1 a step failed).  Bad input and
    missing tools raise ``UsageError`` before any long work."""
    start = time.perf_counter()
    paths = Paths(options.out, options.lang, options.theme)
    if options.mnist_dir is not None and options.command in ("list", "compute", "check", "all"):
        from engine import data

        data.use_mnist_dir(options.mnist_dir)  # the engine reads MNIST from there (part of its cache keys)
    if options.command == "list":
        report.list_table(options, paths, console)
        return 0
    stamps = Stamps(paths.stamps)
    if options.dry_run:
        report.print_plan(plan.plan(options, paths, stamps), console,
                          paths if options.command in ("page", "all") else None)
        return 0
    tools.check(options)
    rows: list[report.Row] = []
    if options.command in ("compute", "check", "all"):
        execute.compute(plan.results(options, paths), options, paths, rows, console)
    claims_failed = False
    if options.command in ("check", "all") and not any(r.status == "FAILED" for r in rows):
        claims_failed = report.claims(options, paths, console)
        if claims_failed and not options.allow_failing_claims:
            report.summary(rows, console)
            console.print("claims failed: nothing else was built (`--allow-failing-claims` builds anyway)")
            return 1
    if options.command in ("figures", "all"):
        execute.run_jobs(plan.figures(options, paths, stamps), options, stamps, rows, console, "figures")
    if options.command in ("videos", "all"):
        execute.run_jobs(plan.videos(options, paths, stamps), options, stamps, rows, console, "videos")
    chapters = []
    if options.command == "slides":
        jobs = plan.slides(options, paths, stamps)
        execute.run_jobs(jobs, options, stamps, rows, console, "slides")
        chapters = [job.outputs[0] for job in jobs if job.name == "presentation + handout"]
    page_written = False
    if options.command in ("page", "all"):
        from lecture import page

        written = page.build(paths.out, options.lang)
        if written != paths.index:
            raise UsageError(f"lecture.page wrote {written}, the build expects {paths.index} (builder.paths)")
        page_written = True
    code = report.summary(rows, console)
    report.finish(console, paths, time.perf_counter() - start, page_written, chapters)
    return code
