"""Topics: the taxonomy file, keyword and tag matching, given topics and Unclassified."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.enrich import (
    DEFAULT_TOPICS,
    UNCLASSIFIED,
    EnrichmentConfigError,
    Taxonomy,
    match_topics,
)
from dashboard.enrich.topics import assign_topics, keyword_pattern

REGIONAL = "Balanced regional development and levelling up"
DEVOLUTION = "English devolution and combined authorities"
SOCIAL_ECONOMY = "Social economy and social innovation"
HEALTH = "Health and wellbeing"
GOVERNANCE = "Urban governance"
CIVIC = "Civic participation and community organising"
WORK = "Work and the labour market"
GROWTH = "Growth and industrial strategy"
PLANNING = "Planning and infrastructure"
POVERTY = "Poverty and social inclusion"
CLIMATE = "Climate and energy"
POLITICS = "National politics and elections"
COVID = "COVID-19"
HERITAGE = "Heritage and culture"

# Each sample post: title, summary (standfirst on article pages), its topics in taxonomy order.
# fmt: off
SAMPLE_POSTS = [
    ("Exploring heritage diplomacy in an uncertain world. As the UK contemplates its post Brexit future, can heritage be used to be build bridges to the world?",  # noqa: E501
     "Heseltine Institute Research Associate, Andrew McClelland, draws upon recent experiences at two international fora in the UK and China, which speak in different ways to the uses of heritage within contemporary diplomatic affairs in an era of shifting geopolitical power.",  # noqa: E501
     [HERITAGE]),
    ("Why we need more support for social entrepreneurs and activists to bring about a better future",  # noqa: E501
     "In this blog, Heseltine Institute fellow, Mark Swift, argues for the growing importance of social entrepreneurship and identifies concrete steps to support activism at a local level.",  # noqa: E501
     [SOCIAL_ECONOMY, CIVIC]),
    ("Why Milton Friedman got it wrong on Planning",
     "Heseltine Institute Visiting Fellow Ian Wray discusses his latest book, 'No Little Plans: How Government Built America's Wealth and Infrastructure'.",  # noqa: E501
     [PLANNING]),
    ("Could a Leccybus Cure Liverpool's Middle Aged Spread?",
     "A few days ago an architect friend floated some imaginative ideas for Liverpool city centre. Bring back the One O' Clock Gun, which as late as the 1960s was used by people to set their watches (originally it synchronised ships’ chronometers). The gun could be a nice Pier Head tourist attraction. Get the through traffic out of Rodney Street, the finest Georgian street in the North of England, and widen the pavements. And build a monorail on the line of the old Liverpool overhead railway, connecting up the waterfront. If Chester Zoo can afford a monorail, why not the city centre?",  # noqa: E501
     [PLANNING]),
    ("A perspective of Households into Work, in light of the COVID-19 pandemic",
     "In this blog paper, Heseltine Institute Industrial Strategy Fellow, Belinda Tyrrell, considers the impact the COVID-19 pandemic may have on residents of deprived communities.",  # noqa: E501
     [WORK, POVERTY, COVID]),
    ("Things might actually get better: Trends, discontinuities and the future for ‘Levelling Up’",
     "While the immediate economic outlook is certainly gloomy, the medium-term outlook is better.",
     [REGIONAL, GROWTH]),
    ("Untangling the effect of insecure work on local economic performance: towards a new research agenda",  # noqa: E501
     "Insecure work can have a cost for individuals, but how does insecurity affect local economies? This blog proposes a new direction for future research, that quantifies the effect insecurity is having locally in order to inform new approaches to improving the quality – and not just quantity – of work.",  # noqa: E501
     [WORK, GROWTH]),
    ("The Northern Powerhouse Independent Economic Review: can ‘transformational’ growth be delivered?",  # noqa: E501
     "Heseltine Institute Research Associate Dr Tom Arnold reflects on the new Northern Powerhouse Independent Economic Review and discusses whether the right policy levers are available to deliver the ‘transformational’ economic growth it proposes.",  # noqa: E501
     [REGIONAL, GROWTH]),
    ("The 2023 Party Conferences: long-term decisions for next year’s election",
     "With both the Conservative and Labour party conferences visiting the North West over recent weeks, Heseltine Institute Research Associate Dr James Hickson considers what the key announcements from both parties suggest about the state of play ahead of the next general election.",  # noqa: E501
     [POLITICS]),
    ("The case for social broadband",
     "By providing social broadband through cheaper tariffs, so the argument goes, we can overcome the vagaries of digital exclusion and poverty.",  # noqa: E501
     [PLANNING, POVERTY]),
    ("The Power of Plans - in Shenzhen, Dublin and New York",
     "In three unmissable podcasts with international guests, Profs. Lucy Natarajan at UCL and Ian Wray at the Heseltine Institute explore what makes for a powerful plan.",  # noqa: E501
     [PLANNING]),
    ("Engaging closely (from afar) with policymakers during the pandemic",
     "Heseltine Institute Research Associate, Andrew McClelland, reflects upon his experience since March 2020 coordinating and editing the COVID-19 Policy Briefs series and offers some insights into the potential for transformative change emerging from the crisis.",  # noqa: E501
     [GOVERNANCE, COVID]),
    ("Post-Covid challenges for Liverpool City Region’s metro mayor",
     "As Liverpool City Region elects a mayor for only the second time, Heseltine Institute research associate, Tom Arnold, considers the policy priorities that will confront the metro mayor during a period of post-Covid recovery.",  # noqa: E501
     [DEVOLUTION, COVID]),
    ("Trickle Down Economics Doesn’t Work: Michael Gove, New Public Management and the Levelling Up White Paper",  # noqa: E501
     "James Coe discusses whether the Levelling Up White Paper reflects a shift away from trickle down economics, towards greater government intervention. James is Head of Sustainability, Policy, and Civic Engagement at the University of Liverpool.",  # noqa: E501
     [REGIONAL, GOVERNANCE, GROWTH]),
    ("Precarious work is on the rise: Why is this a problem?",
     "In the first of two blogs, Heseltine Institute Research Associate James Hickson explores the scale of precarious work in the contemporary UK labour market, and outlines why this poses a distinct threat to individuals, communities, and local economies.",  # noqa: E501
     [WORK, GROWTH]),
    ("Developing local solutions to the problem of precarious work",
     "In his last blog, James Hickson showed how the rise of precarious working arrangements – such as zero-hours contracts and gig economy work – threatens worker freedom, the wellbeing of communities, and local economic prosperity across the UK. Here he explores how innovative local solutions are now required to help disrupt and dismantle this unjust economic model.",  # noqa: E501
     [HEALTH, WORK]),
    ("Unleashing our imagination for political and social change in the Liverpool City Region",
     "In the first of a two-part blog, Heseltine Institute Visiting Fellow Mark Swift discusses the use of imagination in policymaking. Citing a range of examples of creative thinking in the public and third sectors, Mark highlights a range of methodologies designed to harness our collective imagination.",  # noqa: E501
     [SOCIAL_ECONOMY, GOVERNANCE]),
    ("Do We Need a Plan for England?",
     "Back in the 2000s an enthusiastic Regional Development Agency chair went to visit his responsible Minister and asked if we could have a national spatial plan.",  # noqa: E501
     [REGIONAL, PLANNING]),
    ("What the King’s Speech means for Liverpool City Region",
     "Yesterday’s King’s Speech set out the first pieces of legislation to be brought to Parliament under the new Labour government. The speech included 40 bills covering a wide range of policy areas, but with a particular emphasis on improving economic growth, new infrastructure and energy security. In this blog, Cleo Hachem and Tom Arnold highlight the implications for Liverpool City Region in key areas such as economic development, devolution and planning.",  # noqa: E501
     [DEVOLUTION, GROWTH, PLANNING, CLIMATE, POLITICS]),
    ("Joined up? How central government can support place-based working",
     "Joanna Hayes looks at how central government can support local government in a collaborative, place-based approach to addressing local priorities, drawing on lessons from the Partnerships for People and Place pilots.",  # noqa: E501
     [GOVERNANCE]),
    ("Community organising improved my life, what part can it play in national renewal?",
     "In this blog, Belinda reflects on the role of community organising in improving outcomes for communities and its potential role in mission led government.",  # noqa: E501
     [GOVERNANCE, CIVIC]),
    ("What will a Labour government mean for 'levelling up'?",
     "Whilst regional inequality was not a central focus of Labour’s election campaign, James Hickson argues that the Party’s ‘securonomics’ agenda could offer the basis for a new approach to addressing social and economic disparities across the country.",  # noqa: E501
     [REGIONAL, POLITICS]),
    ("Community organising: restoring faith in democracy?",
     "With the UK General Election fast approaching, we ask if community organising could help to re-establish trust in our political system?",  # noqa: E501
     [CIVIC, POLITICS]),
    ("What the manifestos say about combined authorities",
     "With the manifestos of the three largest parties in England now published, Dr Tom Arnold assesses what the future may look like for combined authorities.",  # noqa: E501
     [DEVOLUTION, POLITICS]),
    ("Heseltine Institute General Election 2024 Policy Digest",
     "With a General Election now set for 4 July 2024, the policy community is turning its attention to the next Parliament – and how the biggest policy issues of our time could be addressed.",  # noqa: E501
     [POLITICS]),
]
# fmt: on


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load(DEFAULT_TOPICS)


def posts(*rows: tuple[str, str | None], tags=None, topics=None) -> pd.DataFrame:
    """A small posts frame from (title, summary) pairs."""
    count = len(rows)
    return pd.DataFrame(
        {
            "title": [title for title, _ in rows],
            "summary": [summary for _, summary in rows],
            "authors": [[] for _ in range(count)],
            "tags": tags if tags is not None else [[] for _ in range(count)],
            "topics": topics if topics is not None else [[] for _ in range(count)],
        }
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_sample_posts_all_at_once(taxonomy):
    frame = posts(*[(title, summary) for title, summary, _ in SAMPLE_POSTS])
    assert match_topics(frame, taxonomy).tolist() == [topics for _, _, topics in SAMPLE_POSTS]


@pytest.mark.parametrize(("title", "summary", "topics"), SAMPLE_POSTS)
def test_sample_post(title, summary, topics, taxonomy):
    assert assign_topics(posts((title, summary)), taxonomy).tolist() == [topics]


def test_taxonomy_keeps_file_order(taxonomy):
    assert taxonomy.names == [
        REGIONAL,
        DEVOLUTION,
        SOCIAL_ECONOMY,
        HEALTH,
        GOVERNANCE,
        CIVIC,
        WORK,
        GROWTH,
        PLANNING,
        POVERTY,
        CLIMATE,
        POLITICS,
        COVID,
        HERITAGE,
    ]


# fmt: off
@pytest.mark.parametrize(("text", "topics"), [
    ("The party has a view", []),  # "arts" and "art" are not in "party"
    ("Levelling-up, one year on", [REGIONAL]),
    ("LEVELLING UP", [REGIONAL]),
    ("levelling\u00a0up", [REGIONAL]),
    ("The King's Speech", [POLITICS]),
    ("The King’s Speech", [POLITICS]),
    ("Two pandemics compared", [COVID]),
    ("After COVID-19", [COVID]),
    ("Post-Covid recovery", [COVID]),
    ("Recovering from covid19", [COVID]),
    ("Devolutionary thinking", []),  # a longer word is not the keyword
    ("The metro mayoralty", [DEVOLUTION]),
    ("Heseltine Institute Industrial Strategy Fellow, Jane Doe, considers this.", []),
    ("Jane Doe is Head of Sustainability, Policy, and Civic Engagement.", []),
    ("Civic engagement in Liverpool", [CIVIC]),
    ("Industrial strategy after the election", [GROWTH, POLITICS]),
])
# fmt: on
def test_keyword_matching(text, topics, taxonomy):
    assert match_topics(posts(("A note", text)), taxonomy).tolist() == [topics]


def test_a_tag_equal_to_a_topic_alias_counts(taxonomy):
    """"Inclusion" and "Politics" are aliases, not keywords: only the tag rule finds them."""
    frame = posts(
        ("A note", None),
        ("Another", None),
        ("Third", None),
        tags=[["Inclusion"], ["politics", "Blog"], ["Inclusion matters"]],
    )
    assert match_topics(frame, taxonomy).tolist() == [[POVERTY], [POLITICS], []]


def test_a_tag_naming_a_topic_counts(taxonomy):
    frame = posts(("A note", None), ("Another", None), ("Third", None),
                  tags=[["Devolution"], ["covid", "Blog"], ["Blog"]])
    assert match_topics(frame, taxonomy).tolist() == [[DEVOLUTION], [COVID], []]


def test_tags_are_matched_on_keywords_too(taxonomy):
    frame = posts(("A note", None), tags=[["housing", "net zero"]])
    assert match_topics(frame, taxonomy).tolist() == [[PLANNING, CLIMATE]]


def test_given_topics_are_united_and_canonicalised(taxonomy):
    frame = posts(("Levelling up", None), ("A note", None), ("Covid", None),
                  topics=[["heritage", "Local history"], [UNCLASSIFIED], [UNCLASSIFIED]])
    assert assign_topics(frame, taxonomy).tolist() == [
        [REGIONAL, HERITAGE, "Local history"], [], [COVID],
    ]


def test_nothing_matched_is_an_empty_list(taxonomy):
    frame = posts(("A note", None), ("Another note", "Some words about nothing in particular."))
    assert assign_topics(frame, taxonomy).tolist() == [[], []]


def test_empty_frame(taxonomy):
    frame = posts()
    assert match_topics(frame, taxonomy).tolist() == []
    assert assign_topics(frame, taxonomy).tolist() == []


def test_frame_without_tags_or_summary(taxonomy):
    frame = pd.DataFrame({"title": ["Devolution now", "A note"]})
    assert assign_topics(frame, taxonomy).tolist() == [[DEVOLUTION], []]


def test_odd_tag_cells(taxonomy):
    frame = posts(("A", None), ("B", None), ("C", None), tags=[None, "Devolution", ("Health",)])
    assert match_topics(frame, taxonomy).tolist() == [[], [DEVOLUTION], [HEALTH]]


def test_topic_settings_are_kept(tmp_path):
    path = write(tmp_path / "topics.toml", """
