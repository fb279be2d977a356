import sys

from iadef.cli.main import main

sys.exit(main())
