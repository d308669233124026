"""Long tables and counts per group: one row per post and author (or topic), the names in them,
and what is counted over them (posts per author or topic, co-authors, authors by topic).

A long table (see ``explode_list``) is built once per dataset; its name column is categorical,
so counting works on integer codes (``name_codes``) rather than on strings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.schema import first_of_pairs, list_array

OTHERS = "Others (combined)"


# --- Long tables ------------------------------------------------------------------------------


def explode_list(posts: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """One row per post and list item: ``row`` (the post's index), ``name``, ``published``.

    A value repeated within one post counts once for it.
    """
    values = list_array(posts[column])
    flat = pc.list_flatten(values)
    parents = pc.list_parent_indices(values).to_numpy(zero_copy_only=False)
    valid = pc.is_valid(flat).to_numpy(zero_copy_only=False)
    flat = flat.filter(pa.array(valid))
    parents = parents[valid]
    encoded = flat.dictionary_encode()
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    first = _first_in_list(parents, codes)
    parents = parents[first]
    index = posts.index
    plain = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    return pd.DataFrame(
        {
            "row": parents.astype(np.int64) if plain else index.to_numpy()[parents],
            name: pd.Categorical.from_codes(
                codes[first], categories=encoded.dictionary.to_pylist()
            ),
            "published": posts["published"].to_numpy()[parents],
        }
    )


def explode_list_plain(posts: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """``explode_list`` as ordinary pandas, the definition: the lists exploded, missing items and
    repeats within a post dropped, names as categories in order of first appearance."""
    long = pd.DataFrame(
        {"row": posts.index, name: list(posts[column]), "published": posts["published"].to_numpy()}
    )
    long = long.explode(name).dropna(subset=[name]).drop_duplicates(["row", name])
    categories = pd.CategoricalDtype(list(long[name].unique()))
    return long.astype({name: categories}).reset_index(drop=True)


SHORT_LISTS = 16  # up to this many items per list, repeats are found by comparing neighbours


def _first_in_list(parents: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Whether each item is the first of its value in its list (``parents`` ascending).

    A repeat lies fewer places back than the longest list is long, so with short lists
    comparing each item with the few before it is several times faster than hashing pairs.
    ``first_of_pairs_plain`` (in ``dashboard.schema``) is the definition.
    """
    first = np.ones(len(codes), dtype=bool)
    longest = int(np.bincount(parents).max()) if len(parents) else 0
    if longest > SHORT_LISTS:  # one number per (list, value) pair, hashed
        return first_of_pairs(parents, codes)
    for back in range(1, longest):
        first[back:] &= (codes[back:] != codes[:-back]) | (parents[back:] != parents[:-back])
    return first


def list_lengths(values: pd.Series) -> np.ndarray:
    """The number of items in each list of a list column (0 for a missing list)."""
    lengths = pc.list_value_length(list_array(values))
    return lengths.fill_null(0).to_numpy(zero_copy_only=False)


# --- Names and their codes --------------------------------------------------------------------


def name_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """The integer codes of a name column (-1 for missing) and the names they stand for.

    A categorical column (a long table's) gives its own codes and categories, which may include
    names no row has; other columns are factorized. Categories of strings are kept as they are
    rather than converted one by one, which matters with many names.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        names = (
            categories.tolist()
            if pd.api.types.is_string_dtype(categories.dtype) and categories.dtype != object
            else [str(c) for c in categories]
        )
        return values.cat.codes.to_numpy(), names
    codes, names = pd.factorize(values)
    return codes, [str(n) for n in names]


def ranked_groups(counts: np.ndarray, names: list[str]) -> list[int]:
    """Positions of the groups with rows: most rows first, then by name, ``OTHERS`` last."""
    return sorted(
        (i for i in range(len(names)) if counts[i] > 0),
        key=lambda i: (names[i] == OTHERS, -counts[i], names[i]),
    )


def ranked_codes(values: pd.Series) -> tuple[np.ndarray, list[str], list[int]]:
    """Codes and names (see ``name_codes``) and the groups' positions ranked by size (see
    ``ranked_groups``)."""
    codes, names = name_codes(values)
    sizes = np.bincount(codes[codes >= 0], minlength=len(names))
    return codes, names, ranked_groups(sizes, names)


def names_present(values: pd.Series) -> list[str]:
    """The distinct names of a name column, in code order. A filtered long table keeps every
    category, so the codes that occur are counted (a bincount, no sorting)."""
    codes, names = name_codes(values)
    present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=len(names)))
    return [names[c] for c in present]


def names_present_plain(values: pd.Series) -> list[str]:
    """``names_present`` as ordinary pandas, the definition (in any order): the distinct names."""
    return [str(name) for name in values.dropna().unique()]


# --- Authors ----------------------------------------------------------------------------------


def author_stats(authors: pd.DataFrame) -> pd.DataFrame:
    """Per author: ``posts`` (shared posts count fully for each), ``first_post``, ``last_post``."""
    if authors.empty:
        return pd.DataFrame({"author": [], "posts": [], "first_post": [], "last_post": []}).astype(
            {"posts": "int64", "first_post": "datetime64[ns]", "last_post": "datetime64[ns]"}
        )
    grouped = authors.groupby("author", observed=True)["published"]
    stats = pd.DataFrame(
        {"posts": grouped.size(), "first_post": grouped.min(), "last_post": grouped.max()}
    ).reset_index()
    stats["author"] = stats["author"].astype(str)
    stats["posts"] = stats["posts"].astype("int64")
    return stats.sort_values(["posts", "author"], ascending=[False, True], ignore_index=True)


def unattributed(posts: pd.DataFrame) -> tuple[int, float]:
    """The number and share of posts that name no author (share 0 when there are no posts)."""
    count = int((list_lengths(posts["authors"]) == 0).sum())
    return count, (count / len(posts) if len(posts) else 0.0)


def coauthor_pairs(authors: pd.DataFrame) -> pd.DataFrame:
    """Pairs of authors who wrote together: ``author``, ``coauthor`` (alphabetical), ``pair``
    (both names) and ``posts``, most frequent first."""
    codes, names = name_codes(authors["author"])
    rows = authors["row"].to_numpy()
    known = codes >= 0
    codes, rows = codes[known], rows[known]
    order = np.argsort(rows, kind="stable")  # a post's authors side by side
    codes, rows = codes[order], rows[order]
    rank = np.empty(len(names), dtype=np.int64)  # alphabetical position of each name
    rank[np.argsort(np.array(names, dtype=object), kind="stable")] = np.arange(len(names))
    firsts, seconds = [], []
    step = 1
    while step < len(rows):  # every pair of authors of one post, whatever the byline's length
        same = np.flatnonzero(rows[step:] == rows[:-step])
        if not len(same):
            break
        a, b = codes[same], codes[same + step]
        swap = rank[a] > rank[b]
        firsts.append(np.where(swap, b, a))
        seconds.append(np.where(swap, a, b))
        step += 1
    first = np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.int64)
    second = np.concatenate(seconds) if seconds else np.zeros(0, dtype=np.int64)
    distinct = first != second
    keys = first[distinct].astype(np.int64) * len(names) + second[distinct]
    pair_keys, pair_counts = np.unique(keys, return_counts=True)
    table = pd.DataFrame(
        {
            "author": pd.Series([names[k // len(names)] for k in pair_keys], dtype=object),
            "coauthor": pd.Series([names[k % len(names)] for k in pair_keys], dtype=object),
            "posts": pair_counts.astype("int64"),
        }
    )
    table["pair"] = table["author"] + " & " + table["coauthor"]
    return table.sort_values(
        ["posts", "author", "coauthor"], ascending=[False, True, True], ignore_index=True
    )[["author", "coauthor", "pair", "posts"]]


def coauthor_pairs_plain(authors: pd.DataFrame) -> pd.DataFrame:
    """``coauthor_pairs`` as ordinary pandas, the definition: each post's authors, two by two."""
    bylines = authors[["row", "author"]].dropna().astype({"author": object})
    both = bylines.merge(bylines.rename(columns={"author": "coauthor"}), on="row")
    both = both[both["author"] < both["coauthor"]]
    table = both.groupby(["author", "coauthor"]).size().reset_index(name="posts")
    table["pair"] = table["author"] + " & " + table["coauthor"]
    return table.sort_values(
        ["posts", "author", "coauthor"], ascending=[False, True, True], ignore_index=True
    )[["author", "coauthor", "pair", "posts"]]


