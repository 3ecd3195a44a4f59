"""Many compared pairs, kept compact: a level and a rarity per field, in two numpy arrays.

A scan of 100,000 contacts compares a few hundred thousand pairs; kept as objects they would
cost hundreds of megabytes, kept here they cost 39 bytes a pair, and the model scores them all
at once.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from app.core.dedupe.levels import Field

WIDTH = len(Field)


@dataclass(frozen=True, slots=True)
class Batch:
    """Compared pairs: `levels[k, f]` is pair k's level on field f; `rarity[k, f]` is
    log2(holders of f / holders of the shared value) where pair k shares a value exactly,
    else NaN."""

    levels: NDArray[np.int8]
    rarity: NDArray[np.float32]

    def __len__(self) -> int:
        return len(self.levels)

    @classmethod
    def of(cls, levels: Sequence[Sequence[int]], rarity: Sequence[Sequence[float]]) -> Batch:
        """A batch from rows of levels and rows of rarities."""
        return cls(
            np.asarray(levels, dtype=np.int8).reshape(-1, WIDTH),
            np.asarray(rarity, dtype=np.float32).reshape(-1, WIDTH),
        )


class BatchBuilder:
    """Collects compared pairs one at a time, into flat buffers, then hands out a `Batch`."""

    def __init__(self) -> None:
        self._levels = bytearray()
        self._rarity = array("f")

    def add(self, levels: tuple[int, ...], rarity: tuple[float, ...]) -> None:
        """Append one compared pair."""
        self._levels += bytes(levels)
        self._rarity.extend(rarity)

    def build(self) -> Batch:
        """The batch of everything added so far."""
        levels = np.frombuffer(bytes(self._levels), dtype=np.int8).reshape(-1, WIDTH)
        rarity = np.frombuffer(self._rarity, dtype=np.float32).reshape(-1, WIDTH).copy()
        return Batch(levels, rarity)
