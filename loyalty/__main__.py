"""Entry point for ``python -m loyalty``."""

import sys

from loyalty.cli import main

sys.exit(main())