# --- Topics and other groups ------------------------------------------------------------------


def group_counts(long: pd.DataFrame, column: str) -> pd.DataFrame:
    """Posts per value of a long table (``column``, ``posts``), most first, then by name."""
    codes, names, ranked = ranked_codes(long[column])
    sizes = np.bincount(codes[codes >= 0], minlength=len(names))
    return pd.DataFrame(
        {
            column: pd.Series([names[i] for i in ranked], dtype=object),
            "posts": sizes[ranked].astype("int64"),
        }
    )


def group_counts_plain(long: pd.DataFrame, column: str) -> pd.DataFrame:
    """``group_counts`` as ordinary pandas, the definition: the values counted, then ranked."""
    counts = long[column].dropna().astype(object).value_counts()
    ranked = sorted(counts.index, key=lambda name: (name == OTHERS, -counts[name], name))
    return pd.DataFrame(
        {
            column: pd.Series(ranked, dtype=object),
            "posts": counts[ranked].to_numpy(dtype="int64"),
        }
    )


def topic_counts(topics: pd.DataFrame) -> pd.DataFrame:
    """Posts per topic (``topic``, ``posts``); a post on several topics counts for each."""
    return group_counts(topics, "topic")


def top_groups(long: pd.DataFrame, column: str, keep: int) -> pd.DataFrame:
    """The long table with every value outside the ``keep`` most frequent renamed ``OTHERS``."""
    codes, names, ranked = ranked_codes(long[column])
    top = ranked[:keep]
    mapping = np.full(len(names) + 1, len(top))  # everything else: the last category, OTHERS
    mapping[top] = np.arange(len(top))
    mapping[-1] = -1  # a missing value stays missing
    categories = [names[i] for i in top] + [OTHERS]
    renamed = pd.Categorical.from_codes(mapping[codes], categories=categories)
    return long.assign(**{column: renamed})


