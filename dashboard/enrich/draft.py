"""Drafts of a new blog's registries from its own posts, for staff to edit.

``draft_authors`` gathers the people the posts name and merges spellings of one person (case,
accents, dots, a title, an initial for a first name) as aliases of the most used spelling.
``draft_topics`` takes the blog's own categories and tags (near-duplicates merged, generic ones
such as "Blog" or "Uncategorized" left out) or, for a blog without enough of them, the phrases
that recur in its titles and summaries. Each returns TOML text whose comments say how many posts
an entry covers. Pure functions over the posts table: the ``init`` command loads the posts.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from dashboard.enrich.names import HONORIFICS, ROLE_WORDS, name_key
from dashboard.enrich.recognition import CUE_VERBS

GENERIC_TAGS = frozenset(
    "blog blogs post posts article articles news uncategorized uncategorised featured general "
    "misc miscellaneous home latest other others update updates opinion comment blog post "
    "front page highlights all".split()
)
MAX_TOPICS = 30
MIN_TOPICS = 3
MIN_POSTS = 2  # a tag or phrase on fewer posts is no topic
TAG_SHARE = 0.5  # tags must reach this share of posts, else phrases from the text are used
IDENTITY_SHARE = 0.3  # a phrase in more posts than this names the blog or its place, no topic
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    yourself yourselves new how why what can will may might must us one two three first last
    year years time way ways blog post posts look looks looking part series week today says
    said make makes made need needs get gets us it's don't we're they're here's also""".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# --- authors ----------------------------------------------------------------------------------


def _person_key(name: str) -> str:
    """A name reduced to what tells people apart: no case, accents, dots or title."""
    words = name_key(name).split()
    while len(words) > 1 and words[0].rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def _initial_key(key: str) -> str | None:
    """ "j smith" for "john smith" and "j smith": the first-name initial and the rest."""
    words = key.split()
    return f"{words[0][0]} {' '.join(words[1:])}" if len(words) > 1 and words[0] else None


def author_groups(names: Iterable[str]) -> list[tuple[str, list[str], int]]:
    """(canonical name, aliases, posts) per person, most posts first. Spellings that reduce to
    the same key are one person; a spelling with an initial joins the one full name it fits."""
    counts = Counter(n.strip() for n in names if isinstance(n, str) and n.strip())
    by_key: dict[str, Counter] = defaultdict(Counter)
    for name, count in counts.items():
        by_key[_person_key(name)][name] += count
    full = defaultdict(list)  # initial key -> full-name keys that fit it
    for key in by_key:
        first = key.split()[0] if key else ""
        if len(first.rstrip(".")) > 1 and (initial := _initial_key(key)):
            full[initial].append(key)
    for key in list(by_key):
        words = key.split()
        if len(words) > 1 and len(words[0].rstrip(".")) == 1:
            fits = full.get(_initial_key(key) or "", [])
            if len(fits) == 1:  # an initial joins the one full name it fits, not a guess
                by_key[fits[0]].update(by_key.pop(key))
    groups = []
    for spellings in by_key.values():
        # the most used spelling; on a tie the fullest (longest, then with its accents)
        ordered = sorted(
            spellings.items(),
            key=lambda item: (
                -item[1],
                -len(item[0]),
                -sum(ord(c) > 127 for c in item[0]),
                item[0],
            ),
        )
        canonical = ordered[0][0]
        groups.append((canonical, [s for s, _ in ordered[1:]], sum(spellings.values())))
    return sorted(groups, key=lambda g: (-g[2], g[0].casefold()))


def draft_authors(posts: pd.DataFrame) -> str:
    """``authors.toml`` text: one entry per person the posts name, with the other spellings
    as aliases and a comment saying on how many posts they appear."""
    names = [name for cell in posts["authors"] for name in (cell if cell is not None else [])]
    lines = [
        "# Authors of the blog, drafted from its posts: one [[author]] entry per person.",
        "# Check the merged spellings (aliases) and add roles; see docs/authors-and-topics.md.",
    ]
    for canonical, aliases, count in author_groups(names):
        lines += ["", f"# {count} post{'s' if count != 1 else ''}", "[[author]]"]
        lines.append(f"name = {_quoted(canonical)}")
        if aliases:
            lines.append(f"aliases = [{', '.join(_quoted(a) for a in aliases)}]")
    return "\n".join(lines) + "\n"


# --- topics -----------------------------------------------------------------------------------


def tag_key(tag: str) -> str:
    """A tag reduced for merging near-duplicates: case, spacing, hyphens, "&" and a plural
    "s" ignored ("Local Government", "local-government", "Local governments")."""
    text = str(tag).casefold().replace("&", " and ").replace("-", " ").replace("_", " ")
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                    for w in words)  # fmt: skip


