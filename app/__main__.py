"""Command line: `python -m app chat|serve ...`."""

from app.entrypoints.cli.main import main

raise SystemExit(main())
