from plo_tracker.cli import main

raise SystemExit(main())