def tag_topics(posts: pd.DataFrame) -> list[tuple[str, list[str], int]]:
    """(name, aliases, posts) per group of the blog's own tags, generic ones left out, most
    posts first, each on at least ``MIN_POSTS`` posts."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    covered: dict[str, set[int]] = defaultdict(set)
    for row, cell in enumerate(posts["tags"]):
        for tag in cell if cell is not None else []:
            key = tag_key(tag)
            if not key or key in GENERIC_TAGS or tag.strip().startswith("#"):
                continue
            spellings[key][tag.strip()] += 1
            covered[key].add(row)
    topics = []
    for key, names in spellings.items():
        if len(covered[key]) < MIN_POSTS:
            continue
        ordered = sorted(names.items(), key=lambda item: (-item[1], item[0]))
        topics.append((ordered[0][0], [n for n, _ in ordered[1:]], len(covered[key])))
    return sorted(topics, key=lambda t: (-t[2], t[0].casefold()))


def _phrases(text: str) -> set[str]:
    """The words and two-word phrases of a text, without stopwords at either end."""
    words = [w.casefold().strip("'’-") for w in _WORD.findall(text or "")]
    found = {w for w in words if len(w) > 3 and w not in STOPWORDS}
    for a, b in zip(words, words[1:], strict=False):
        if a not in STOPWORDS and b not in STOPWORDS and len(a) > 2 and len(b) > 2:
            found.add(f"{a} {b}")
    return found


def phrase_topics(posts: pd.DataFrame, limit: int = MAX_TOPICS) -> list[tuple[str, list[str], int]]:
    """(name, keywords, posts) for phrases that recur in titles and summaries, chosen greedily
    to cover the most posts not yet covered (a phrase covering few new posts is not taken; one
    in more than ``IDENTITY_SHARE`` of the posts names the blog itself, not a topic)."""
    texts = (posts["title"].fillna("") + " " + posts.get("summary", "").fillna("")).tolist()
    holders: dict[str, set[int]] = defaultdict(set)
    for row, text in enumerate(texts):
        for phrase in _phrases(text):
            holders[phrase].add(row)
    most = max(MIN_POSTS, IDENTITY_SHARE * len(texts))
    # words that name the blog, its place, its people or their jobs make no topic
    excluded = {p for p, rows in holders.items() if " " not in p and len(rows) > most}
    for cell in posts["authors"]:
        excluded.update(
            w for name in (cell if cell is not None else []) for w in name_key(name).split()
        )
    excluded |= ROLE_WORDS | CUE_VERBS
    candidates = {
        p: rows
        for p, rows in holders.items()
        if MIN_POSTS <= len(rows) <= most and not excluded.intersection(p.split())
    }
    chosen, covered = [], set()
    while candidates and len(chosen) < limit:
        # new posts covered, a two-word phrase counting double: it says more than a word
        phrase = min(
            candidates,
            key=lambda p: (-len(candidates[p] - covered) * (2 if " " in p else 1), p),
        )
        fresh = candidates.pop(phrase) - covered
        if len(fresh) < MIN_POSTS:
            break
        chosen.append((phrase, holders[phrase]))
        covered |= holders[phrase]
    return [(p[:1].upper() + p[1:], [p], len(rows)) for p, rows in chosen]


def draft_topics(posts: pd.DataFrame) -> tuple[str, str]:
    """``topics.toml`` text, and where its topics came from ("tags" or "phrases")."""
    topics = tag_topics(posts)[:MAX_TOPICS]
    tagged = set()
    for row, cell in enumerate(posts["tags"]):
        keys = {tag_key(t) for t in (cell if cell is not None else [])}
        if keys & {tag_key(name) for name, _, _ in topics}:
            tagged.add(row)
    origin = "tags"
    if len(topics) < MIN_TOPICS or len(tagged) < TAG_SHARE * len(posts):
        topics, origin = phrase_topics(posts), "phrases"
    lines = [
        "# Topics of the blog, drafted from its "
        + ("own categories and tags" if origin == "tags" else "titles and summaries")
        + ": one [[topic]] entry each.",
        "# Rename, merge and add keywords; see docs/authors-and-topics.md.",
    ]
    for name, extra, count in topics:
        lines += ["", f"# covers {count} post{'s' if count != 1 else ''}", "[[topic]]"]
        lines.append(f"name = {_quoted(name)}")
        if origin == "tags":
            if extra:
                lines.append(f"aliases = [{', '.join(_quoted(a) for a in extra)}]")
            lines.append(f"keywords = [{_quoted(name.casefold())}]")
        else:
            lines.append(f"keywords = [{', '.join(_quoted(k) for k in extra)}]")
    return "\n".join(lines) + "\n", origin
