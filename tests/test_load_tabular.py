"""Records files: CSV (any encoding and delimiter), JSON, JSON Lines and Parquet."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import posts_of

from dashboard.load import LoadError, load_sources

RECORDS = Path(__file__).parent / "fixtures" / "records"
CIVIC = "https://civicfutures.example.org/blog"


def problems_of(result) -> list[tuple[str, str | None]]:
    return [(p.position, p.field) for p in result.report.problems]


def assert_counts_add_up(report) -> None:
    for entry in report.sources:
        assert entry.read == entry.loaded + entry.merged + entry.rejected, entry


def post(title, date, url=None, authors=(), tags=()) -> dict:
    return {"title": title, "date": date, "url": url, "authors": list(authors), "tags": list(tags)}


EXPECTED = {
    # UTF-8 with BOM, CRLF, lists as "a; b" and as JSON arrays, a quoted newline, one row with
    # too many fields, one with too few, a javascript: URL, a relative URL, an empty title, an
    # unreadable date.
    "spreadsheet-export.csv": [
        post(
            "What will a Labour government mean for levelling up?",
            "2024-07-08",
            None,
            ["James Hickson"],
            ["Levelling up"],
        ),
        post("Heseltine lecture 2024: a note for the diary", "2024-05-02"),
        post("The case for social broadband", "2023-09-26", None, [], ["Digital inclusion"]),
        post(
            "Do We Need a Plan for England?",
            "2023-06-21",
            f"{CIVIC}/do-we-need-a-plan-for-england/",
            ["Ian Wray", "Lucy Natarajan"],
            ["Planning"],
        ),
        post(
            "Developing local solutions to the problem of precarious work",
            "2022-03-21",
            f"{CIVIC}/developing-local-solutions-precarious-work/",
            ["James Hickson"],
            ["Blog", "Insecure work"],
        ),
        post(
            "Post-Covid challenges for the city region's metro mayor",
            "2021-05-05",
            f"{CIVIC}/post-covid-challenges-for-the-metro-mayor/",
            ["Tom Arnold"],
            ["Devolution", "Metro mayors"],
        ),
    ],
    # Windows-1252 bytes (curly quotes, £, é, …), capitalised alias headers.
    "cp1252-export.csv": [
        post(
            "Café culture and the night-time economy",
            "2024-06-14",
            f"{CIVIC}/cafe-culture-night-time-economy/",
            ["Cleo Hachem"],
            ["Economy"],
        ),
        post(
            "Trickle Down Economics Doesn’t Work: New Public Management and the White Paper",
            "2022-03-03",
            f"{CIVIC}/trickle-down-economics-doesnt-work/",
            ["James Coe"],
            ["Levelling up"],
        ),
    ],
    # Excel's "Unicode text": UTF-16 with BOM, tab-separated, saved as .txt.
    "excel-unicode-text.txt": [
        post(
            "What the King’s Speech means for city regions",
            "2024-07-18",
            f"{CIVIC}/kings-speech-city-regions/",
            ["Cleo Hachem", "Tom Arnold"],
            ["Devolution"],
        ),
        post(
            "Community organising improved my life, what part can it play in national renewal?",
            "2024-07-09",
            f"{CIVIC}/community-organising-national-renewal/",
            ["Belinda Tyrrell"],
            ["Communities", "Democracy"],
        ),
    ],
    # ";"-separated, lists as JSON arrays, day-first dates with dots and slashes; the last row
    # has an unquoted ";" in its summary.
    "semicolon-excel.csv": [
        post(
            "Untangling the effect of insecure work on local economic performance",
            "2024-02-06",
            f"{CIVIC}/untangling-insecure-work/",
            ["James Hickson", "Belinda Tyrrell"],
            ["Insecure work"],
        ),
        post(
            "The Northern Powerhouse Independent Economic Review: can 'transformational' "
            "growth be delivered?",
            "2023-12-07",
            f"{CIVIC}/northern-powerhouse-review/",
            ["Tom Arnold"],
            ["Northern Powerhouse", "Growth"],
        ),
    ],
    # A JSON array; lists as arrays or "a; b"; 23:45 -04:00 keeps its own calendar date.
    "posts-array.json": [
        post(
            "Community organising: restoring faith in democracy?",
            "2024-06-18",
            f"{CIVIC}/2024/06/community-organising-democracy/",
            ["Belinda Tyrrell"],
            ["Communities"],
        ),
        post(
            "What the manifestos say about combined authorities",
            "2024-06-14",
            f"{CIVIC}/2024/06/manifestos-combined-authorities/",
            ["Tom Arnold"],
            ["General Election 2024", "Devolution"],
        ),
        post("Notes on the Spending Review", "2024-06-11"),
        post(
            "Heseltine Institute General Election 2024 Policy Digest",
            "2024-06-04",
            f"{CIVIC}/2024/06/general-election-policy-digest/",
            [],
            ["General Election 2024", "Policy digest"],
        ),
    ],
    # {"posts": [...]} with aliased field names (headline, date, link, excerpt, categories).
    "posts-wrapped.json": [
        post(
            "Joined up? How central government can support place-based working",
            "2024-07-16",
            f"{CIVIC}/2024/07/joined-up-place-based-working/",
            ["Joanna Hayes"],
            ["Blog", "Public services"],
        ),
        post(
            "What will a Labour government mean for ‘levelling up’?",
            "2024-07-08",
            "https://www.civicfutures.example.org/blog/2024/07/labour-levelling-up",
            ["James Hickson"],
            ["Blog", "Levelling up"],
        ),
    ],
    # JSON Lines with a blank line, a broken line, a non-object line and a null date.
    "posts.jsonl": [
        post(
            "Things might actually get better: Trends, discontinuities and the future for "
            "‘Levelling Up’",
            "2024-02-15",
            f"{CIVIC}/things-might-actually-get-better/",
            [],
            ["Levelling up"],
        ),
        post(
            "Untangling the effect of insecure work on local economic performance: towards a "
            "new research agenda",
            "2024-02-06",
            f"{CIVIC}/untangling-insecure-work/",
            ["James Hickson"],
            ["Insecure work"],
        ),
        post(
            "Do We Need a Plan for England?",
            "2023-06-21",
            f"{CIVIC}/do-we-need-a-plan-for-england/",
            ["Ian Wray"],
            ["Planning"],
        ),
    ],
    # A posts table as the ingest command writes it (date32, list columns, post_id).
    "posts.parquet": [
        post("The case for social broadband", "2023-09-26", None, [], ["Digital inclusion"]),
        post(
            "Do We Need a Plan for England?",
            "2023-06-21",
            f"{CIVIC}/do-we-need-a-plan-for-england/",
            ["Ian Wray"],
            ["Planning", "England"],
        ),
    ],
}

FORMATS = {
    "spreadsheet-export.csv": "csv",
    "cp1252-export.csv": "csv",
    "excel-unicode-text.txt": "csv",
    "semicolon-excel.csv": "csv",
    "posts-array.json": "json",
    "posts-wrapped.json": "json",
    "posts.jsonl": "jsonl",
    "posts.parquet": "parquet",
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_records_file_gives_its_posts(name):
    result = load_sources([RECORDS / name])
    assert posts_of(result) == EXPECTED[name]
    assert result.report.sources[0].format == FORMATS[name]
    assert_counts_add_up(result.report)


def test_spreadsheet_problems_name_their_rows():
    result = load_sources([RECORDS / "spreadsheet-export.csv"])
    source = str(RECORDS / "spreadsheet-export.csv")
    assert {p.source for p in result.report.problems} == {source}
    problems = {(p.position, p.field): p.reason for p in result.report.problems}
    # Spreadsheet rows: the header is row 1; row 3 spans three lines of the file.
    assert problems == {
        ("row 5", None): "7 fields where the header has 6",
        (
            "row 6",
            "url, authors, tags, summary",
        ): "2 fields where the header has 6; the missing ones are left empty",
        ("row 7", "url"): problems[("row 7", "url")],
        ("row 8", "url"): problems[("row 8", "url")],
        ("row 9", None): "title is empty",
        ("row 10", None): "unreadable publication date 'next Tuesday'",
    }
    assert "'javascript' is not http(s)" in problems[("row 7", "url")]
    assert "relative link '/blog/labour-government-levelling-up/'" in problems[("row 8", "url")]
    assert "no page address" in problems[("row 8", "url")]
    entry = result.report.sources[0]
    assert (entry.read, entry.loaded, entry.merged, entry.rejected) == (9, 6, 0, 3)


def test_quoted_newlines_stay_in_the_summary():
    posts = load_sources([RECORDS / "spreadsheet-export.csv"]).posts.set_index("title")
    assert posts.loc["Developing local solutions to the problem of precarious work", "summary"] == (
        "Councils and combined authorities have more levers than they think. This second "
        "paragraph of the teaser was typed on a new line in the spreadsheet cell."
    )


def test_semicolon_csv_rejects_the_row_with_an_extra_field():
    result = load_sources([RECORDS / "semicolon-excel.csv"])
    assert [(p.position, p.field, p.reason) for p in result.report.problems] == [
        ("row 4", None, "7 fields where the header has 6"),
    ]


def test_json_problems_name_their_items():
    result = load_sources([RECORDS / "posts-array.json"])
    assert [(p.position, p.field) for p in result.report.problems] == [
        ("item 4", None),
        ("item 5", None),
        ("item 6", "url"),
    ]
    reasons = [p.reason for p in result.report.problems]
    assert reasons[:2] == ["not a JSON object (str)", "title is not text"]
    assert "'mailto' is not http(s)" in reasons[2]


def test_wrapped_json_reports_unknown_columns_and_non_objects():
    result = load_sources([RECORDS / "posts-wrapped.json"])
    assert [(p.position, p.field, p.reason) for p in result.report.problems] == [
        ("header", "columns", "columns not in the posts table: word_count"),
        ("item 3", None, "not a JSON object (list)"),
    ]


def test_jsonl_problems_name_their_lines():
    result = load_sources([RECORDS / "posts.jsonl"])
    assert sorted((p.position, p.reason) for p in result.report.problems) == [
        ("line 4", "invalid JSON"),
        ("line 6", "not a JSON object (list)"),
        ("line 7", "no publication date"),
    ]
    entry = result.report.sources[0]
    assert (entry.read, entry.loaded, entry.rejected) == (6, 3, 3)


def test_parquet_keeps_its_sources():
    result = load_sources([RECORDS / "posts.parquet"])
    posts = result.posts.set_index("title")
    assert posts.loc["Do We Need a Plan for England?", "source"] == (
        "https://civicfutures.example.org/blog/feed/"
    )
    assert [(p.position, p.reason) for p in result.report.problems] == [("row 3", "title is empty")]


@pytest.mark.parametrize(
    ("fixture", "saved_as", "fmt"),
    [
        ("spreadsheet-export.csv", "posts.json", "csv"),
        ("posts.jsonl", "posts.json", "jsonl"),
        ("posts-array.json", "posts.csv", "json"),
        ("posts.parquet", "posts.csv", "parquet"),
        ("semicolon-excel.csv", "notes.txt", "csv"),
        ("posts-wrapped.json", "export", "json"),
    ],
)
def test_content_wins_over_a_misleading_extension(tmp_path, fixture, saved_as, fmt):
    path = tmp_path / saved_as
    shutil.copy(RECORDS / fixture, path)
    result = load_sources([path])
    assert result.report.sources[0].format == fmt
    assert posts_of(result) == EXPECTED[fixture]


def test_a_directory_reads_every_file(tmp_path):
    for name in ("posts.jsonl", "cp1252-export.csv"):
        shutil.copy(RECORDS / name, tmp_path / name)
    (tmp_path / ".hidden.csv").write_text("title,published\nHidden,2024-01-01\n")
    result = load_sources([tmp_path])
    assert [s.source for s in result.report.sources] == [
        str(tmp_path / "cp1252-export.csv"),
        str(tmp_path / "posts.jsonl"),
    ]
    assert len(result.posts) == 5


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("title,published\n", "no posts"),
        ("colour;size\nblue;2\n", "unrecognised format"),
        ("name;published\nTom;\n", "no posts"),
        ("", "empty file"),
        ("[1, 2", "invalid JSON"),
        ('{"generated": "2024-07-19", "count": 0}', "no list of posts"),
    ],
)
def test_files_with_no_posts_are_load_errors(tmp_path, content, reason):
    path = tmp_path / "posts.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LoadError, match=reason):
        load_sources([path])


def test_csv_without_a_title_column_rejects_every_row(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("headline_text;when\nA;2024-01-01\nB;2024-01-02\n", encoding="utf-8")
    good = RECORDS / "cp1252-export.csv"
    result = load_sources([path, good])
    bad = result.report.sources[0]
    assert "no title column" in bad.error
    assert (bad.read, bad.rejected) == (2, 2)
    assert result.report.problems[0].position == "whole source"


def test_csv_quoted_header_and_blank_lines(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(
        '"title","published","authors"\n\n"The case for social broadband","2023-09-26",""\n\n'
        '"What the King\'s Speech means for city regions","2024-07-18","Cleo Hachem; Tom '
        'Arnold"\n"Missing date",""\n',
        encoding="utf-8",
    )
    result = load_sources([path])
    assert [(p["title"], p["authors"]) for p in posts_of(result)] == [
        ("What the King's Speech means for city regions", ["Cleo Hachem", "Tom Arnold"]),
        ("The case for social broadband", []),
    ]
    assert [(p.position, p.field) for p in result.report.problems] == [
        ("row 4", "authors"),
        ("row 4", None),
    ]


def test_csv_with_every_date_empty_rejects_every_row(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("title,published\nThe case for social broadband,\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_sources([path])
    [problem] = caught.value.report.problems
    assert (problem.position, problem.reason) == ("row 2", "no publication date")


def test_parquet_with_every_date_missing_rejects_every_row(tmp_path):
    path = tmp_path / "posts.parquet"
    pq.write_table(
        pa.table(
            {"title": ["The case for social broadband"], "published": pa.array([None], pa.string())}
        ),
        path,
    )
    with pytest.raises(LoadError) as caught:
        load_sources([path])
    [problem] = caught.value.report.problems
    assert (problem.position, problem.reason) == ("row 1", "no publication date")


def test_parquet_timestamps_keep_their_own_calendar_date(tmp_path):
    """00:30 in London on 18 July is 23:30 UTC on 17 July."""
    path = tmp_path / "posts.parquet"
    stamps = pa.array(
        [datetime(2024, 7, 17, 23, 30, tzinfo=UTC)], pa.timestamp("us", tz="Europe/London")
    )
    pq.write_table(
        pa.table({"title": ["What the King’s Speech means for city regions"], "published": stamps}),
        path,
    )
    assert posts_of(load_sources([path])) == [
        post("What the King’s Speech means for city regions", "2024-07-18"),
    ]


def test_parquet_with_repeated_column_names(tmp_path):
    path = tmp_path / "posts.parquet"
    table = pa.table(
        [
            pa.array(["The case for social broadband"]),
            pa.array(["A duplicate"]),
            pa.array(["2023-09-26"]),
        ],
        names=["title", "title", "published"],
    )
    pq.write_table(table, path)
    result = load_sources([path])
    assert posts_of(result) == [post("The case for social broadband", "2023-09-26")]
    assert [(p.position, p.field) for p in result.report.problems] == [("header", "columns")]


def test_parquet_dates_outside_the_nanosecond_range_are_rejected(tmp_path):
    path = tmp_path / "posts.parquet"
    pq.write_table(
        pa.table(
            {
                "title": ["Placeholder date", "Do We Need a Plan for England?"],
                "published": pa.array([date(1, 1, 1), date(2023, 6, 21)], pa.date32()),
            }
        ),
        path,
    )
    result = load_sources([path])
    assert posts_of(result) == [post("Do We Need a Plan for England?", "2023-06-21")]
    assert [p.position for p in result.report.rejections] == ["row 1"]


def test_csv_with_old_mac_line_endings(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_bytes(
        b"title,published,authors\r"
        b"The case for social broadband,26/09/2023,\r"
        b"Do We Need a Plan for England?,21/06/2023,Ian Wray\r"
    )
    result = load_sources([path])
    assert [(p["title"], p["date"], p["authors"]) for p in posts_of(result)] == [
        ("The case for social broadband", "2023-09-26", []),
        ("Do We Need a Plan for England?", "2023-06-21", ["Ian Wray"]),
    ]


def test_csv_quote_never_closed_is_one_rejected_row(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(
        "title,published\n"
        "Do We Need a Plan for England?,2023-06-21\n"
        '"The case for social broadband,2023-09-26\n'
        "What the King’s Speech means for city regions,2024-07-18\n"
        "Joined up? How central government can support place-based working,2024-07-16\n",
        encoding="utf-8",
    )
    result = load_sources([path])
    assert [p["title"] for p in posts_of(result)] == ["Do We Need a Plan for England?"]
    assert [(p.position, p.reason) for p in result.report.problems] == [
        ("row 3", "a quote that is never closed runs over 3 lines"),
    ]


def test_parquet_list_columns_are_cleaned_like_any_other_lists(tmp_path):
    path = tmp_path / "posts.parquet"
    pq.write_table(
        pa.table(
            {
                "title": ["Housing &amp; health", "Skills", "Buses"],
                "published": ["2024-01-03", "2024-01-02", "2024-01-01"],
                "authors": pa.array(
                    [["  Ada  Bello ", "Ada Bello", ""], None, ["Tom Chen"]], pa.list_(pa.string())
                ),
                "tags": pa.array(
                    [["Housing &amp; planning", None], [], ["Bus\u00a0services"]],
                    pa.large_list(pa.large_string()),
                ),
            }
        ),
        path,
    )
    assert posts_of(load_sources([path])) == [
        post("Housing & health", "2024-01-03", authors=["Ada Bello"], tags=["Housing & planning"]),
        post("Skills", "2024-01-02"),
        post("Buses", "2024-01-01", authors=["Tom Chen"], tags=["Bus services"]),
    ]


def test_parquet_lists_where_text_belongs_are_rejected_by_row(tmp_path):
    path = tmp_path / "posts.parquet"
    pq.write_table(
        pa.table(
            {
                "title": pa.array([["Not", "a title"], ["Still not"]], pa.list_(pa.string())),
                "published": ["2024-01-03", "2024-01-02"],
            }
        ),
        path,
    )
    with pytest.raises(LoadError) as caught:
        load_sources([path])
    assert [(p.position, p.reason) for p in caught.value.report.rejections] == [
        ("row 1", "title is not text"),
        ("row 2", "title is not text"),
    ]


def test_parquet_and_csv_of_one_archive_give_the_same_posts(tmp_path):
    from dashboard.synth import synthetic_posts, write_archive

    archive = synthetic_posts(400, seed=3)
    write_archive(archive, tmp_path / "a.parquet")
    write_archive(archive, tmp_path / "a.csv")
    from_parquet = load_sources([tmp_path / "a.parquet"]).posts.drop(columns="source")
    from_csv = load_sources([tmp_path / "a.csv"]).posts.drop(columns="source")
    assert posts_of_frame(from_parquet) == posts_of_frame(from_csv)


def posts_of_frame(posts):
    return [
        {k: list(v) if k in ("authors", "topics", "tags") else v for k, v in row.items()}
        for row in posts.to_dict("records")
    ]


def test_an_entity_in_a_list_cell_of_a_large_csv_column(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(
        "title,published,authors,tags\n"
        "Housing,2024-01-02,Tom Arnold; Cleo Hachem & Ian Wray,Homes & work; Jobs\n"
    )
    assert posts_of(load_sources([path])) == [
        post(
            "Housing",
            "2024-01-02",
            authors=["Tom Arnold", "Cleo Hachem", "Ian Wray"],
            tags=["Homes & work", "Jobs"],
        )
    ]


@pytest.mark.parametrize("name", ["posts.csv", "posts.json"])
def test_the_semicolon_of_an_entity_does_not_split_a_list_cell(tmp_path, name):
    # "a; b" cells split at ";" but not at the one that ends "&amp;" or "&#59;"; an unknown
    # "&word;" is no entity, so it splits.
    tags = "Homes &amp; work; Jobs &#59; pay;AT&T; R&amp;D"
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text(f'title,published,tags\nHousing,2024-01-02,"{tags}"\n')
    else:
        path.write_text(json.dumps([{"title": "Housing", "published": "2024-01-02", "tags": tags}]))
    assert posts_of(load_sources([path])) == [
        post("Housing", "2024-01-02", tags=["Homes & work", "Jobs ; pay", "AT&T", "R&D"])
    ]


@pytest.mark.parametrize("url", ["\x00https://blog.example.org/a", "https://blog.exa\x07mple.org/"])
def test_an_address_with_a_control_character_is_dropped_and_reported(tmp_path, url):
    path = tmp_path / "posts.json"
    path.write_text(json.dumps([{"title": "Housing", "published": "2024-01-02", "url": url}]))
    result = load_sources([path])
    assert posts_of(result) == [post("Housing", "2024-01-02")]
    assert [p.field for p in result.report.problems] == ["url"]  # dropped, and reported


def large_csv_rows(count: int, *, quoted: bool) -> list[str]:
    if quoted:  # commas, quotes and line breaks inside fields
        return [
            f'"Post {n}, on ""housing""",2024-01-{n % 28 + 1:02d},"A; B","Line one\nline two"'
            for n in range(count)
        ]
    return [f"Post {n},2024-01-{n % 28 + 1:02d},A; B,Plain summary {n}" for n in range(count)]


