"""Local mode: the platform on this machine, from the apps' declarations (apps/*/app.yaml).

runner.py starts and stops processes (no app knowledge), plan.py turns the declarations and
platform.yaml into the processes to run, seed.py creates the declared AWS data resources in the
local endpoint and restores what the apps stored (recording.py). scripts/local_mode.py is the
entry point. Apps never import this package.
"""
