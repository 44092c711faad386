"""The application's entry point on Managed Service for Apache Flink (run option ``python``).

The job and its libraries are in lib/python, which the run option ``pyFiles`` also puts on the
Python workers' path; the service runs this file with the zip's root as working directory.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "lib" / "python"))

from review_stream.flink_job import main

if __name__ == "__main__":
    main()
