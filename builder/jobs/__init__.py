"""The work a build's worker processes do, one module per kind of output.

A job's stamp hashes the code its module can reach (``builder.stamps``), so these modules import
nothing of the build's own machinery (planning, stamps, the executor): editing the planner rebuilds no
video.  Each job is a module-level function called with keyword arguments (picklable: paths, strings,
flags) and returns what the executor reports.
"""
