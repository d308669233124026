"""The review pack: periods, the report command's errors, and the report of the bundled archive
in a real browser with every network request blocked."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.load import load_sources
from dashboard.report import Period, ReportError, parse_period

ROOT = Path(__file__).resolve().parents[1]
D = date.fromisoformat


@pytest.mark.parametrize(
    ("text", "start", "end", "kind", "label"),
    [
        ("2024", "2024-01-01", "2024-12-31", "year", "2024"),
        ("2024-Q2", "2024-04-01", "2024-06-30", "quarter", "2024 Q2"),
        ("2024-Q4", "2024-10-01", "2024-12-31", "quarter", "2024 Q4"),
        ("2024-02", "2024-02-01", "2024-02-29", "month", "February 2024"),
    ],
)
def test_parse_period(text, start, end, kind, label):
    period = parse_period(text)
    assert (period.start, period.end, period.kind, period.label) == (D(start), D(end), kind, label)


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "24", "June 2024", "2024-6-1", ""])
def test_a_bad_period_is_refused(text):
    with pytest.raises(ReportError, match="--period must be YYYY, YYYY-Qn or YYYY-MM"):
        parse_period(text)


def test_the_periods_compared():
    quarter = parse_period("2024-Q1")
    assert quarter.shifted(1) == Period(D("2023-10-01"), D("2023-12-31"), "quarter")
    assert (
        quarter.shifted(4)
        == quarter.year_earlier
        == Period(D("2023-01-01"), D("2023-03-31"), "quarter")
    )
    span = Period(D("2024-03-01"), D("2024-03-10"), "days")
    assert span.shifted(1) == Period(D("2024-02-20"), D("2024-02-29"), "days")


COVERS = "the data covers 2017-05-09 to 2026-01-08"
REPORT_ERRORS = [
    (["--period", "2024-13"], "--period must be YYYY, YYYY-Qn or YYYY-MM, not '2024-13'"),
    (["--period", "2010"], "2010 is outside the data, which covers 2017-05-09 to 2026-01-08"),
    (["--period", "2021-07"], f"no post in July 2021 ({COVERS})"),
    (["--from", "2024-03-10", "--to", "2024-03-01"], "--from 2024-03-10 is after --to 2024-03-01"),
]


@pytest.mark.parametrize(("args", "message"), REPORT_ERRORS)
def test_the_report_commands_errors_are_one_line_and_status_2(tmp_path, capsys, args, message):
    out = tmp_path / "r.html"
    data = str(ROOT / "data" / "posts.parquet")
    assert main(["report", *args, "--data", data, "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"error: {message}\n"
    assert not out.exists()


@pytest.mark.browser
def test_the_report_opens_offline_lists_every_post_and_prints(tmp_path, browser):
    out = tmp_path / "report.html"
    data = ROOT / "data" / "posts.parquet"
    assert main(["report", "--period", "2024", "--data", str(data), "--out", str(out)]) == 0
    posts = load_sources([str(data)]).posts
    year = posts[posts["published"].dt.year == 2024]
    page = browser.new_page()
    asked, failed, errors = [], [], []

    def only_the_file(route):
        asked.append(route.request.url)
        local = route.request.url.startswith("file:")
        return route.continue_() if local else route.abort()

    def console(message):
        if message.type == "error":
            errors.append(message.text)

    page.route("**/*", only_the_file)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", console)
    page.goto(out.as_uri())
    assert [url for url in asked if not url.startswith("file:")] == []
    assert failed == [] and errors == []
    heading = page.locator("h1").inner_text()
    assert heading == "Heseltine Institute blog: 2024"
    listed = page.locator("section", has_text="Every post").locator("tbody tr")
    assert listed.count() == len(year)
    for title, url in zip(year["title"], year["url"], strict=True):
        row = listed.filter(has_text=title)
        assert row.count() == 1, title
        if isinstance(url, str):
            assert row.locator("a").get_attribute("href") == url
    events = page.locator("section", has_text="Events").inner_text()
    assert "General election" in events and "4 July 2024" in events
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    assert re.search(r"Posts per month", out.read_text(encoding="utf-8"))
