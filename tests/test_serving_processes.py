"""How many serving processes ``publisher serve`` starts when WORKERS is 0: one per core, as far as the
memory budget allows for processes that may each copy most of a shared in-memory store."""

from __future__ import annotations

import pytest

from publisher.server import serving_processes

MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("data_mib", "budget_mib", "cores", "expected"),
    [
        (2, 1024, 2, 2),  # the article: one per core
        (2, 1024, 8, 8),
        (40, 1024, 2, 2),  # 1e5 triples
        (384, 1024, 2, 1),  # 1e6 triples: a second copy would not fit in 1 GiB
        (384, 4096, 2, 2),  # ... but fits in 4 GiB
        (2000, 1024, 2, 1),  # more than the budget: still one
    ],
)
def test_one_process_per_core_as_far_as_the_budget_allows(
    data_mib: int, budget_mib: int, cores: int, expected: int
) -> None:
    assert serving_processes(data_mib * MIB, budget_mib * MIB, cores) == expected
