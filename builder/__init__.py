"""The lecture's build: render.py's command line turns its arguments into ``options.Options`` and calls
``build.run``.

* ``options``: every setting, checked in one place; ``paths``: every file name;
* ``plan``: the jobs of a command as plain data (``--dry-run`` prints them), computed without side
  effects; ``stamps``: what each output's inputs are (the code it can reach, by ``engine.codegraph``);
* ``execute``: one pool loop for figures, videos, slides and decks, recording stamps; ``jobs``: what the
  workers run; ``tools``: the tools a command needs, checked once; ``report``: what the user reads.

This file imports nothing: every job module is part of its outputs' stamps, and a package's
``__init__`` runs (so is reached) with any of its modules.

Why not doit (or make, SCons, …)?  doit's tasks, ``file_dep`` and ``uptodate`` would cover the
up-to-date checks, but not the rest, which is most of this package: the plan must stay a plain list
printable by ``--dry-run`` with the reason of each rebuild; a stamp is a content hash of the code a job
can reach through imports (plus the results' checksums and settings), not of files listed up front;
and the jobs run in long-lived spawn-started Manim workers (a scene's imports and caches are shared by
the next one), longest first, with one job's failure reported while the others go on.  doit's own
process pool (``-n`` with multiprocessing) starts a worker per task and would lose those caches;
wrapping our pool in doit's runner leaves doit to do what the 40 lines of ``Stamps`` do.
"""
