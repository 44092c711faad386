"""Local mode's watchdog: SIGKILLs the process groups of a runner that died.

The runner (runner.py) writes one process-group id per line to this process's standard input
as it starts each child, and "done" once it has stopped them itself. End of input without
"done" means the runner is gone, however it died (SIGKILL included): every group it named is
killed, grandchildren with their parents. Standard library only, run with ``python -I``.
"""

import contextlib
import os
import signal
import sys

groups: set[int] = set()
for line in sys.stdin:
    if line.strip() == "done":
        sys.exit(0)
    groups.add(int(line))
for group in groups:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)
