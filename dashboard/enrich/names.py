"""Names: one author name cleaned, and the words that mark titles, roles and institutions.

Names are cleaned the same way wherever they come from (a feed's ``dc:creator``, a CSV cell, a
byline, a sentence of a summary): honorifics and role phrases stripped, affiliations dropped,
letters after the name removed, lists split. ``name_key`` is how two spellings of a name are
compared everywhere.
"""

from __future__ import annotations

import re
import unicodedata


def word_set(words: str) -> frozenset[str]:
    """A word list written as one string, as a set."""
    return frozenset(words.split())


# Titles written before a name, compared without case and without a trailing dot.
HONORIFICS = word_set(
    "dr drs prof profs professor professors mr mrs ms miss mx sir dame lord lady baroness baron "
    "cllr councillor rev revd reverend hon rt fr"
)
# Words that end a job title ("Research Associate", "Visiting Fellow", "senior lecturer").
ROLE_HEADS = word_set(
    "associate associates fellow fellows professor professors lecturer lecturers reader director "
    "directors researcher researchers officer manager chair chairman chairwoman chairperson chief "
    "executive head editor student students candidate assistant analyst economist adviser advisor "
    "consultant coordinator co-ordinator member trustee founder co-founder ceo president scientist "
    "scholar practitioner organiser organizer campaigner activist author writer journalist intern "
    "specialist"
)
# Words that qualify a job title ("research", "visiting", "honorary").
ROLE_MODIFIERS = word_set(
    "research visiting senior principal postdoctoral post-doctoral doctoral honorary emeritus "
    "deputy assistant associate guest policy teaching industrial strategy phd academic programme "
    "project former community institute"
)
# Offices whose holders are written about far more often than they write: a name introduced by
# one of them is a subject, not an author ("Levelling Up Secretary Michael Gove argues ...").
SUBJECT_TITLES = word_set(
    "minister ministers secretary chancellor mayor mayors mp mps king queen prince princess lord "
    "baroness baron premier leader shadow"
)
# Letters after a name.
HONOURS = word_set("phd mbe obe cbe dbe frsa facss fba frs mp msc ma ba bsc qc kc")
# Words that never appear in a person's name: organisations, places, documents, events.
INSTITUTION_WORDS = word_set(
    "government governments council councils authority authorities institute university "
    "universities centre center college school department ministry office agency commission "
    "committee trust foundation fund bank parliament treasury party parties review report paper "
    "plan strategy policy policies act bill budget speech election elections manifesto brief "
    "briefs series blog blogs podcast city cities region regions county borough town towns "
    "powerhouse partnership partnerships network board forum alliance society association union "
    "group club company ltd plc inc service services nhs programme project deal zone zones state "
    "kingdom england britain scotland wales ireland europe economic economy economics"
)
# Words that open an affiliation after a name ("Lucy Natarajan at UCL").
AFFILIATION_WORDS = word_set("at of from in")
ROLE_WORDS = ROLE_HEADS | ROLE_MODIFIERS | HONORIFICS | SUBJECT_TITLES

PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_ANGLE = re.compile(r"<[^<>]*>")
_EMAIL_WITH_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^()]+)\)\s*$")
SEPARATORS = re.compile(r"\s*(?:[,;&|/+]|\band\b)\s*", re.IGNORECASE)


def name_key(name: str) -> str:
    """A name reduced for comparison: case, accents, dots and apostrophe styles ignored."""
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")
    text = text.replace(".", " ")
    return " ".join(text.casefold().split())


def bare_word(token: str) -> str:
    """A token as the word lists hold it: no trailing dot, no case."""
    return token.rstrip(".").casefold()


def is_initial(token: str) -> bool:
    bare = token.rstrip(".")
    return len(bare) == 1 and bare.isupper()


def is_role_word(token: str) -> bool:
    return bare_word(token) in ROLE_WORDS


def _is_title_word(token: str) -> bool:
    """A word that ends an honorific or role phrase before a name."""
    bare = bare_word(token)
    return bare in HONORIFICS or bare in ROLE_HEADS or bare in SUBJECT_TITLES


def strip_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading honorifics/role phrase from the name: (title words, name words)."""
    cut = 0
    for i, word in enumerate(words[:-1]):
        if _is_title_word(word):
            cut = i + 1
    return words[:cut], words[cut:]


def strip_honours(words: list[str]) -> list[str]:
    while len(words) > 1 and bare_word(words[-1]) in HONOURS:
        words = words[:-1]
    return words


def drop_affiliation(words: list[str]) -> list[str]:
    """Words before "at", "of", "from" or "in": "Lucy Natarajan at UCL" -> "Lucy Natarajan"."""
    for i, word in enumerate(words):
        if i > 0 and word in AFFILIATION_WORDS:
            return words[:i]
    return words


def is_role_only(words: list[str]) -> bool:
    """Whether words are a job title with no name ("Research Associate", "Heseltine fellow")."""
    if not words or (not _is_title_word(words[-1]) and bare_word(words[-1]) not in HONOURS):
        return False
    if words[-1][0].islower() or len(words) == 1:
        return True
    before = bare_word(words[-2])
    return is_role_word(words[-2]) or before in INSTITUTION_WORDS or before in HONOURS


def unwrap(field: str) -> str:
    """An author field without e-mail wrapper and bracketed asides: "x@y.org (A)" -> "A"."""
    text = field if field.isascii() else unicodedata.normalize("NFC", field)
    if "@" in text:
        found = _EMAIL_WITH_NAME.match(text)
        text = found.group("name") if found else text
    if "(" in text or "[" in text:
        text = PARENTHESES.sub(" ", text)
    return _ANGLE.sub(" ", text) if "<" in text else text


def clean_name(name: str) -> str:
    """One name as written, minus honorifics, role phrase, affiliation and letters after it."""
    words = [w.strip(",;:\"'“”‘’") for w in unwrap(name).split()]
    words = strip_honours(drop_affiliation([w for w in words if w]))
    if is_role_only(words):
        return ""
    title, rest = strip_title(words)
    # "Dr Smith" stays "Dr Smith": one word alone is too little to name a person.
    kept = rest if len(rest) > 1 or not title else words
    return " ".join(kept)


def split_names(field: str) -> list[str]:
    """A byline or author field split into cleaned names: "Dr A, B & C" -> ["A", "B", "C"]."""
    if not field:
        return []
    names = (clean_name(piece) for piece in SEPARATORS.split(unwrap(field)))
    return [n for n in names if n]
