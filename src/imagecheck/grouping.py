"""Grouping things that are linked pair by pair, and through each other (union-find)."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def linked_groups(n: int, pairs: Iterable[tuple[int, int]],
                  linked: Callable[[int, int], bool]) -> list[list[int]]:
    """The indices ``0 .. n-1`` in groups: ``a`` and ``b`` of ``pairs`` are in one group
    where ``linked(a, b)``, and so is whatever is linked to either (a pair already in one
    group is not tested). Each group in index order, the groups in order of their first
    index; an index in no linked pair is a group of its own."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        if root(a) != root(b) and linked(a, b):
            parent[root(b)] = root(a)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())
