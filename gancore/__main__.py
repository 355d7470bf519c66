"""``python -m gancore``: the command line (:mod:`gancore.cli.main`)."""

import sys

from gancore.cli.main import main

sys.exit(main())
