"""Finding contacts that are the same person: blocking, Fellegi-Sunter scoring, grouping.

`scan` groups a whole address book; `compare` weighs two contacts; `DuplicateIndex` checks one
new or edited contact against the rest in milliseconds. No Qt and no storage here: callers
hand in contacts and get ids, scores and reasons back.
"""

from app.core.dedupe.index import DuplicateIndex
from app.core.dedupe.model import MATCH_PROBABILITY, MatchModel, default_model
from app.core.dedupe.scan import Group, Match, compare, scan

__all__ = [
    "MATCH_PROBABILITY",
    "DuplicateIndex",
    "Group",
    "Match",
    "MatchModel",
    "compare",
    "default_model",
    "scan",
]