[[topic]]
name = "Housing"
keywords = ["housing"]
target_share = 0.25
cadence_days = 30
priority = 2

[[topic]]
name = "Transport"
keywords = ["transport"]
""")
    taxonomy = Taxonomy.load(path)
    assert taxonomy.settings("target_share") == {"Housing": 0.25}
    assert taxonomy.settings("cadence_days") == {"Housing": 30}
    assert taxonomy.topic("Housing").settings["priority"] == 2
    assert taxonomy.topic("transport").settings == {}


def test_editing_the_taxonomy_changes_the_result(tmp_path):
    path = write(tmp_path / "topics.toml", '[[topic]]\nname = "Housing"\nkeywords = ["housing"]\n')
    frame = posts(("Homes for all", "Why we need more council homes."))
    assert assign_topics(frame, Taxonomy.load(path)).tolist() == [[]]
    write(path, '[[topic]]\nname = "Housing"\nkeywords = ["housing", "homes"]\n')
    assert assign_topics(frame, Taxonomy.load(path)).tolist() == [["Housing"]]


def test_wildcard_keywords(tmp_path):
    path = write(tmp_path / "topics.toml", '[[topic]]\nname = "Ports"\nkeywords = ["freeport*"]\n')
    frame = posts(("Freeports and the North", None), ("Free ports", None))
    assert match_topics(frame, Taxonomy.load(path)).tolist() == [["Ports"], []]


@pytest.mark.parametrize(("keyword", "pattern"), [
    ("covid", "covid"),
    ("metro mayor*", "metro[ \t\n\r\f\v\u00a0\u2010\u2011\u2013-]+mayor[\\pL\\pN_]*"),
    ("King's Speech", "King['\u2019]s[ \t\n\r\f\v\u00a0\u2010\u2011\u2013-]+Speech"),
    ("c++", "c\\+\\+"),
])
def test_keyword_pattern(keyword, pattern):
    assert keyword_pattern(keyword) == pattern


def test_malformed_toml_names_file_and_line(tmp_path):
    path = write(tmp_path / "topics.toml", '[[topic]]\nname = "Housing"\nkeywords = ["a" "b"]\n')
    with pytest.raises(EnrichmentConfigError) as caught:
        Taxonomy.load(path)
    assert str(path) in str(caught.value)
    assert caught.value.line == 3
    assert ", line 3:" in str(caught.value)


# fmt: off
@pytest.mark.parametrize(("text", "line", "words"), [
    ('[[topic]]\nkeywords = ["a"]\n', 1, "needs a non-empty name"),
    ('[[topic]]\nname = "A"\nkeywords = "a"\n', 3, "keywords of 'A'"),
    ('[[topic]]\nname = "A"\nkeywords = ["*"]\n', 3, "keywords of 'A'"),
    ('[[topic]]\nname = "A"\naliases = [1]\n', 3, "aliases of 'A'"),
    ('[[topic]]\nname = "A"\n\n[[topic]]\nname = "B"\ntarget_share = 1.5\n', 6,
     "target_share must be a share between 0 and 1"),
    ('[[topic]]\nname = "A"\ncadence_days = 0\n', 3, "cadence_days must be a number of days"),
    ('[[topic]]\nname = "A"\ncadence_days = "weekly"\n', 3, "cadence_days must be a number"),
    ('[[topic]]\nname = "A"\nhidden = true\n', 3, "hidden must be a number"),
    ('[[topic]]\nname = "A"\n\n[[topic]]\nname = "a"\n', 4, "both 'A' and 'a'"),
    ('[[topic]]\nname = "A"\naliases = ["X"]\n\n[[topic]]\nname = "X"\n', 5, "'X' is used by both"),
    ('[[topic]]\nname = "Unclassified"\n', 1, "reserved"),
    ('[topic]\nname = "A"\n', None, "expected [[topic]] entries"),
])
# fmt: on
def test_bad_entries_name_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path / "topics.toml", text)
    with pytest.raises(EnrichmentConfigError) as caught:
        Taxonomy.load(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in str(caught.value)