@pytest.mark.parametrize(
    ("quoted", "odd_line", "posts", "problem"),
    [
        (True, None, 300, None),
        (False, None, 300, None),
        # the quote runs to the end of the file: rows 102 to 301 are one broken row
        (
            False,
            '"A quote that never closes,2024-02-02,,',
            100,
            ("row 102", "a quote that is never closed runs over 200 lines"),
        ),
        (
            False,
            "Too,many,fields,here,and,more",
            299,
            ("row 102", "6 fields where the header has 4"),
        ),
        (
            False,
            "Too few fields,2024-02-03",
            300,
            ("row 102", "2 fields where the header has 4; the missing ones are left empty"),
        ),
        (
            True,
            "Too few fields,2024-02-03",
            300,
            ("row 102", "2 fields where the header has 4; the missing ones are left empty"),
        ),
    ],
)
def test_a_large_csv_read_in_blocks_gives_what_one_block_gives(
    tmp_path, monkeypatch, quoted, odd_line, posts, problem
):
    rows = large_csv_rows(300, quoted=quoted)
    if odd_line:
        rows[100] = odd_line  # the header is row 1
    path = tmp_path / "posts.csv"
    path.write_text("title,published,authors,summary\n" + "\n".join(rows) + "\n", "utf-8")
    assert path.stat().st_size > 2048 * 4  # several blocks below
    one_block = load_sources([path])
    monkeypatch.setattr("dashboard.load.tabular.CSV_BLOCK", 2048)
    in_blocks = load_sources([path])
    assert in_blocks.posts.equals(one_block.posts)
    assert in_blocks.report.problems == one_block.report.problems
    assert in_blocks.report.sources == one_block.report.sources
    assert len(in_blocks.posts) == posts
    if problem:
        assert [(p.position, p.reason) for p in in_blocks.report.problems] == [problem]
    else:
        assert not in_blocks.report.problems


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "posts.json",
            '[{"title": "A\\ud800 \\ud83d\\ude00", "published": "2024-01-02", "x": '
            + "[" * 700
            + "]" * 700
            + "}]",
        ),
        (
            "posts.jsonl",
            '{"title": "A\\ud800 \\ud83d\\ude00", "published": "2024-01-02"}\n'
            '{"title": "B", "published": "2024-01-03"}\n',
        ),
        (
            "posts.csv",
            'title,published,tags\n"A\\ud800 \\ud83d\\ude00",2024-01-02,"[""x\\udc00"", ""y""]"\n',
        ),
    ],
)
def test_a_lone_surrogate_escape_becomes_a_replacement_character(tmp_path, name, text):
    # JSON can spell a half of a UTF-16 pair ("\ud800") that no UTF-8 text can hold; a
    # whole pair ("\ud83d\ude00") is one character.
    path = tmp_path / name
    path.write_text(text)
    post = next(p for p in posts_of(load_sources([path])) if p["title"].startswith("A"))
    if name != "posts.csv":
        assert post["title"] == "A\ufffd \U0001f600"
    else:  # in CSV the backslashes of a title are text; a list cell is read as JSON
        assert post["title"] == "A\\ud800 \\ud83d\\ude00"
        assert post["tags"] == ["x\ufffd", "y"]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_json_lines_end_at_line_feeds_and_returns_only(tmp_path, end):
    # JSON lets U+2028, U+2029 and U+0085 stand unescaped in a string, so they do not end a
    # line; "\n", "\r\n" and "\r" cannot, so they do. A blank line is skipped but counted.
    lines = [
        json.dumps(
            {"title": f"Housing{c}policy", "published": f"2024-01-0{day}"}, ensure_ascii=False
        )
        for day, c in enumerate("\u2028\u2029\x85", 1)
    ]
    path = tmp_path / "posts.jsonl"
    path.write_bytes((end.join([lines[0], "", *lines[1:], "not json"]) + end).encode())
    result = load_sources([path])
    assert [p["title"] for p in posts_of(result)] == ["Housing policy"] * 3
    assert problems_of(result) == [("line 5", None)]
    assert result.report.problems[0].reason == "invalid JSON"
