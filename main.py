"""Open the Casefile window: ``python main.py [--db PATH]``."""

import sys

from ui.app import main

if __name__ == "__main__":
    sys.exit(main())
