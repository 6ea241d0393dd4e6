"""The bench's shares use the faster of its two ceiling runs (bench/__main__.py)."""

from bench.__main__ import CEILING, CEILING_AGAIN, ceiling_rps


def test_shares_use_the_faster_ceiling_run():
    assert ceiling_rps({CEILING: {"rps": 728.7}, CEILING_AGAIN: {"rps": 1012.5}}) == 1012.5
    assert ceiling_rps({CEILING: {"rps": 1012.5}, CEILING_AGAIN: {"rps": 728.7}}) == 1012.5


def test_one_ceiling_run_is_enough():
    assert ceiling_rps({CEILING: {"rps": 728.7}, CEILING_AGAIN: None}) == 728.7
    assert ceiling_rps({CEILING: {"rps": 728.7}}) == 728.7
