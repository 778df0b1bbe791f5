import sys

from typeset.cli import main

sys.exit(main())
