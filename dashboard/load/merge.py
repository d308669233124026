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

RANK = {"article": 0, "feed": 1, "record": 1, "listing": 2}


def url_keys(urls: pd.Series) -> pd.Series:
    """Canonical URL keys (see ``dashboard.schema.url_key``), vectorised."""
    text = urls.astype("string").str.strip()
    text = text.str.replace(r"#.*$", "", regex=True)
    text = text.str.replace(r"(?i)^[a-z][a-z0-9+.\-]*://", "", regex=True)
    host = text.str.extract(r"^([^/?]*)(.*)$")
    hosts = host[0].str.lower().str.replace(r"^www\.", "", regex=True)
    hosts = hosts.str.replace(r":(80|443)$", "", regex=True)
    rest = host[1].str.replace(r"/+(\?|$)", r"\1", regex=True)
    return hosts + rest


def title_keys(titles: pd.Series) -> pd.Series:
    """Titles reduced to lower-case letters and digits (see ``dashboard.schema.title_key``)."""
    text = titles.astype("string").str.normalize("NFKC").str.casefold()
    return text.str.replace(r"[\W_]+", "", regex=True)


def group_ids(rows: pd.DataFrame) -> np.ndarray:
    """A group number per row: rows that share a URL key or a title-and-date key share a group."""
    n = len(rows)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    tkey = title_keys(rows["title"]) + "|" + rows["published"].dt.strftime("%Y-%m-%d")
    ukey = url_keys(rows["url"])
    labels = pd.Series(pd.factorize(tkey)[0], index=rows.index)
    has_url = ukey.notna()
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


def _union(lists) -> list[str]:
    result: list[str] = []
    for items in lists:
        for item in items:
            if item not in result:
                result.append(item)
    return result


def merge_rows(rows: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The merged posts, and for each input row whether it was merged into another row."""
    rows = rows.reset_index(drop=True)
    groups = group_ids(rows)
    rank = rows["kind"].map(RANK).fillna(1).astype(int).to_numpy()
    order = np.lexsort((np.arange(len(rows)), rank, groups))
    ordered = rows.iloc[order].reset_index(drop=True)
    ordered_groups = groups[order]
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered_groups[1:] != ordered_groups[:-1]
    merged_into_other = np.zeros(len(rows), dtype=bool)
    merged_into_other[order[~first]] = True
    posts = ordered[first].reset_index(drop=True)
    if (~first).any():
        shared = pd.Series(ordered_groups).duplicated(keep=False).to_numpy()
        multi = ordered[shared]
        keys = ordered_groups[shared]
        combined = {}
        for column in ("authors", "tags", "topics"):
            combined[column] = multi.groupby(keys, sort=False)[column].agg(_union)
        for column in ("url", "summary"):
            combined[column] = multi.groupby(keys, sort=False)[column].first()
        head_groups = ordered_groups[first]
        index_of = {g: i for i, g in enumerate(head_groups)}
        for column, values in combined.items():
            column_values = posts[column].tolist()
            for group, value in values.items():
                column_values[index_of[group]] = value
            posts[column] = pd.Series(column_values, dtype=object)
    posts["post_id"] = post_ids(posts)
    return posts, merged_into_other


def post_ids(posts: pd.DataFrame) -> list[str]:
    """Stable ids: a hash of the canonical URL when there is one, else of title and date."""
    ukey = url_keys(posts["url"])
    tkey = title_keys(posts["title"]) + "|" + posts["published"].dt.strftime("%Y-%m-%d")
    basis = ("url:" + ukey).fillna("title:" + tkey)
    return [hashlib.sha1(b.encode("utf-8")).hexdigest()[:16] for b in basis.tolist()]