def top_groups_plain(long: pd.DataFrame, column: str, keep: int) -> pd.DataFrame:
    """``top_groups`` as ordinary pandas, the definition: the names ranked after ``keep``
    replaced by ``OTHERS``, missing names left missing."""
    top = list(group_counts_plain(long, column)[column][:keep])
    values = long[column].astype(object)
    renamed = values.where(values.isin(top) | values.isna(), OTHERS)
    return long.assign(**{column: pd.Categorical(renamed, categories=[*top, OTHERS])})


def _runs(begin: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions ``begin[i] .. begin[i] + sizes[i] - 1`` of every run, one after another."""
    ends = np.cumsum(sizes)
    return np.repeat(begin - ends + sizes, sizes) + np.arange(ends[-1] if len(ends) else 0)


def author_topic_matrix(authors: pd.DataFrame, topics: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Posts per author (the ``top`` most prolific, rows) and topic (columns), zeros included.

    Topics come in order of their posts among these authors, most first.
    """
    author_codes, author_names, ranked = ranked_codes(authors["author"])
    chosen = np.isin(author_codes, ranked[:top])
    topic_codes, topic_names = name_codes(topics["topic"])
    topic_rows = topics["row"].to_numpy()
    known = topic_codes >= 0
    topic_codes, topic_rows = topic_codes[known], topic_rows[known]
    by_row = np.argsort(topic_rows, kind="stable")
    topic_codes, topic_rows = topic_codes[by_row], topic_rows[by_row]
    author_rows, author_codes = authors["row"].to_numpy()[chosen], author_codes[chosen]
    # Each chosen (post, author) meets the post's topics: a run of the row-sorted topics.
    begin = np.searchsorted(topic_rows, author_rows, side="left")
    sizes = np.searchsorted(topic_rows, author_rows, side="right") - begin
    if not sizes.sum():
        return pd.DataFrame(dtype="int64")
    met = _runs(begin, sizes)
    a, t = np.repeat(author_codes, sizes), topic_codes[met]
    posts_of_chosen = np.zeros(len(topic_rows), dtype=bool)  # each post once per topic
    posts_of_chosen[met] = True
    topic_posts = np.bincount(topic_codes[posts_of_chosen], minlength=len(topic_names))
    topic_order = ranked_groups(topic_posts, topic_names)
    cells = np.bincount(
        a.astype(np.int64) * len(topic_names) + t, minlength=len(author_names) * len(topic_names)
    ).reshape(len(author_names), -1)
    rows = [a for a in ranked[:top] if cells[a].any()]
    return pd.DataFrame(
        cells[np.ix_(rows, topic_order)],
        index=pd.Index([author_names[a] for a in rows], name="author"),
        columns=pd.Index([topic_names[t] for t in topic_order], name="topic"),
    )


def author_topic_matrix_plain(
    authors: pd.DataFrame, topics: pd.DataFrame, top: int = 15
) -> pd.DataFrame:
    """``author_topic_matrix`` as ordinary pandas, the definition: the ``top`` authors' rows
    merged with their posts' topics, and counted."""
    leading = group_counts_plain(authors, "author")["author"][:top]
    pairs = authors[authors["author"].isin(leading)].merge(topics, on="row")
    pairs = pairs.dropna(subset=["topic"]).astype({"author": object, "topic": object})
    if pairs.empty:
        return pd.DataFrame(dtype="int64")
    cells = pd.crosstab(pairs["author"], pairs["topic"])
    topic_posts = pairs.drop_duplicates(["row", "topic"])["topic"].value_counts()
    columns = sorted(topic_posts.index, key=lambda t: (t == OTHERS, -topic_posts[t], t))
    rows = [author for author in leading if author in cells.index]
    return cells.loc[rows, columns].astype("int64")
