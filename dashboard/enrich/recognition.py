"""Recognition: the authors a summary names in an authorship cue.

"In this blog, A and B argue ...", "Jane Doe, a research associate, considers ...", "a blog by
Jane Doe", "Tom Arnold's latest blog looks at ...": names are read back from a reporting verb or
forward from "by", cleaned as in ``names``, and resolved against the registry. People written
about (introduced by an office, or listed as subjects) are never credited.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dashboard.enrich.names import (
    HONORIFICS,
    INSTITUTION_WORDS,
    PARENTHESES,
    SUBJECT_TITLES,
    bare_word,
    drop_affiliation,
    is_initial,
    is_role_only,
    is_role_word,
    name_key,
    strip_honours,
    strip_title,
    word_set,
)

if TYPE_CHECKING:  # for annotations only: authors.py imports this module
    from dashboard.enrich.authors import AuthorRegistry

# Lower-case parts of surnames ("Ludwig van Beethoven", "José de la Cruz").
PARTICLES = word_set("van von der den de del della di da du la le bin ibn al el ap dos das ter")
# Words that never start a person's name; they start sentences, places, parties and documents.
NON_NAME_STARTS = word_set(
    "the this that these those a an in on at as with for from by of to and but or if so yet "
    "while whilst when where why how what who which after before during since although though "
    "both all each every many most some several other another such our we my i you your he she "
    "it its they their his her here there now today yesterday tomorrow recently last next new "
    "first second third meanwhile however moreover also then brexit covid coronavirus north "
    "south east west northern southern eastern western central greater national regional local "
    "british english scottish welsh irish european international global levelling labour "
    "conservative conservatives tory tories liberal green reform january february march april "
    "may june july august september october november december monday tuesday wednesday "
    "thursday friday saturday sunday"
)
# Reporting verbs that follow the author(s) of a summary ("Tom Arnold assesses ...").
CUE_VERBS = word_set(
    """
    argue argues argued explore explores explored consider considers considered assess assesses
    assessed look looks looked reflect reflects reflected discuss discusses discussed highlight
    highlights highlighted draw draws drew examine examines examined outline outlines outlined
    set sets write writes wrote show shows showed suggest suggests suggested propose proposes
    proposed explain explains explained analyse analyses analysed analyze analyzes analyzed
    investigate investigates investigated describe describes described review reviews reviewed
    offer offers offered question questions questioned call calls called unpack unpacks unpacked
    share shares shared present presents presented introduce introduces introduced summarise
    summarises summarised evaluate evaluates evaluated identify identifies identified report
    reports reported respond responds responded warn warns warned urge urges urged recommend
    recommends recommended map maps mapped chart charts charted trace traces traced tell tells
    told ask asks asked provide provides provided delve delves delved interrogate interrogates
    interrogated contend contends contended reveal reveals revealed revisit revisits revisited
    note notes noted observe observes observed compare compares compared make makes take takes
    think thinks muse muses mused weigh weighs weighed
    """
)
# Words just before a comma that open a sentence about the blog ("In this blog, Belinda ...").
LEAD_IN_WORDS = word_set("blog blogs post posts piece article paper essay podcast episode here")
# "Tom Arnold's latest blog looks at ...": what an author's possessive may introduce.
WRITING_NOUNS = word_set("blog post piece article essay podcast series")
POSSESSIVE_ADJECTIVES = word_set("latest new recent first second third last final guest two-part")
# Words before "by" that make what follows a byline ("a blog by Jane Doe").
BYLINE_WORDS = word_set(
    "blog post piece article paper essay podcast written authored posted contribution commentary"
)
# Lower-case words allowed inside an author phrase: list joints and affiliations.
JOINT_WORDS = word_set("and at of from in the a an")
CONJUNCTIONS = frozenset({"and", "&"})
MAX_NAME_WORDS = 4
MAX_PHRASE_TOKENS = 40

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*\.?|\d[\w\-]*\.?|[^\w\s]")


@dataclass(frozen=True)
class _Candidate:
    """A name found in a cue position; one word alone is credited only when it can be resolved."""

    name: str
    strong: bool  # introduced by "In this blog," or "by": a lone first name is credited as written

    @property
    def single(self) -> bool:
        return " " not in self.name


def _is_name_word(token: str) -> bool:
    bare = token.rstrip(".")
    if not bare or not bare[0].isupper() or bare.endswith(("'s", "’s", "'", "’")):
        return False
    return len(bare) == 1 or not bare.isupper()


def _ends_sentence(token: str) -> bool:
    return token.endswith(".") and not is_initial(token) and bare_word(token) not in HONORIFICS


def _phrase_token(token: str) -> bool:
    """Whether a token can be part of an author phrase (names, titles, list joints)."""
    if token in {",", "&"}:
        return True
    if token[0].isupper():
        return not token.endswith(("'s", "’s"))
    return token in JOINT_WORDS or token in PARTICLES or is_role_word(token)


def _looks_like_name(words: list[str]) -> bool:
    """A personal name by its shape: capitalised words, initials, surname particles."""
    core = [w for w in words if w not in PARTICLES]
    if not core or words[0] in PARTICLES or is_initial(words[-1]):
        return False
    if len([w for w in core if not is_initial(w)]) > MAX_NAME_WORDS:
        return False
    if bare_word(words[0]) in NON_NAME_STARTS and not is_initial(words[0]):
        return False
    return all(_is_name_word(w) and bare_word(w) not in INSTITUTION_WORDS for w in core)


SUBJECT = "<subject>"  # a phrase naming someone written about ("Mayor Steve Rotheram")


def _parse_conjunct(words: list[str], registry: AuthorRegistry) -> str | None:
    """The name in one list item: "" for a bare job title, SUBJECT, or None if no name."""
    words = strip_honours(drop_affiliation(words))
    if not words:
        return None
    if is_role_only(words):
        return SUBJECT if any(bare_word(w) in SUBJECT_TITLES for w in words) else ""
    title, name = strip_title(words)
    if any(bare_word(w) in SUBJECT_TITLES for w in title):
        return SUBJECT
    if any(not (w[0].isupper() or is_role_word(w)) for w in title):
        return None
    name = [w if is_initial(w) else w.rstrip(".") for w in name]
    text = " ".join(name)
    if registry.knows(text) or _looks_like_name(name):
        return text
    return None


def _parse_segment(words: list[str], registry: AuthorRegistry) -> list[str | None]:
    """Each list item of a comma-free stretch ("Lucy Natarajan at UCL and Ian Wray") parsed."""
    items: list[list[str]] = [[]]
    for word in words:
        if word in CONJUNCTIONS:
            items.append([])
        else:
            items[-1].append(word)
    return [_parse_conjunct(item, registry) for item in items]


def _split_commas(tokens: list[str]) -> list[list[str]]:
    segments: list[list[str]] = [[]]
    for token in tokens:
        if token == ",":
            segments.append([])
        else:
            segments[-1].append(token)
    return [s for s in segments if s]


def _names_before(tokens: list[str], verb: int, registry: AuthorRegistry) -> list[_Candidate]:
    """Authors in the phrase that ends right before a reporting verb."""
    start = verb
    while start > 0 and verb - start < MAX_PHRASE_TOKENS:
        token = tokens[start - 1]
        if not _phrase_token(token) or _ends_sentence(token):
            break
        start -= 1
    phrase = tokens[start:verb]
    while phrase and phrase[-1] == ",":
        phrase = phrase[:-1]
    if not phrase or not (phrase[-1][0].isupper() or is_role_word(phrase[-1])):
        return []
    segments = _split_commas(phrase)
    names: list[str] = []
    first = len(segments)
    # Read back from the verb: "Role, A, B and C, verb"; stop at the first stretch that is not
    # names or a job title, and credit nobody when a title marks a subject.
    while first > 0:
        parsed = _parse_segment(segments[first - 1], registry)
        if SUBJECT in parsed:
            return []
        if None in parsed:
            break
        names[:0] = [n for n in parsed if n]
        first -= 1
    before = tokens[:start] + [t for segment in segments[:first] for t in segment]
    strong = _lead_in(before)
    return [_Candidate(n, strong) for n in names]


def _lead_in(before: list[str]) -> bool:
    """Whether the words before a phrase introduce the blog ("In this blog,", "Here,")."""
    words = [t for t in before if t != ","]
    return bool(words) and bare_word(words[-1]) in LEAD_IN_WORDS


def _names_after_by(tokens: list[str], by: int, registry: AuthorRegistry) -> list[_Candidate]:
    """Authors named after "by" in a byline ("a blog by Jane Doe and John Smith")."""
    opens = by == 0 or _ends_sentence(tokens[by - 1])
    if not opens and bare_word(tokens[by - 1]) not in BYLINE_WORDS:
        return []
    end = by + 1
    while end < len(tokens) and end - by < MAX_PHRASE_TOKENS and _phrase_token(tokens[end]):
        end += 1
        if _ends_sentence(tokens[end - 1]):
            break
    names: list[str] = []
    for segment in _split_commas(tokens[by + 1 : end]):
        for name in _parse_segment(segment, registry):
            if name is None or name == SUBJECT:
                return [_Candidate(n, True) for n in names]
            if name:
                names.append(name)
    return [_Candidate(n, True) for n in names]


def _names_before_possessive(
    tokens: list[str], verb: int, registry: AuthorRegistry
) -> list[_Candidate]:
    """The owner of the blog in "Tom Arnold's latest blog looks at ..."."""
    at = verb - 1
    if bare_word(tokens[at]) not in WRITING_NOUNS:
        return []
    while at > 0 and tokens[at - 1] in POSSESSIVE_ADJECTIVES:
        at -= 1
    owner = tokens[at - 1] if at > 0 else ""
    for mark in ("'s", "’s"):
        if owner.endswith(mark) and len(owner) > len(mark):
            return _names_before([*tokens[: at - 1], owner[: -len(mark)]], at, registry)
    return []


def _candidates(text: str, registry: AuthorRegistry) -> list[_Candidate]:
    tokens = _TOKEN.findall(PARENTHESES.sub(" ", text))
    found: list[_Candidate] = []
    for i, token in enumerate(tokens):
        if token in CUE_VERBS and i > 0:
            found.extend(_names_before(tokens, i, registry))
            found.extend(_names_before_possessive(tokens, i, registry))
        elif token in {"by", "By"}:
            found.extend(_names_after_by(tokens, i, registry))
    return found


def _resolve(candidates: list[_Candidate], registry: AuthorRegistry) -> list[str]:
    """Canonical names; a lone first name goes to a full name in the same text if one matches."""
    full = [registry.canonical(c.name) for c in candidates if not c.single]
    by_first = {name_key(n).split(" ")[0]: n for n in reversed(full)}
    result: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        key = name_key(candidate.name)
        if not candidate.single:
            name = registry.canonical(candidate.name)
        elif key in by_first:
            name = by_first[key]
        elif registry.knows(candidate.name):
            name = registry.canonical(candidate.name)
        elif candidate.strong and _looks_like_name([candidate.name]):
            name = candidate.name
        else:
            continue
        if registry.is_subject(name) or registry.is_subject(candidate.name):
            continue
        if name_key(name) not in seen:
            seen.add(name_key(name))
            result.append(name)
    return result


def authors_in_text(text: str | None, registry: AuthorRegistry) -> list[str]:
    """Authors a summary names in an authorship cue ("In this blog, A and B argue ...")."""
    if not isinstance(text, str) or not text.strip():
        return []
    return _resolve(_candidates(unicodedata.normalize("NFC", text), registry), registry)
