"""Pairs become groups without one weak link chaining two strangers."""

from __future__ import annotations

from app.core.dedupe.cluster import cluster


def test_a_chain_through_one_link_does_not_join_strangers() -> None:
    # 0-1 and 1-2 match, but 0 and 2 are clearly different people.
    edges = {(0, 1): 0.99, (1, 2): 0.9}
    groups = cluster(edges, 0.5, lambda i, j: 0.01)
    assert [sorted(g) for g, _ in groups] == [[0, 1]]


def test_a_group_that_holds_together_stays_one() -> None:
    edges = {(0, 1): 0.99, (1, 2): 0.95, (0, 2): 0.9}
    groups = cluster(edges, 0.5, lambda i, j: 0.0)
    assert len(groups) == 1
    members, score = groups[0]
    assert members == [0, 1, 2]
    assert abs(score - (0.99 + 0.95 + 0.9) / 3) < 1e-9


def test_pairs_blocking_missed_are_compared_when_a_group_forms() -> None:
    asked: list[tuple[int, int]] = []

    def score(i: int, j: int) -> float:
        asked.append((i, j))
        return 0.8

    groups = cluster({(3, 7): 0.99, (7, 9): 0.97}, 0.5, score)
    assert asked == [(3, 9)]
    assert [g for g, _ in groups] == [[3, 7, 9]]


def test_pairs_below_the_threshold_make_no_group() -> None:
    assert cluster({(0, 1): 0.4}, 0.5, lambda i, j: 0.0) == []
