"""Matched pairs become groups without one weak link chaining two strangers together.

Connected components of the match graph are only the starting point: within each component,
average-linkage clustering merges two groups only while the mean match probability over every
pair across them stays above the threshold. "Bob Smith" linked to "Robert Smith" by a phone,
and "Robert Smith" linked to "Roberta Smith" by a shared landline, do not make one group unless
Bob and Roberta look alike too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

ScoreFn = Callable[[int, int], float]
"""The match probability of two positions that blocking did not pair (compared on demand)."""

_COMPARE_ALL_UP_TO = 40
"""Past this size a component's unpaired members count as different without comparing them."""


def _find(parent: dict[int, int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def _components(edges: Mapping[tuple[int, int], float], threshold: float) -> list[list[int]]:
    parent: dict[int, int] = {}
    for (i, j), p in edges.items():
        if p < threshold:
            continue
        parent.setdefault(i, i)
        parent.setdefault(j, j)
        a, b = _find(parent, i), _find(parent, j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        members[_find(parent, x)].append(x)
    return [sorted(m) for m in members.values()]


def _average_linkage(
    component: list[int], pair: Callable[[int, int], float], threshold: float
) -> list[tuple[list[int], float]]:
    clusters: list[list[int]] = [[x] for x in component]

    def linkage(a: list[int], b: list[int]) -> float:
        return sum(pair(x, y) for x in a for y in b) / (len(a) * len(b))

    while len(clusters) > 1:
        best, best_ab = -1.0, (0, 0)
        for ia in range(len(clusters)):
            for ib in range(ia + 1, len(clusters)):
                link = linkage(clusters[ia], clusters[ib])
                if link > best:
                    best, best_ab = link, (ia, ib)
        if best < threshold:
            break
        ia, ib = best_ab
        clusters[ia] = sorted(clusters[ia] + clusters[ib])
        del clusters[ib]
    out = []
    for c in clusters:
        if len(c) >= 2:
            within = [pair(x, y) for i, x in enumerate(c) for y in c[i + 1 :]]
            out.append((c, sum(within) / len(within)))
    return out


def cluster(
    edges: Mapping[tuple[int, int], float], threshold: float, score: ScoreFn
) -> list[tuple[list[int], float]]:
    """Groups of positions that hold together, each with its mean pairwise probability.

    Args:
        edges: the match probability of every compared pair (i < j).
        threshold: the probability above which a pair (and a group's mean) is a match.
        score: compares two positions that `edges` lacks.
    """
    groups: list[tuple[list[int], float]] = []
    for component in _components(edges, threshold):
        if len(component) == 2:
            groups.append((component, edges[(component[0], component[1])]))
            continue
        cache: dict[tuple[int, int], float] = {}
        compare_missing = len(component) <= _COMPARE_ALL_UP_TO

        def pair(
            x: int,
            y: int,
            cache: dict[tuple[int, int], float] = cache,
            compare_missing: bool = compare_missing,
        ) -> float:
            key = (x, y) if x < y else (y, x)
            if key in edges:
                return edges[key]
            if key not in cache:
                cache[key] = score(*key) if compare_missing else 0.0
            return cache[key]

        groups.extend(_average_linkage(component, pair, threshold))
    return groups
