"""A blog's configuration folder: site.toml, --config, DASHBOARD_CONFIG, and a posts table read
again with the configuration it was made with."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLEAN_POSTS, posts_frame
from streamlit.testing.v1 import AppTest

from dashboard.__main__ import main
from dashboard.config import CONFIG_ENV, DEFAULT_DIR, ConfigError, Site, config_dir, load_config
from dashboard.load import load_sources
from dashboard.load.stored import recorded_registries
from dashboard.schema import write_parquet

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard" / "app.py")


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("", Site()),
        ('name = "Centre for Cities blog"\n', Site(name="Centre for Cities blog")),
        (
            'home = "https://example.org/blog/"\ncrawl_url = "https://example.org/feed/"\n'
            'search_url = "https://example.org/?s={query}"\npublic_note = "A demo."\n',
            Site(
                home="https://example.org/blog/",
                crawl_url="https://example.org/feed/",
                search_url="https://example.org/?s={query}",
                public_note="A demo.",
            ),
        ),
    ],
)
def test_site_toml(tmp_path, text, site):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    assert load_config(tmp_path).site == site


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('name = "A"\ncolour = "red"\n', "unknown key 'colour' (known: name, home, crawl_url"),
        ('name = "A"\ncolour = "red"\n', "(line 2)"),
        ('home = "example.org"\n', "home must be an http(s) address, not 'example.org' (line 1)"),
        ("name = 3\n", "name must be text (line 1)"),
        ('search_url = "https://example.org/?s="\n', "search_url must hold {query}"),
        ('name = "unterminated\n', "not valid TOML"),
    ],
)
def test_a_bad_site_toml_says_which_key_and_line(tmp_path, text, message):
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert message in str(error.value) and str(tmp_path / "site.toml") in str(error.value)


def test_the_folder_comes_from_the_option_then_the_environment_then_data():
    assert config_dir("elsewhere", {CONFIG_ENV: "env-dir"}) == Path("elsewhere")
    assert config_dir(None, {CONFIG_ENV: "env-dir"}) == Path("env-dir")
    assert config_dir(None, {}) == DEFAULT_DIR
    with pytest.raises(ConfigError, match="no such configuration folder"):
        load_config("/nonexistent/config")


def test_the_bundled_configuration_is_the_heseltine_institutes():
    config = load_config(None, {})
    assert config.site.name == "Heseltine Institute blog"
    assert config.authors == DEFAULT_DIR / "authors.toml"


ONE_TOPIC = """[[topic]]
name = "Cities"
keywords = ["city", "cities", "urban"]
"""


@pytest.fixture
def other_blog(tmp_path) -> Path:
    """Another blog's configuration: its name, a one-topic taxonomy, no authors yet."""
    folder = tmp_path / "other-blog"
    folder.mkdir()
    (folder / "site.toml").write_text(
        'name = "Urban Futures blog"\npublic_note = "Posts of the Urban Futures blog."\n',
        encoding="utf-8",
    )
    (folder / "topics.toml").write_text(ONE_TOPIC, encoding="utf-8")
    (folder / "authors.toml").write_text("", encoding="utf-8")
    return folder


def test_ingest_with_a_configuration_uses_its_registries_and_records_them(tmp_path, other_blog):
    records = tmp_path / "posts.csv"
    posts_frame(CLEAN_POSTS).assign(
        authors=lambda f: f["authors"].map("; ".join),
        topics="",
        tags="",
    ).to_csv(records, index=False)
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(records), "--out", str(out), "--config", str(other_blog)]) == 0
    posts = load_sources([str(out)], authors=other_blog / "authors.toml",
                         topics=other_blog / "topics.toml").posts  # fmt: skip
    assert {t for topics in posts["topics"] for t in topics} <= {"Cities"}
    assert recorded_registries(str(out)) == (
        other_blog / "authors.toml",
        other_blog / "topics.toml",
    )


def test_ingest_refuses_a_missing_configuration(tmp_path, capsys):
    code = main(["ingest", "x.csv", "--out", str(tmp_path / "p.parquet"), "--config", "/no/dir"])
    assert code == 2
    assert capsys.readouterr().err == "error: /no/dir: no such configuration folder\n"


def test_the_dashboard_reads_a_table_with_the_configuration_it_was_made_with(
    monkeypatch, tmp_path, other_blog
):
    """A blog ingested with its own one-topic taxonomy shows that topic and no other: the
    default taxonomy is not applied again, and nothing names the default blog."""
    records = tmp_path / "posts.csv"
    posts_frame(CLEAN_POSTS).assign(
        authors=lambda f: f["authors"].map("; ".join), topics="", tags=""
    ).to_csv(records, index=False)
    out = tmp_path / "posts.parquet"
    assert main(["ingest", str(records), "--out", str(out), "--config", str(other_blog)]) == 0
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.setenv("DASHBOARD_DATA", str(out))
    monkeypatch.setenv("DASHBOARD_PUBLIC", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.run()
    assert not at.exception
    assert at.sidebar.caption[-1].value == "Posts of the Urban Futures blog\\."
    at.switch_page("views/topics.py").run()
    assert set(at.multiselect(key="topic").options) <= {"Cities", "Unclassified"}
    shown = " ".join(str(e.value) for e in at.main.children.values() if hasattr(e, "value"))
    assert "Planning and infrastructure" not in shown and "Heseltine" not in shown


def test_another_blogs_data_is_not_shown_under_the_default_name(monkeypatch, tmp_path):
    """A table that records no registries gets data/'s registries but not its site settings."""
    out = tmp_path / "posts.parquet"
    write_parquet(posts_frame(CLEAN_POSTS), out)
    monkeypatch.delenv(CONFIG_ENV, raising=False)
    monkeypatch.setenv("DASHBOARD_DATA", str(out))
    monkeypatch.setenv("DASHBOARD_PUBLIC", "1")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.run()
    assert not at.exception
    assert "Heseltine" not in at.sidebar.caption[-1].value
    assert at.sidebar.caption[-1].value.startswith("A public, read-only view of the posts in")
