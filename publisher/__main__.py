"""``python -m publisher``: the same as the ``publisher`` console script."""

from publisher.cli import main

raise SystemExit(main())
