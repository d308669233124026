"""One row per post: records of the same post (same canonical URL, or same title and date) merge.

Two records are the same post when their URLs agree once scheme, ``www.``, trailing slash and
fragment are ignored, or when their titles agree letter for letter (ignoring case, punctuation
and quoting) on the same date. Matching is transitive: a listing entry (no URL) joins its
article page through title and date, and the article joins a feed item through the URL.

Within a merged post, records rank article page > feed or records file > listing page: the best
ranked record gives the title, date, URL, summary and source; authors, tags and topics are the
union in rank order. Listing pages carry no structured authors, so an article's byline wins.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.schema import (
    LIST_COLUMNS,
    LIST_TYPE,
    list_array,
    list_series,
    replace_rows,
    string_array,
)

STRING = "string[pyarrow]"
RANK = {"article": 0, "feed": 1, "record": 1, "listing": 2}


URL_KEY_RULES = (  # (pattern, replacement), applied in order: the definition of a URL key
    (r"#.*$", ""),  # the fragment
    (r"^[a-z][a-z0-9+.\-]*://(www\.)?", ""),  # the scheme and www.
    (r"^([^/?]*):(?:80|443)(/|\?|$)", r"\1\2"),  # a default port
    (r"/+(\?|$)", r"\1"),  # trailing slashes, of the path
)
TITLE_KEY_DROP = r"[^\p{L}\p{N}]+"
_ALPHANUMERIC = np.zeros(256, dtype=bool)  # the bytes a-z and 0-9
_ALPHANUMERIC[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)] = True


def url_keys(urls: pd.Series) -> pd.Series:
    """Canonical URL keys: lower case, no scheme, no ``www.``, default port, fragment or
    trailing slash. Lower-casing the path too merges the rare URLs that differ only in case.

    ``URL_KEY_RULES`` defines the key as regular expressions. The common address (http or
    https, no fragment, port or query) takes cheap prefix and suffix operations instead, which
    give the same key; only the addresses that need it go through each expression.
    """
    text = pc.utf8_lower(pc.utf8_trim_whitespace(string_array(urls)))
    text = _where(text, pc.match_substring(text, "#"), text, lambda t: _rule(t, 0))
    https = pc.fill_null(pc.starts_with(text, "https://"), False)
    http = pc.fill_null(pc.starts_with(text, "http://"), False)
    web = pc.or_(https, http)
    text = pc.if_else(
        https,
        pc.utf8_slice_codeunits(text, 8),
        pc.if_else(http, pc.utf8_slice_codeunits(text, 7), text),
    )
    www = pc.and_(web, pc.fill_null(pc.starts_with(text, "www."), False))
    text = pc.if_else(www, pc.utf8_slice_codeunits(text, 4), text)
    text = _where(text, pc.invert(web), text, lambda t: _rule(t, 1))  # any other scheme
    text = _where(text, pc.match_substring(text, ":"), text, lambda t: _rule(t, 2))
    query = pc.fill_null(pc.match_substring(text, "?"), False)
    text = _where(pc.utf8_rtrim(text, characters="/"), query, text, lambda t: _rule(t, 3))
    return pd.Series(pd.arrays.ArrowStringArray(text), index=urls.index, dtype=STRING)


def title_keys(titles: pd.Series) -> pd.Series:
    """Titles reduced to lower-case letters and digits (see ``dashboard.schema.title_key``).

    The key is the lower-cased title without ``TITLE_KEY_DROP``. An ASCII title's key is made
    by keeping its bytes a-z and 0-9, which is the same and many times faster; only titles with
    other characters go through the expression.
    """
    text = pc.utf8_lower(string_array(titles))
    other = pc.invert(pc.fill_null(pc.string_is_ascii(text), True))
    keys = _where(
        _ascii_alphanumerics(text),
        other,
        text,
        lambda t: pc.replace_substring_regex(t, TITLE_KEY_DROP, ""),
    )
    keys = pc.if_else(pc.is_valid(text), keys, pa.scalar(None, pa.string()))
    return pd.Series(pd.arrays.ArrowStringArray(keys), index=titles.index, dtype=STRING)


def _rule(text: pa.Array, number: int) -> pa.Array:
    pattern, replacement = URL_KEY_RULES[number]
    return pc.replace_substring_regex(text, pattern, replacement)


def _where(target: pa.Array, mask: pa.Array, source: pa.Array, change) -> pa.Array:
    """``target`` with each value under ``mask`` replaced by ``change`` of ``source``'s."""
    mask = pc.fill_null(mask, False)
    if not pc.any(mask).as_py():
        return target
    return pc.replace_with_mask(target, mask, change(pc.filter(source, mask)))


