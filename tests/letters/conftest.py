"""The shipped letters for every demo reader, rendered once for the whole test session."""

from __future__ import annotations

import pytest

from tests.letters.demo_letters import Made, make_all


@pytest.fixture(scope="session")
def letters() -> list[Made]:
    return list(make_all())
