"""Authors: the registry of canonical names, byline splitting, and recognition in summaries.

Names are cleaned the same way wherever they come from (a feed's ``dc:creator``, a CSV cell, a
byline, a sentence of a summary): honorifics and role phrases stripped, affiliations dropped,
lists split, then resolved against ``data/authors.toml``. Names the registry does not know are
kept as written, so a new author shows up before anyone edits the file.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.schema import first_of_pairs, grouped_lists, list_array, list_series


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Titles written before a name, compared without case and without a trailing dot.
HONORIFICS = _word_set(
    "dr drs prof profs professor professors mr mrs ms miss mx sir dame lord lady baroness baron "
    "cllr councillor rev revd reverend hon rt fr"
)
# Words that end a job title ("Research Associate", "Visiting Fellow", "senior lecturer").
ROLE_HEADS = _word_set(
    "associate associates fellow fellows professor professors lecturer lecturers reader director "
    "directors researcher researchers officer manager chair chairman chairwoman chairperson chief "
    "executive head editor student students candidate assistant analyst economist adviser advisor "
    "consultant coordinator co-ordinator member trustee founder co-founder ceo president scientist "
    "scholar practitioner organiser organizer campaigner activist author writer journalist intern "
    "specialist"
)
# Words that qualify a job title ("research", "visiting", "honorary").
ROLE_MODIFIERS = _word_set(
    "research visiting senior principal postdoctoral post-doctoral doctoral honorary emeritus "
    "deputy assistant associate guest policy teaching industrial strategy phd academic programme "
    "project former community institute"
)
# Offices whose holders are written about far more often than they write: a name introduced by
# one of them is a subject, not an author ("Levelling Up Secretary Michael Gove argues ...").
SUBJECT_TITLES = _word_set(
    "minister ministers secretary chancellor mayor mayors mp mps king queen prince princess lord "
    "baroness baron premier leader shadow"
)
# Letters after a name.
HONOURS = _word_set("phd mbe obe cbe dbe frsa facss fba frs mp msc ma ba bsc qc kc")
# Lower-case parts of surnames ("Ludwig van Beethoven", "José de la Cruz").
PARTICLES = _word_set("van von der den de del della di da du la le bin ibn al el ap dos das ter")
# Words that never start a person's name; they start sentences, places, parties and documents.
NON_NAME_STARTS = _word_set(
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
# Words that never appear in a person's name: organisations, places, documents, events.
INSTITUTION_WORDS = _word_set(
    "government governments council councils authority authorities institute university "
    "universities centre center college school department ministry office agency commission "
    "committee trust foundation fund bank parliament treasury party parties review report paper "
    "plan strategy policy policies act bill budget speech election elections manifesto brief "
    "briefs series blog blogs podcast city cities region regions county borough town towns "
    "powerhouse partnership partnerships network board forum alliance society association union "
    "group club company ltd plc inc service services nhs programme project deal zone zones state "
    "kingdom england britain scotland wales ireland europe economic economy economics"
)
# Reporting verbs that follow the author(s) of a summary ("Tom Arnold assesses ...").
CUE_VERBS = _word_set(
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
LEAD_IN_WORDS = _word_set("blog blogs post posts piece article paper essay podcast episode here")
# "Tom Arnold's latest blog looks at ...": what an author's possessive may introduce.
WRITING_NOUNS = _word_set("blog post piece article essay podcast series")
POSSESSIVE_ADJECTIVES = _word_set("latest new recent first second third last final guest two-part")
# Words before "by" that make what follows a byline ("a blog by Jane Doe").
BYLINE_WORDS = _word_set(
    "blog post piece article paper essay podcast written authored posted contribution commentary"
)
# Lower-case words allowed inside an author phrase: list joints and affiliations.
JOINT_WORDS = _word_set("and at of from in the a an")
AFFILIATION_WORDS = _word_set("at of from in")
ROLE_WORDS = ROLE_HEADS | ROLE_MODIFIERS | HONORIFICS | SUBJECT_TITLES
CONJUNCTIONS = frozenset({"and", "&"})
MAX_NAME_WORDS = 4
MAX_PHRASE_TOKENS = 40
CELL_SEPARATOR = "\x1f"  # joins the fields of one authors cell into a single grouping key

_TOKEN = re.compile(r"[^\W\d_][\w'’\-]*\.?|\d[\w\-]*\.?|[^\w\s]")
_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_ANGLE = re.compile(r"<[^<>]*>")
_EMAIL_WITH_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^()]+)\)\s*$")
_SEPARATORS = re.compile(r"\s*(?:[,;&|/+]|\band\b)\s*", re.IGNORECASE)
_LINE_OF_ERROR = re.compile(r"\(at line (\d+), column \d+\)")


class EnrichmentConfigError(ValueError):
    """A registry file that cannot be used: unreadable, malformed TOML or a bad entry."""

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {problem}")


# --- registry files (shared with topics.py) -------------------------------------------------


def read_toml(path: str | Path) -> tuple[dict, str]:
    """The parsed TOML file and its text; any problem raised naming the file and line."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise EnrichmentConfigError(path, None, f"cannot read the file: {err}") from None
    return parse_toml(text, path), text


