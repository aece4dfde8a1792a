import os
import signal

# Ctrl-C while loading: one line, no traceback (a command then handles its own).
signal.signal(
    signal.SIGINT,
    lambda _s, _f: (
        os.write(2, b"\nStopped (Ctrl-C) while starting: nothing was saved.\n"),
        os._exit(130),
    ),
)

from plo_tracker.cli import main  # noqa: E402

raise SystemExit(main())
