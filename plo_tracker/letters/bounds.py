"""Bounds on the work one letter may cost, whatever its template holds.

A template is the council's document, but a damaged or hostile one must not stop the app:
nested ``range(9999)`` loops took 139 s per letter, and a macro calling itself never ends.
Each letter (``render_letter``) and each trial letter of ``templates --check`` runs with:

* ``range()`` giving at most ``MAX_RANGE`` numbers;
* at most ``MAX_STEPS`` steps: each turn of any ``{% for %}`` loop and each call (a
  macro, a filter's function) is a step;
* at most ``MAX_OUTPUT`` characters of document XML made;
* at most ``MAX_SECONDS`` seconds, checked at every step and every piece of output.

Going past one stops the letter with ``RenderLimit``, whose message names the limit; it
becomes a plain refusal (``UnsafeTemplateError``) and nothing is saved.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import Template, nodes
from jinja2.exceptions import SecurityError

MAX_RANGE = 1000
MAX_STEPS = 100_000
MAX_OUTPUT = 30_000_000
MAX_SECONDS = 20.0
LOOP_FILTER = "plo_loop_step"


class RenderLimit(SecurityError):
    """A letter went past one of the bounds; the message names it."""


class Budget:
    """The steps, output and time one letter has used so far."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise RenderLimit(
                f"its loops and calls ran more than {MAX_STEPS:,} steps for one letter"
            )
        if not self.steps % 256:
            self.clock()

    def clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise RenderLimit(f"one letter took more than {MAX_SECONDS:g} seconds to make")

    def wrote(self, count: int) -> None:
        self.output += count
        if self.output > MAX_OUTPUT:
            raise RenderLimit(f"one letter grew past {MAX_OUTPUT:,} characters of document text")
        self.clock()

    def loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        for item in iterable:
            self.step()
            yield item

    def range(self, *args: int) -> range:
        numbers = range(*args)
        if len(numbers) > MAX_RANGE:
            raise RenderLimit(f"range() may give at most {MAX_RANGE:,} numbers")
        return numbers


def count_loops(tree: nodes.Template) -> None:
    """Make every ``{% for %}`` loop of a parsed template count its turns."""
    for loop in list(tree.find_all(nodes.For)):
        loop.iter = nodes.Filter(loop.iter, LOOP_FILTER, [], [], None, None, lineno=loop.lineno)


class BoundedTemplate(Template):
    """A template whose output is counted as it is made (``Budget.wrote``)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        budget: Budget = self.environment.budget  # type: ignore[attr-defined]
        ctx = self.new_context(dict(*args, **kwargs))
        pieces: list[str] = []
        try:
            for piece in self.root_render_func(ctx):
                budget.wrote(len(piece))
                pieces.append(piece)
        except Exception:
            self.environment.handle_exception()
        return "".join(pieces)
