"""A synthetic archive with the shape of a real institute blog, for benchmarks and demos.

Shape (all seeded, so the same arguments give the same file):
- 16 years, 2010-2025, with growth (the last year publishes about three times the first);
- weekdays busier than weekends; August, late December and early January quiet; a few silent
  spells of three to eight weeks with nothing at all;
- a long tail of authors: author ``k`` writes in proportion to ``(k + 5) ** -1.2``, so a few are
  prolific and most write a handful of posts or fewer; 6% of posts name nobody, 20% have two
  authors, 5% three;
- one to three topics per post from the taxonomy, some topics far more common than others;
- every record's ``source`` is ``synthetic (seed=N)``, so it can never pass for real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

FIRST_DAY, LAST_DAY = "2010-01-01", "2025-12-31"
FIRST_NAMES = (
    "Aisha Ben Cleo Dev Elena Femi Grace Hamid Ines Jonah Kavya Liam Maya Niall Olu Priya Quinn "
    "Rosa Sam Tariq Una Viktor Wen Xavier Yara Zoe Ada Bilal Carys Dara Eamon Fatima Gareth Hana "
    "Ivan Jess Kofi Lena Marek Nadia Owen Pia Rhys Sara Tom Uma Vera Will Yusuf Zara"
).split()
LAST_NAMES = (
    "Abbott Bello Chen Davies Evans Fraser Gallagher Hughes Iqbal Jones Kaur Lloyd Murphy Nowak "
    "Okafor Patel Quinn Roberts Singh Taylor Usman Vaughan Walsh Xu Young Zielinski Ahmed Brennan "
    "Clarke Doyle Ellis Flynn Grant Hart Irwin Jackson Kelly Lewis Moran Nolan"
).split()
VERBS = ("argues", "explores", "considers", "assesses", "reflects on", "looks at", "examines")
PLACES = (
    "Liverpool City Region",
    "the North West",
    "England",
    "the UK",
    "Merseyside",
    "Greater Manchester",
    "the North",
    "local government",
    "Westminster",
)
FALLBACK_TOPICS = (
    "Devolution",
    "Levelling up",
    "Health",
    "Housing",
    "Work",
    "Transport",
    "Elections",
    "Social economy",
    "Planning",
    "Growth",
)


def topic_names() -> tuple[str, ...]:
    """The topics of the bundled taxonomy (a fixed list if it cannot be read)."""
    try:
        from dashboard.enrich import DEFAULT_TOPICS
        from dashboard.enrich.topics import Taxonomy

        return tuple(t.name for t in Taxonomy.load(DEFAULT_TOPICS).topics) or FALLBACK_TOPICS
    except Exception:  # noqa: BLE001 - the archive must be generated whatever the registry holds
        return FALLBACK_TOPICS


def day_weights(days: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """How likely a post is on each day: growth, weekly rhythm, holidays, silent spells."""
    growth = np.linspace(0.5, 1.5, len(days))
    weekday = np.where(days.day_of_week < 5, 1.0, 0.15)
    month = np.select([days.month == 8, days.month == 12], [0.4, 0.6], 1.0)
    christmas = ((days.month == 12) & (days.day >= 20)) | ((days.month == 1) & (days.day <= 3))
    weights = growth * weekday * month * np.where(christmas, 0.05, 1.0)
    for start in rng.choice(len(days) - 60, size=8, replace=False):
        weights[start : start + rng.integers(21, 57)] = 0.0
    return weights / weights.sum()


def author_names(count: int) -> list[str]:
    """``count`` distinct, plausible names (first x last, then numbered if ever needed)."""
    names = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]
    rounds = -(-count // len(names))
    pool = [n if r == 0 else f"{n} {chr(65 + r)}." for r in range(rounds) for n in names]
    return pool[:count]


def _pick_lists(rng, n, pool_size, weights, sizes, size_p) -> list[list[int]]:
    """Per row, 0..k distinct indices into a weighted pool."""
    counts = rng.choice(sizes, size=n, p=size_p)
    draws = rng.choice(pool_size, size=(n, max(sizes) + 2), p=weights)
    result = []
    for row, count in zip(draws, counts, strict=True):
        picked = list(dict.fromkeys(row.tolist()))[:count]
        result.append(picked)
    return result


def synthetic_posts(count: int, seed: int = 1) -> pd.DataFrame:
    """A posts table (DESIGN §1 columns) of ``count`` synthetic posts."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    published = days[rng.choice(len(days), size=count, p=day_weights(days, rng))]
    order = np.argsort(published.to_numpy(), kind="stable")
    published = published[order]

    authors = author_names(max(20, count // 20))
    author_p = (np.arange(1, len(authors) + 1) + 5.0) ** -1.2
    author_lists = _pick_lists(
        rng, count, len(authors), author_p / author_p.sum(), [0, 1, 2, 3], [0.06, 0.69, 0.20, 0.05]
    )
    topics = topic_names()
    topic_p = rng.dirichlet(np.full(len(topics), 0.8))
    topic_lists = _pick_lists(rng, count, len(topics), topic_p, [1, 2, 3], [0.5, 0.35, 0.15])

    verbs = rng.choice(VERBS, size=count)
    places = rng.choice(PLACES, size=count)
    titles, summaries, urls, author_col, topic_col = [], [], [], [], []
    for i in range(count):
        names = [authors[a] for a in author_lists[i]]
        themes = [topics[t] for t in topic_lists[i]]
        title = f"{themes[0]} in {places[i]}: what comes next? (no. {i + 1})"
        who = " and ".join(names) if names else "This blog"
        summaries.append(f"{who} {verbs[i]} {themes[0].lower()} in {places[i]}.")
        titles.append(title)
        urls.append(f"https://blog.example.org/{published[i]:%Y/%m}/post-{i + 1}/")
        author_col.append(names)
        topic_col.append(themes)
    source = f"synthetic (seed={seed})"
    return pd.DataFrame(
        {
            "post_id": [f"synthetic-{seed}-{i + 1}" for i in range(count)],
            "title": titles,
            "published": published.astype("datetime64[ns]"),
            "url": urls,
            "summary": summaries,
            "authors": author_col,
            "topics": topic_col,
            "tags": [["Blog"]] * count,
            "source": [source] * count,
        }
    )


def write_archive(posts: pd.DataFrame, out: Path) -> None:
    """Write as Parquet, CSV (lists ``;``-separated) or JSON Lines, by the file's extension."""
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        from dashboard.schema import to_arrow

        pq.write_table(to_arrow(posts), out)
    elif suffix == ".csv":
        flat = posts.assign(**{c: posts[c].map("; ".join) for c in ("authors", "topics", "tags")})
        flat.assign(published=posts["published"].dt.strftime("%Y-%m-%d")).to_csv(out, index=False)
    elif suffix in (".jsonl", ".ndjson"):
        posts.assign(published=posts["published"].dt.strftime("%Y-%m-%d")).to_json(
            out, orient="records", lines=True, force_ascii=False
        )
    else:
        raise ValueError(f"unknown archive format {suffix!r}: use .parquet, .csv or .jsonl")
