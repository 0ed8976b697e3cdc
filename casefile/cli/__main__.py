"""``python -m casefile.cli``."""

import sys

from casefile.cli import main

if __name__ == "__main__":  # worker processes of a batch import load this module again
    sys.exit(main())
