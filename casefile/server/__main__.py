"""``python -m casefile.server``: the same as the ``casefile-server`` command."""

import sys

from casefile.server.cli import main

sys.exit(main())
