"""The policy calendar: events.toml read and checked, markers on time charts, the response to
each event."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts
from dashboard.analysis import explode_list
from dashboard.enrich.registry_files import EnrichmentConfigError
from dashboard.events import Event, events_between, read_events, response_to_events

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('title = "Budget"', "line 1: an event needs a date"),  # the entry's line
        ('date = "4 July 2024"\ntitle = "Election"', "line 2: date must be a day, YYYY-MM-DD"),
        ("date = 2024-07-04", "line 1: an event needs a title"),
        ('date = 2024-07-04\ntitle = "Election"\nwhere = "UK"', "line 4: unknown key 'where'"),
        ('date = 2024-07-04\ntitle = "E"\nurl = "ftp://x"', "line 4: url must be an http(s)"),
        ('date = 2024-07-04\ntitle = "E"\ntopics = "Housing"', "line 4: topics must be a list"),
    ],
)
def test_a_bad_entry_is_reported_with_its_line(tmp_path, entry, message):
    path = tmp_path / "events.toml"
    path.write_text(f"[[event]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(EnrichmentConfigError) as error:
        read_events(path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_the_bundled_calendar_names_real_events_on_known_topics():
    events = read_events(ROOT / "data" / "events.toml")
    assert events[0].date.year == 2017 and events[-1].date.year == 2025
    assert Event(date(2024, 7, 4), "General election", "election",
                 topics=("National politics and elections",)) in events  # fmt: skip
    assert {e.kind for e in events} == {
        "election", "budget", "speech", "white paper", "mayoral election"
    }  # fmt: skip
    taxonomy = tomllib.loads((ROOT / "data" / "topics.toml").read_text(encoding="utf-8"))
    names = {t["name"] for t in taxonomy["topic"]}
    assert {t for e in events for t in e.topics} <= names
    assert read_events(ROOT / "no-such-events.toml") == ()


EVENTS = (
    Event(date(2024, 3, 6), "Budget", "budget", topics=("Housing",)),
    Event(date(2024, 7, 4), "Election", "election"),
    Event(date(2024, 9, 1), "Late event", "speech", topics=("Transport",)),
)
POSTS = pd.DataFrame(
    {
        "title": ["Homes", "Buses", "Rents", "Vote"],
        "published": pd.to_datetime(["2024-03-01", "2024-03-10", "2024-03-20", "2024-07-04"]),
        "url": ["https://b.example.org/1", None, "https://b.example.org/3", None],
        "topics": [["Housing"], ["Transport"], ["Housing"], ["Politics"]],
    }
)


def test_response_to_events():
    table = response_to_events(EVENTS, POSTS, explode_list(POSTS, "topics", "topic"))
    # the budget: the first housing post after 6 March is "Rents" (20 March, 14 days);
    # the election: any post, "Vote" on the same day (0 days); nothing on transport after
    # 1 September
    assert table[["event", "first_post", "days"]].astype(object).values.tolist() == [
        ["Budget", "Rents", 14],
        ["Election", "Vote", 0],
        ["Late event", None, pd.NA],
    ]
    assert table["first_url"].tolist()[:2] == ["https://b.example.org/3", None]


def test_events_between_and_markers_on_a_period_chart():
    shown = events_between(EVENTS, "2024-03-01", "2024-07-31")
    assert [e.title for e in shown] == ["Budget", "Election"]
    per_month = pd.DataFrame(
        {"period": pd.date_range("2024-03-01", periods=5, freq="MS"), "posts": [3, 0, 0, 1, 0]}
    )
    drawn = charts.period_chart(per_month, "month", events=shown)
    lines, markers = [t for t in drawn.figure.data if t.name == "Events"]
    assert lines.showlegend is not False and markers.showlegend is False
    assert [pd.Timestamp(x) for x in markers.x] == [
        pd.Timestamp("2024-03-06"),
        pd.Timestamp("2024-07-04"),
    ]
    assert markers.customdata[0][0] == "Budget"
    assert drawn.figure.layout.showlegend


def test_the_timeline_marks_events_and_lists_the_response(monkeypatch):
    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    monkeypatch.delenv("DASHBOARD_CONFIG", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.run()
    at.switch_page("views/timeline.py").run()
    assert not at.exception
    names = [t.get("name") for t in _figure(at)["data"]]
    assert "Events" in names
    response = next(d.value for d in at.dataframe if "event" in d.value.columns)
    assert "General election" in set(response["event"])
    at.toggle(key="show_events").set_value(False).run()
    assert "Events" not in [t.get("name") for t in _figure(at)["data"]]
    assert not [d for d in at.dataframe if "event" in d.value.columns]


def _figure(at: AppTest) -> dict:
    import json

    return json.loads(at.get("plotly_chart")[0].proto.spec)


def test_period_heatmaps_mark_the_periods_that_hold_events():
    months = pd.date_range("2024-03-01", periods=5, freq="MS")
    matrix = pd.DataFrame([[1, 0, 0, 2, 0]], index=["Housing"], columns=months)
    drawn = charts.heatmap_chart(
        matrix, title="Posts", x_title="Month", y_title="Topic", freq="month", events=EVENTS
    )
    (marks,) = [t for t in drawn.figure.data if t.name == "Events"]
    # the budget in March, the election in July; the September event is after the matrix
    assert list(marks.x) == ["Mar 2024", "Jul 2024"]
    assert marks.customdata[0][0] == "Budget, 6 Mar 2024"


def test_a_response_over_uncaptured_days_is_not_captured():
    from dashboard.coverage import Coverage

    # captured: March 2024 and from 1 July 2024 to the as-of day, 31 August 2024
    coverage = Coverage(
        date(2024, 8, 31),
        ((date(2024, 3, 1), date(2024, 3, 31)), (date(2024, 7, 1), date(2024, 8, 31))),
    )
    table = response_to_events(EVENTS, POSTS, explode_list(POSTS, "topics", "topic"), coverage)
    # the budget's answer came within March: answered; the election's on its own day; the late
    # event (1 September) is after the as-of day: nothing captured since, so not captured
    assert table[["event", "status", "days"]].astype(object).values.tolist() == [
        ["Budget", "answered", 14],
        ["Election", "answered", 0],
        ["Late event", "not captured", pd.NA],
    ]
    gap = Coverage(date(2024, 8, 31), ((date(2024, 3, 1), date(2024, 3, 10)),))
    budget = response_to_events(EVENTS[:1], POSTS, explode_list(POSTS, "topics", "topic"), gap)
    assert budget[["status", "first_post"]].values.tolist() == [["not captured", None]]
