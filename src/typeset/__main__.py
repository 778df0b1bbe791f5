import sys

from typeset.app.cli import main

sys.exit(main())
