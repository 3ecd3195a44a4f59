"""Names as the matcher sees them: folded tokens, nickname groups and a phonetic key.

The phonetic key is American Soundex, written here in a few lines rather than bringing in a
library: it only has to put "Smith" and "Smyth" in one block, and the comparison that follows
uses rapidfuzz's Jaro-Winkler similarity on the letters themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.core.domain.normalise import fold

_NOT_LETTER = re.compile(r"[^a-z0-9 ]+")
_JOINERS = re.compile(r"['’`.]")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "herr", "frau", "mme"})


@lru_cache(maxsize=1 << 16)
def name_tokens(text: str) -> tuple[str, ...]:
    """`text` folded (lower case, no accents) and cut into words; titles dropped.

    Apostrophes and dots join ("O'Brien" is "obrien"), hyphens and other marks separate.
    Names repeat across an address book, so the answers are cached.
    """
    folded = _JOINERS.sub("", fold(text))
    return tuple(t for t in _NOT_LETTER.sub(" ", folded).split() if t not in _TITLES)


# Diminutives and the formal names they stand for. A diminutive may stand for several names
# (Alex: Alexander, Alexandra); two given names are equivalent when their groups overlap.
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "abby": ("abigail",),
    "abe": ("abraham",),
    "al": ("albert", "alfred", "alan", "alexander"),
    "alex": ("alexander", "alexandra", "alexis"),
    "alf": ("alfred",),
    "andy": ("andrew",),
    "drew": ("andrew",),
    "annie": ("anne", "ann", "anna"),
    "tony": ("anthony", "antonio"),
    "art": ("arthur",),
    "barb": ("barbara",),
    "babs": ("barbara",),
    "ben": ("benjamin", "benedict"),
    "benny": ("benjamin",),
    "bernie": ("bernard",),
    "bill": ("william",),
    "billy": ("william",),
    "will": ("william",),
    "willy": ("william",),
    "liam": ("william",),
    "bob": ("robert",),
    "bobby": ("robert",),
    "rob": ("robert",),
    "robbie": ("robert",),
    "bert": ("robert", "albert", "herbert"),
    "brad": ("bradley",),
    "cathy": ("catherine", "cathrine"),
    "cath": ("catherine",),
    "kate": ("katherine", "catherine", "kathryn"),
    "katie": ("katherine", "catherine", "kathryn"),
    "kathy": ("katherine", "kathryn"),
    "kat": ("katherine",),
    "kit": ("christopher", "katherine"),
    "charlie": ("charles", "charlotte"),
    "chuck": ("charles",),
    "chas": ("charles",),
    "chris": ("christopher", "christine", "christina", "christian"),
    "chrissy": ("christine", "christina"),
    "kris": ("kristopher", "kristina", "christopher"),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "dave": ("david",),
    "davy": ("david",),
    "deb": ("deborah",),
    "debbie": ("deborah",),
    "dick": ("richard",),
    "rick": ("richard", "eric", "frederick"),
    "ricky": ("richard",),
    "rich": ("richard",),
    "richie": ("richard",),
    "don": ("donald",),
    "donnie": ("donald",),
    "doug": ("douglas",),
    "ed": ("edward", "edmund", "edwin"),
    "eddie": ("edward",),
    "ted": ("edward", "theodore"),
    "teddy": ("edward", "theodore"),
    "ned": ("edward",),
    "liz": ("elizabeth",),
    "lizzie": ("elizabeth",),
    "beth": ("elizabeth", "bethany"),
    "betty": ("elizabeth",),
    "bess": ("elizabeth",),
    "eliza": ("elizabeth",),
    "libby": ("elizabeth",),
    "ellie": ("eleanor", "ellen", "elizabeth"),
    "nell": ("eleanor", "helen"),
    "emmy": ("emily", "emma"),
    "fred": ("frederick", "alfred"),
    "freddie": ("frederick", "alfred"),
    "frank": ("francis", "franklin"),
    "fran": ("frances", "francis", "francesca"),
    "gabe": ("gabriel",),
    "gaby": ("gabriel", "gabriela", "gabrielle"),
    "gene": ("eugene",),
    "geoff": ("geoffrey",),
    "jeff": ("jeffrey", "geoffrey"),
    "greg": ("gregory",),
    "hank": ("henry",),
    "harry": ("henry", "harold"),
    "hal": ("henry", "harold"),
    "izzy": ("isabel", "isabella", "isidore"),
    "jack": ("john", "jacob"),
    "johnny": ("john",),
    "jon": ("jonathan", "john"),
    "jim": ("james",),
    "jimmy": ("james",),
    "jamie": ("james",),
    "jan": ("janet", "jane", "january"),
    "jen": ("jennifer",),
    "jenny": ("jennifer",),
    "jess": ("jessica",),
    "jessie": ("jessica",),
    "jo": ("joanne", "joanna", "josephine", "joseph"),
    "joe": ("joseph",),
    "joey": ("joseph",),
    "josh": ("joshua",),
    "judy": ("judith",),
    "julie": ("julia", "juliet"),
    "ken": ("kenneth",),
    "kenny": ("kenneth",),
    "larry": ("lawrence", "laurence"),
    "len": ("leonard",),
    "leo": ("leonard", "leonardo"),
    "lou": ("louis", "louise"),
    "lucy": ("lucille", "lucinda"),
    "maggie": ("margaret",),
    "meg": ("margaret",),
    "peggy": ("margaret",),
    "marge": ("margaret", "marjorie"),
    "madge": ("margaret",),
    "matt": ("matthew",),
    "max": ("maximilian", "maxwell"),
    "mick": ("michael",),
    "mike": ("michael",),
    "mikey": ("michael",),
    "mitch": ("mitchell",),
    "molly": ("mary",),
    "polly": ("mary",),
    "nat": ("nathan", "nathaniel", "natalie"),
    "nate": ("nathan", "nathaniel"),
    "nick": ("nicholas",),
    "nicky": ("nicholas", "nicola"),
    "pat": ("patrick", "patricia"),
    "patty": ("patricia",),
    "paddy": ("patrick",),
    "pete": ("peter",),
    "phil": ("philip", "phillip"),
    "ray": ("raymond",),
    "reg": ("reginald",),
    "ron": ("ronald",),
    "ronnie": ("ronald",),
    "russ": ("russell",),
    "sam": ("samuel", "samantha"),
    "sammy": ("samuel", "samantha"),
    "sandy": ("sandra", "alexander", "alexandra"),
    "steve": ("stephen", "steven"),
    "stevie": ("stephen", "steven"),
    "sue": ("susan", "suzanne"),
    "susie": ("susan",),
    "terry": ("terence", "theresa"),
    "tess": ("theresa",),
    "theo": ("theodore",),
    "tim": ("timothy",),
    "timmy": ("timothy",),
    "tom": ("thomas",),
    "tommy": ("thomas",),
    "val": ("valerie",),
    "vicky": ("victoria",),
    "vic": ("victor", "victoria"),
    "vince": ("vincent",),
    "walt": ("walter",),
    "wally": ("walter",),
    "zach": ("zachary",),
    "zack": ("zachary",),
}


@lru_cache(maxsize=1 << 14)
def given_group(token: str) -> frozenset[str]:
    """The formal names a folded given name may stand for, itself included."""
    return frozenset((token, *_NICKNAMES.get(token, ())))


def short_form_of(a: str, b: str) -> tuple[str, str] | None:
    """(short, formal) when one folded given name is a listed short form of the other."""
    if b in _NICKNAMES.get(a, ()):
        return a, b
    if a in _NICKNAMES.get(b, ()):
        return b, a
    if a != b and given_group(a) & given_group(b):
        return a, b
    return None


GENDERED_ENDINGS = ("a", "e", "ne", "le", "ette", "ine", "ina")
"""What turns a given name into its feminine form: Robert and Roberta, Paul and Paula, Louis
and Louise, Gabriel and Gabrielle, Christian and Christine."""
_GENDERED_STEM = 4
"""A shorter stem is left alone: Ann and Anne, Jan and Jana are as often one name spelt two
ways."""


def gendered_ending(token: str) -> bool:
    """Whether a folded given name may be the feminine form of a name of at least four letters."""
    return any(
        token.endswith(end) and len(token) - len(end) >= _GENDERED_STEM for end in GENDERED_ENDINGS
    )


def gendered_pair(a: str, b: str) -> bool:
    """Whether two folded given names are one name's masculine and feminine forms.

    They look like a typo of each other ("names 97% alike"), but Robert and Roberta Whitcombe
    sharing a landline are a household, not one person.
    """
    short, long = sorted((a, b), key=len)
    return (
        len(short) >= _GENDERED_STEM
        and long.startswith(short)
        and long[len(short) :] in GENDERED_ENDINGS
    )


_SOUNDEX = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556")


@lru_cache(maxsize=1 << 16)
def soundex(token: str) -> str:
    """American Soundex of a folded word ("smith" and "smyth" give "s530"); "" for none."""
    letters = [c for c in token if "a" <= c <= "z"]
    if not letters:
        return ""
    codes = "".join(c.translate(_SOUNDEX) if c in "bfpvcgjkqsxzdtlmnr" else "0" for c in letters)
    out = [letters[0]]
    previous = codes[0]
    for ch, code in zip(letters[1:], codes[1:], strict=True):
        if code not in ("0", previous):
            out.append(code)
        # h and w do not separate two letters with the same code; vowels do.
        if ch not in "hw":
            previous = code
    return ("".join(out) + "000")[:4]
