"""What every command shares: opening the app, errors, dates and tables."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import logging
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from plo_tracker import config, interrupts, logs
from plo_tracker.domain.dates import parse_iso_date
from plo_tracker.errors import KNOWN_ERRORS, PloError
from plo_tracker.spreadsheets import csv_text as csv_text
from plo_tracker.validation import date_problem, shown

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

log = logging.getLogger("plo_tracker.cli")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BUG = 3

Handler = Callable[["AppContext", argparse.Namespace], int]
PlainHandler = Callable[[argparse.Namespace], int]


def date_argument(text: str) -> dt.date:
    try:
        day = parse_iso_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{shown(text)}' is not a date written YYYY-MM-DD (for example 2024-03-04)"
        ) from None
    problem = date_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{shown(text)}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def utf8_stdout() -> TextIO:
    stream = sys.stdout
    if hasattr(stream, "reconfigure"):
        with contextlib.suppress(ValueError, OSError):
            stream.reconfigure(encoding="utf-8")
    return stream


def print_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    out: TextIO | None = None,
    wrap_last: bool = True,
) -> None:
    """A plain text table sized to the terminal; the last column wraps."""
    out = out or sys.stdout
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in cells:
        for i, value in enumerate(row[:-1] if wrap_last else row):
            widths[i] = max(widths[i], len(value))
    total = shutil.get_terminal_size((160, 20)).columns
    if wrap_last:
        used = sum(widths[:-1]) + 2 * (len(headers) - 1)
        widths[-1] = max(30, total - used)

    def line(values: Sequence[str]) -> list[str]:
        if not wrap_last:
            return ["  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()]
        head = "  ".join(v.ljust(w) for v, w in zip(values[:-1], widths[:-1], strict=True))
        last = values[-1]
        width = widths[-1]
        chunks: list[str] = []
        while len(last) > width:
            cut = last.rfind(" ", 0, width)
            cut = cut if cut > 0 else width
            chunks.append(last[:cut])
            last = last[cut:].lstrip()
        chunks.append(last)
        lines = [f"{head}  {chunks[0]}".rstrip()]
        pad = " " * (len(head) + 2)
        lines.extend(f"{pad}{chunk}" for chunk in chunks[1:])
        return lines

    for text in line(list(headers)):
        print(text, file=out)
    print("  ".join("-" * w for w in widths)[:total], file=out)
    for row in cells:
        for text in line(row):
            print(text, file=out)


class ProgressBar:
    """A progress line on a terminal; silent when output is not a terminal."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        percent = int(done * 100 / total)
        if percent == self._last:
            return
        self._last = percent
        width = 30
        filled = int(width * done / total)
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)


def setup_logging() -> None:
    with contextlib.suppress(OSError):  # logging is not worth refusing to work over
        logs.configure(config.log_dir())


@contextlib.contextmanager
def quiet_collector() -> Iterator[None]:
    """Import the database layer without the cyclic garbage collector running over and over.

    Importing SQLAlchemy and the models creates tens of thousands of long-lived objects
    (classes, functions, tables), and each collection would walk them all again.  They
    are moved to the permanent generation afterwards (``gc.freeze``), so later
    collections skip them too.  Reference counting frees everything else as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def log_load_failure(module: str, problem: BaseException) -> None:
    """Log that part of PLO Tracker could not be loaded, naming it (no personal data)."""
    missing = getattr(problem, "name", None) if isinstance(problem, ImportError) else None
    log.error(
        "part of PLO Tracker could not be loaded: %s (%s, missing module %s)",
        logs.Safe(module),
        logs.Safe(type(problem).__name__),
        logs.Safe(missing or "-"),
        exc_info=(type(problem), problem, problem.__traceback__),
    )


def may_create(args: argparse.Namespace) -> bool:
    """Whether this command may make a new database where there is none.

    Only the commands that put something in a database (``init``, ``import``,
    ``demo-data``, ``restore``, ``migrate``, ``users add``) set ``creates``; every
    other command on a database that does not exist is an error, never an empty answer.
    """
    return bool(getattr(args, "creates", False))


def run_handler(args: argparse.Namespace) -> int:
    setup_logging()
    before = interrupts.saved_transactions()
    progress: dict[str, int] = {}  # "started": the count when the command's own work began

    def stopped() -> int:
        error(interrupts.interrupted_message(before, progress.get("started"), args.command))
        return interrupts.EXIT_INTERRUPTED

    with interrupts.interruptible(before, progress):
        try:
            return _run(args, progress)
        except KeyboardInterrupt:
            return stopped()
        except KNOWN_ERRORS as known:
            error(str(known))
            return EXIT_ERROR
        except BrokenPipeError:
            return EXIT_OK
        except ImportError as missing:
            part = missing.name or "a module"
            log_load_failure(f"the '{args.command}' command", missing)
            error(
                f"The '{args.command}' command cannot run: part of PLO Tracker ({part}) could "
                "not be loaded. The installation is incomplete or damaged; please tell your IT "
                f"team (the log file in {config.log_dir()} has the details)."
            )
            return EXIT_BUG
        except Exception as unexpected:
            if interrupts.was_interrupted(unexpected):  # tidying up after Ctrl-C failed too
                return stopped()
            reference = uuid.uuid4().hex[:8]
            log.exception("unexpected error, reference %s", logs.Safe(reference))
            error(
                "Something went wrong that PLO Tracker did not expect, so it stopped. Nothing "
                "was half-saved. The details are in the log file in "
                f"{config.log_dir()} under reference {reference}; please pass them to your IT "
                "team."
            )
            return EXIT_BUG


def _run(args: argparse.Namespace, progress: dict[str, int]) -> int:
    handler = args.handler
    if not getattr(args, "needs_app", True):
        progress["started"] = interrupts.saved_transactions()
        return int(handler(args))
    with quiet_collector():
        from plo_tracker.app import open_app  # the database: loaded when a command runs

    url = config.resolve_database_url(args.db)
    context = open_app(
        url,
        username=args.user,
        upgrade=getattr(args, "upgrade", True),
        create=may_create(args),
    )
    progress["started"] = interrupts.saved_transactions()
    try:
        return int(handler(context, args))
    finally:
        context.close()


def require_text(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise PloError(f"{what} is required.")
    return value
