"""Many compared pairs, kept compact: a level and a rarity per field, in two numpy arrays.

A scan of 100,000 contacts compares a few hundred thousand pairs; kept as objects they would
cost hundreds of megabytes, kept here they cost 39 bytes a pair, and the model scores them all
at once.
"""

from __future__ import annotations

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

    @classmethod
    def concat(cls, parts: Sequence[Batch]) -> Batch:
        """One batch of the pairs of several, in order."""
        if not parts:
            return cls.of([], [])
        return cls(
            np.concatenate([p.levels for p in parts]), np.concatenate([p.rarity for p in parts])
        )
