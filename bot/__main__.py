"""`python -m bot` is the `newsbot` command."""

import sys

from bot.cli.main import main

sys.exit(main())