def _ascii_alphanumerics(text: pa.StringArray) -> pa.StringArray:
    """Each value with every byte but a-z and 0-9 removed (meant for lower-cased ASCII)."""
    if not len(text):
        return text
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int32)
    offsets = offsets[text.offset : text.offset + len(text) + 1]
    data = np.frombuffer(text.buffers()[2] or b"", dtype=np.uint8)[offsets[0] : offsets[-1]]
    keep = _ALPHANUMERIC[data]
    # each value ends earlier by the bytes dropped before its end
    dropped = np.flatnonzero(~keep)
    starts = offsets - offsets[0]
    new_offsets = (starts - np.searchsorted(dropped, starts)).astype(np.int32)
    return pa.StringArray.from_buffers(
        len(text), pa.py_buffer(new_offsets), pa.py_buffer(data[keep].tobytes())
    )


def _keys(rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(title-and-date key, URL key) of each row."""
    dates = rows["published"].dt.strftime("%Y-%m-%d").astype(STRING)
    return title_keys(rows["title"]) + "|" + dates, url_keys(rows["url"])


def group_ids(tkey: pd.Series, ukey: pd.Series) -> np.ndarray:
    """A group number per row: rows that share a URL key or a title-and-date key share a group."""
    has_url = ukey.notna()
    if _distinct(tkey) and _distinct(ukey[has_url]):
        return np.arange(len(tkey))  # the common case of a clean archive: nothing to merge
    labels = pd.Series(pd.factorize(tkey)[0], index=tkey.index)
    while True:  # propagate the smallest label through both keys until nothing changes
        before = labels
        if has_url.any():
            by_url = labels[has_url].groupby(ukey[has_url].to_numpy()).transform("min")
            labels = labels.copy()
            labels[has_url] = by_url
        labels = labels.groupby(tkey.to_numpy()).transform("min")
        if labels.equals(before):
            break
    return labels.to_numpy()


def _distinct(keys: pd.Series) -> bool:
    """Whether no key occurs twice (Arrow's hash table is several times faster than pandas')."""
    return len(pc.unique(string_array(keys))) == len(keys)


def _union(lists) -> list[str]:
    result: list[str] = []
    for items in lists:
        for item in items:
            if item not in result:
                result.append(item)
    return result


def merge_rows(rows: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The merged posts, and for each input row whether it joined a post an earlier row made."""
    rows = rows.reset_index(drop=True)
    rows["_tkey"], rows["_ukey"] = _keys(rows)
    groups = group_ids(rows["_tkey"], rows["_ukey"])
    if len(np.unique(groups)) == len(rows):
        return _with_ids(rows), np.zeros(len(rows), dtype=bool)
    rank = rows["kind"].map(RANK).fillna(1).astype(int).to_numpy()
    order = np.lexsort((np.arange(len(rows)), rank, groups))
    ordered = rows.iloc[order].reset_index(drop=True)
    ordered_groups = groups[order]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered_groups[1:] != ordered_groups[:-1]
    merged_into_other = pd.Series(groups).duplicated(keep="first").to_numpy()
    posts = ordered[first].reset_index(drop=True)
    if (~first).any():
        posts = _combine(posts, ordered, ordered_groups, first)
    return _with_ids(posts), merged_into_other


def _with_ids(posts: pd.DataFrame) -> pd.DataFrame:
    """Stable ids: a hash of the canonical URL when there is one, else of title and date."""
    basis = ("url:" + posts["_ukey"].astype(STRING)).fillna("title:" + posts["_tkey"])
    ids = [hashlib.sha1(b.encode("utf-8")).hexdigest()[:16] for b in basis.tolist()]
    return posts.drop(columns=["_tkey", "_ukey"]).assign(post_id=ids)


def _combine(posts, ordered, ordered_groups, first) -> pd.DataFrame:
    """Fill the head row of each merged group with the group's unions and first values."""
    shared = pd.Series(ordered_groups).duplicated(keep=False).to_numpy()
    multi = ordered[shared]
    by_group = multi.groupby(ordered_groups[shared], sort=False)
    heads = pd.Series(np.flatnonzero(first), index=ordered_groups[first])
    combined = {column: by_group[column].agg(_union) for column in LIST_COLUMNS}
    combined |= {column: by_group[column].first() for column in ("url", "summary", "_ukey")}
    where = heads.index.get_indexer(combined["url"].index)
    positions = np.searchsorted(np.flatnonzero(first), heads.to_numpy()[where])
    for column, values in combined.items():
        if column in LIST_COLUMNS:  # the merged lists replace the heads' lists, in Arrow
            current = list_array(posts[column])
            united = replace_rows(current, positions, pa.array(values.tolist(), type=LIST_TYPE))
            posts[column] = list_series(united, posts.index)
        else:
            column_values = posts[column].to_numpy(dtype=object, na_value=None).copy()
            column_values[positions] = values.to_numpy(dtype=object, na_value=None)
            posts[column] = pd.Series(column_values, index=posts.index, dtype=object)
    return posts
