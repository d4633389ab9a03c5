"""Entry point for ``python -m loyalty``."""

import os
import sys

# Before numpy loads: the fits are small dense problems, and a multi-threaded BLAS only
# adds contention (measured 10-30x slower per optimiser step on a loaded 2-core machine).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from loyalty.cli import main  # noqa: E402

sys.exit(main())
