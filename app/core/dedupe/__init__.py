"""Finding contacts that are the same person: blocking, Fellegi-Sunter scoring, grouping.

`scan` groups a whole address book; `compare` weighs two contacts (import matching);
`DuplicateIndex` checks one new or edited contact against the rest in milliseconds. No Qt and
no storage here: callers hand in contacts and get ids, scores (0-1 probabilities) and reasons
in words back.

How a scan works, module by module:

- `record`: each contact is normalised once (folded names, nickname groups, phones by their
  last nine digits, lower-cased emails, abbreviated streets, organisation without "Ltd").
- `blocking`: records sharing a key (phone, email, user name, name words in any order,
  Soundex of given and family name, given-name start + family, birthday, organisation + given
  name, street + postcode, postcode + family sound) become candidate pairs; a key shared by too
  many records (a switchboard) makes none, which keeps the scan near-linear.
- `levels` / `columns`: each pair gets a level per field (exact, short form, typo, ...,
  different; 0 when a side is empty); `columns` does it for many pairs at once with rapidfuzz's
  `cpdist` and numpy, and a test holds it equal to the one-pair `levels.compare_records`.
- `training` / `model`: u from random pairs, m by EM over the candidate pairs (bounded so that
  households and offices cannot pass for duplicates), the prior from EM's share of matches,
  term-frequency weights for exact agreements; the score is a posterior probability, and a
  match is one above 0.5, chosen a priori.
- `cluster`: average linkage inside connected components, so one weak link chains nobody.
- `reasons`: the words ("same mobile +44 7700 900123", "Bob is short for Robert").
"""

from app.core.dedupe.index import DuplicateIndex
from app.core.dedupe.model import MATCH_PROBABILITY, MatchModel, default_model
from app.core.dedupe.scan import Group, Match, compare, scan, scan_and_learn

__all__ = [
    "MATCH_PROBABILITY",
    "DuplicateIndex",
    "Group",
    "Match",
    "MatchModel",
    "compare",
    "default_model",
    "scan",
    "scan_and_learn",
]