def parse_toml(text: str, source: str | Path) -> dict:
    """Parsed TOML text; a syntax error is raised naming ``source`` and the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _LINE_OF_ERROR.search(message)
        line = int(found.group(1)) if found else getattr(err, "lineno", None)
        if line is None and "end of document" in message:
            line = text.count("\n") + 1
        problem = _LINE_OF_ERROR.sub("", message).strip()
        raise EnrichmentConfigError(source, line, f"not valid TOML: {problem}") from None


def entry_lines(text: str, table: str) -> list[int]:
    """Line numbers (1-based) of each ``[[table]]`` header, in file order."""
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]")
    return [n for n, line in enumerate(text.splitlines(), start=1) if header.match(line)]


def key_line(text: str, start: int | None, key: str) -> int | None:
    """The line of ``key = ...`` in the entry starting at line ``start`` (else ``start``)."""
    if start is None:
        return None
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for n, line in enumerate(text.splitlines()[start:], start=start + 1):
        if line.lstrip().startswith("[["):
            break
        if assignment.match(line):
            return n
    return start


def entries(
    data: dict, table: str, source: str | Path, text: str, also: Iterable[str] = ()
) -> list[tuple[dict, int | None]]:
    """The ``[[table]]`` entries of a parsed file, each with the line of its header.

    ``also`` names the other top-level keys the file may have.
    """
    unknown = sorted(set(data) - {table, *also})
    if unknown:
        raise EnrichmentConfigError(
            source, key_line(text, 0, unknown[0]), f"unknown top-level key {unknown[0]!r}"
        )
    items = data.get(table, [])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise EnrichmentConfigError(source, None, f"expected [[{table}]] entries")
    lines = entry_lines(text, table)
    return [(item, lines[i] if i < len(lines) else None) for i, item in enumerate(items)]


def string_list(value: object) -> bool:
    """Whether a TOML value is a list of non-empty strings."""
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


# --- cleaning one name ----------------------------------------------------------------------


def name_key(name: str) -> str:
    """A name reduced for comparison: case, accents, dots and apostrophe styles ignored."""
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).replace("’", "'")
    text = text.replace(".", " ")
    return " ".join(text.casefold().split())


def _bare(token: str) -> str:
    return token.rstrip(".").casefold()


def _is_initial(token: str) -> bool:
    bare = token.rstrip(".")
    return len(bare) == 1 and bare.isupper()


def _is_role_word(token: str) -> bool:
    return _bare(token) in ROLE_WORDS


def _is_title_word(token: str) -> bool:
    """A word that ends an honorific or role phrase before a name."""
    bare = _bare(token)
    return bare in HONORIFICS or bare in ROLE_HEADS or bare in SUBJECT_TITLES


def _strip_title(words: list[str]) -> tuple[list[str], list[str]]:
    """Split leading honorifics/role phrase from the name: (title words, name words)."""
    cut = 0
    for i, word in enumerate(words[:-1]):
        if _is_title_word(word):
            cut = i + 1
    return words[:cut], words[cut:]


def _strip_honours(words: list[str]) -> list[str]:
    while len(words) > 1 and _bare(words[-1]) in HONOURS:
        words = words[:-1]
    return words


def _drop_affiliation(words: list[str]) -> list[str]:
    """Words before "at", "of", "from" or "in": "Lucy Natarajan at UCL" -> "Lucy Natarajan"."""
    for i, word in enumerate(words):
        if i > 0 and word in AFFILIATION_WORDS:
            return words[:i]
    return words


def _is_role_only(words: list[str]) -> bool:
    """Whether words are a job title with no name ("Research Associate", "Heseltine fellow")."""
    if not words or (not _is_title_word(words[-1]) and _bare(words[-1]) not in HONOURS):
        return False
    if words[-1][0].islower() or len(words) == 1:
        return True
    before = _bare(words[-2])
    return _is_role_word(words[-2]) or before in INSTITUTION_WORDS or before in HONOURS


def _unwrap(field: str) -> str:
    """An author field without e-mail wrapper and bracketed asides: "x@y.org (A)" -> "A"."""
    text = field if field.isascii() else unicodedata.normalize("NFC", field)
    if "@" in text:
        found = _EMAIL_WITH_NAME.match(text)
        text = found.group("name") if found else text
    if "(" in text or "[" in text:
        text = _PARENTHESES.sub(" ", text)
    return _ANGLE.sub(" ", text) if "<" in text else text


def clean_name(name: str) -> str:
    """One name as written, minus honorifics, role phrase, affiliation and letters after it."""
    words = [w.strip(",;:\"'“”‘’") for w in _unwrap(name).split()]
    words = _strip_honours(_drop_affiliation([w for w in words if w]))
    if _is_role_only(words):
        return ""
    title, rest = _strip_title(words)
    # "Dr Smith" stays "Dr Smith": one word alone is too little to name a person.
    kept = rest if len(rest) > 1 or not title else words
    return " ".join(kept)


def split_names(field: str) -> list[str]:
    """A byline or author field split into cleaned names: "Dr A, B & C" -> ["A", "B", "C"]."""
    if not field:
        return []
    names = (clean_name(piece) for piece in _SEPARATORS.split(_unwrap(field)))
    return [n for n in names if n]


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """One registry entry: the canonical name, the variants that mean it, an optional role."""

    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None


class AuthorRegistry:
    """Canonical author names: resolves aliases, honorific variants and unambiguous first names."""

    def __init__(
        self,
        authors: Iterable[Author] = (),
        source: str = "<registry>",
        subjects: Iterable[str] = (),
    ) -> None:
        self.authors: tuple[Author, ...] = tuple(authors)
        self.source = source
        self.subjects: tuple[str, ...] = tuple(subjects)
        self._subjects = {name_key(clean_name(s) or s) for s in self.subjects}
        self._by_key: dict[str, str] = {}
        self._by_first: dict[str, set[str]] = {}
        for author in self.authors:
            for variant in (author.name, *author.aliases):
                self._add(variant, author.name)

    def _add(self, variant: str, canonical: str) -> None:
        for key in {name_key(variant), name_key(clean_name(variant) or variant)}:
            owner = self._by_key.setdefault(key, canonical)
            if owner != canonical:
                raise EnrichmentConfigError(
                    self.source, None, f"{variant!r} is listed for both {owner!r} and {canonical!r}"
                )
        first = name_key(canonical).split(" ")[0]
        self._by_first.setdefault(first, set()).add(canonical)

    @classmethod
    def load(cls, path: str | Path) -> AuthorRegistry:
        """The registry in a TOML file of ``[[author]]`` entries (name, aliases, role)."""
        data, text = read_toml(path)
        return cls.parse(data, text, path)

    @classmethod
    def parse(cls, data: dict, text: str, source: str | Path) -> AuthorRegistry:
        """The registry from parsed TOML; every bad entry is reported with its line."""
        subjects = data.get("subjects", [])
        if not string_list(subjects):
            problem = "subjects must be a list of names"
            raise EnrichmentConfigError(source, key_line(text, 0, "subjects"), problem)
        registry = cls([], str(source), subjects)
        for item, line in entries(data, "author", source, text, also=["subjects"]):
            try:
                registry._append(_author_entry(item, line, source, text))
            except EnrichmentConfigError as err:
                raise EnrichmentConfigError(source, err.line or line, err.problem) from None
        return registry

    def _append(self, author: Author) -> None:
        for variant in (author.name, *author.aliases):
            self._add(variant, author.name)
        self.authors = (*self.authors, author)

    @property
    def names(self) -> list[str]:
        """Canonical names in file order."""
        return [a.name for a in self.authors]

    @property
    def roles(self) -> dict[str, str]:
        """Role per canonical name, for authors that have one."""
        return {a.name: a.role for a in self.authors if a.role}

    def knows(self, name: str) -> bool:
        """Whether the name (or, for one word, the first name) is in the registry."""
        key = name_key(clean_name(name) or name)
        return key in self._by_key or (" " not in key and key in self._by_first)

    def is_subject(self, name: str) -> bool:
        """Whether the name is listed as someone written about, never credited from a summary."""
        return name_key(clean_name(name) or name) in self._subjects

    def lists_exactly(self, name: str) -> bool:
        """Whether the name as written (case, accents and dots aside) is a name or alias here."""
        return name_key(name) in self._by_key

    def canonical(self, name: str) -> str:
        """The canonical form of a name; a name the registry does not know is kept as written."""
        cleaned = clean_name(name) or " ".join(name.split())
        key = name_key(cleaned)
        if key in self._by_key:
            return self._by_key[key]
        owners = self._by_first.get(key, set()) if " " not in key else set()
        return next(iter(owners)) if len(owners) == 1 else cleaned


def _author_entry(item: dict, line: int | None, source: str | Path, text: str) -> Author:
    """One ``[[author]]`` table checked and turned into an Author."""
    unknown = sorted(set(item) - {"name", "aliases", "role"})
    if unknown:
        problem = f"unknown field {unknown[0]!r} (expected name, aliases, role)"
        raise EnrichmentConfigError(source, key_line(text, line, unknown[0]), problem)
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise EnrichmentConfigError(source, line, "each [[author]] needs a non-empty name")
    aliases = item.get("aliases", [])
    if not string_list(aliases):
        problem = f"aliases of {name!r} must be a list of non-empty strings"
        raise EnrichmentConfigError(source, key_line(text, line, "aliases"), problem)
    role = item.get("role")
    if role is not None and not isinstance(role, str):
        problem = f"role of {name!r} must be a string"
        raise EnrichmentConfigError(source, key_line(text, line, "role"), problem)
    return Author(" ".join(name.split()), tuple(" ".join(a.split()) for a in aliases), role)


Resolved = tuple[tuple[str, str], ...]  # (canonical name, its key) per name in a field


def _resolve_field(field: str, registry: AuthorRegistry, cache: dict[str, Resolved]) -> Resolved:
    """The canonical names in one author field, each with its comparison key."""
    text = _unwrap(field)
    # A name the registry lists whole ("Centre for Cities and Regions") is not split.
    if _SEPARATORS.search(text) is None or registry.lists_exactly(text):
        cleaned = clean_name(text)
        name = registry.canonical(cleaned) if cleaned else ""
        return ((name, name_key(name)),) if name else ()
    resolved: list[tuple[str, str]] = []
    for piece in _SEPARATORS.split(text):
        if piece not in cache:
            cache[piece] = _resolve_field(piece, registry, cache)
        resolved.extend(cache[piece])
    return tuple(resolved)


def canonical_authors(
    names: Sequence[str],
    registry: AuthorRegistry,
    cache: dict[str, Resolved] | None = None,
) -> list[str]:
    """Structured author fields split, cleaned, resolved and de-duplicated, in byline order.

    ``cache`` (field as written -> its resolved names) can be shared between calls.
    """
    cache = {} if cache is None else cache
    result: list[str] = []
    seen: set[str] = set()
    for field in names:
        if not isinstance(field, str):
            continue
        if field not in cache:
            cache[field] = _resolve_field(field, registry, cache)
        for name, key in cache[field]:
            if key not in seen:
                seen.add(key)
                result.append(name)
    return result


# --- recognition in summaries ---------------------------------------------------------------


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
    return token.endswith(".") and not _is_initial(token) and _bare(token) not in HONORIFICS


def _phrase_token(token: str) -> bool:
    """Whether a token can be part of an author phrase (names, titles, list joints)."""
    if token in {",", "&"}:
        return True
    if token[0].isupper():
        return not token.endswith(("'s", "’s"))
    return token in JOINT_WORDS or token in PARTICLES or _is_role_word(token)


def _looks_like_name(words: list[str]) -> bool:
    """A personal name by its shape: capitalised words, initials, surname particles."""
    core = [w for w in words if w not in PARTICLES]
    if not core or words[0] in PARTICLES or _is_initial(words[-1]):
        return False
    if len([w for w in core if not _is_initial(w)]) > MAX_NAME_WORDS:
        return False
    if _bare(words[0]) in NON_NAME_STARTS and not _is_initial(words[0]):
        return False
    return all(_is_name_word(w) and _bare(w) not in INSTITUTION_WORDS for w in core)


SUBJECT = "<subject>"  # a phrase naming someone written about ("Mayor Steve Rotheram")


def _parse_conjunct(words: list[str], registry: AuthorRegistry) -> str | None:
    """The name in one list item: "" for a bare job title, SUBJECT, or None if no name."""
    words = _strip_honours(_drop_affiliation(words))
    if not words:
        return None
    if _is_role_only(words):
        return SUBJECT if any(_bare(w) in SUBJECT_TITLES for w in words) else ""
    title, name = _strip_title(words)
    if any(_bare(w) in SUBJECT_TITLES for w in title):
        return SUBJECT
    if any(not (w[0].isupper() or _is_role_word(w)) for w in title):
        return None
    name = [w if _is_initial(w) else w.rstrip(".") for w in name]
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
    if not phrase or not (phrase[-1][0].isupper() or _is_role_word(phrase[-1])):
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
    return bool(words) and _bare(words[-1]) in LEAD_IN_WORDS


def _names_after_by(tokens: list[str], by: int, registry: AuthorRegistry) -> list[_Candidate]:
    """Authors named after "by" in a byline ("a blog by Jane Doe and John Smith")."""
    opens = by == 0 or _ends_sentence(tokens[by - 1])
    if not opens and _bare(tokens[by - 1]) not in BYLINE_WORDS:
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
    if _bare(tokens[at]) not in WRITING_NOUNS:
        return []
    while at > 0 and tokens[at - 1] in POSSESSIVE_ADJECTIVES:
        at -= 1
    owner = tokens[at - 1] if at > 0 else ""
    for mark in ("'s", "’s"):
        if owner.endswith(mark) and len(owner) > len(mark):
            return _names_before([*tokens[: at - 1], owner[: -len(mark)]], at, registry)
    return []


def _candidates(text: str, registry: AuthorRegistry) -> list[_Candidate]:
    tokens = _TOKEN.findall(_PARENTHESES.sub(" ", text))
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


# --- the authors column ---------------------------------------------------------------------


LIST_OF_STRINGS = pa.list_(pa.string())


def _as_list(cell: object) -> list[str]:
    """One list cell as a list of strings (a lone string, a tuple or an array; else empty)."""
    if isinstance(cell, str):
        return [cell]
    if isinstance(cell, list | tuple) or hasattr(cell, "tolist"):
        return [v for v in list(cell) if isinstance(v, str)]
    return []


def string_lists(column: Iterable | None, length: int) -> pa.ListArray:
    """A list column (authors, tags, topics) as Arrow lists of strings; missing cells empty."""
    if column is None:
        return pa.array([[] for _ in range(length)], type=LIST_OF_STRINGS)
    if isinstance(column, pd.Series) and isinstance(column.dtype, pd.ArrowDtype):
        return list_array(column)
    cells = list(column)
    try:
        if str in set(map(type, cells)):  # Arrow would split a bare string into letters
            raise pa.ArrowInvalid("a bare string in a list column")
        lists = pa.array(cells, type=LIST_OF_STRINGS, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        lists = pa.array([_as_list(cell) for cell in cells], type=LIST_OF_STRINGS)
    return lists.fill_null(pa.scalar([], type=LIST_OF_STRINGS))


def author_column(frame: pd.DataFrame, registry: AuthorRegistry) -> pd.Series:
    """Canonical authors per post: structured fields first, else names cued in the summary.

    Rows are grouped by their author cell, so each distinct cell is resolved once.
    """
    cells = string_lists(frame.get("authors"), len(frame))
    # Each distinct field is resolved once; a post's names are its fields' names in byline
    # order without repeats (by name key), exactly as canonical_authors gives them.
    fields = pc.dictionary_encode(pc.list_flatten(cells))
    cache: dict[str, Resolved] = {}
    resolved = []
    for field in fields.dictionary.to_pylist():
        if field not in cache:
            cache[field] = _resolve_field(field, registry, cache)
        resolved.append(cache[field])
    names = pa.array([[n for n, _ in r] for r in resolved], LIST_OF_STRINGS).take(fields.indices)
    keys = pa.array([[k for _, k in r] for r in resolved], LIST_OF_STRINGS).take(fields.indices)
    field_rows = pc.list_parent_indices(cells).to_numpy(zero_copy_only=False)
    rows = field_rows[pc.list_parent_indices(names).to_numpy(zero_copy_only=False)]
    key_codes = pc.dictionary_encode(pc.list_flatten(keys)).indices
    key_codes = key_codes.to_numpy(zero_copy_only=False).astype(np.int64)
    keep = first_of_pairs(rows, key_codes)
    lists = grouped_lists(pc.list_flatten(names).filter(pa.array(keep)), rows[keep], len(frame))
    unnamed = np.flatnonzero(pc.list_value_length(lists).to_numpy(zero_copy_only=False) == 0)
    if len(unnamed) and "summary" in frame:
        found: dict[str, int] = {}  # each distinct summary is read once
        extra: list[list[str]] = []
        index = np.arange(len(frame))
        for position, summary in zip(unnamed, frame["summary"].iloc[unnamed], strict=True):
            if isinstance(summary, str):
                if summary not in found:
                    found[summary] = len(extra)
                    extra.append(authors_in_text(summary, registry))
                index[position] = len(frame) + found[summary]
        if extra:
            lists = pa.concat_arrays([lists, pa.array(extra, type=LIST_OF_STRINGS)])
            lists = lists.take(pa.array(index))
    return list_series(lists, frame.index)
