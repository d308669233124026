"""Authors: byline splitting, the registry, and recognition of authors named in summaries."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dashboard.enrich import (
    DEFAULT_AUTHORS,
    DEFAULT_TOPICS,
    AuthorRegistry,
    EnrichmentConfigError,
    Taxonomy,
    authors_in_text,
    canonical_authors,
    enrich,
    split_names,
)
from dashboard.enrich.authors import (
    LIST_OF_STRINGS,
    Author,
    author_column,
    author_column_plain,
)
from dashboard.enrich.names import clean_name
from dashboard.schema import list_series

BELINDA = "In this blog, Belinda reflects on the role of community organising in improving outcomes for communities and its potential role in mission led government."  # noqa: E501

# Every summary and standfirst in the sample pages, with the authors a reader credits.
# fmt: off
SAMPLE_SUMMARIES = [
    ("Heseltine Institute Research Associate, Andrew McClelland, draws upon recent experiences at two international fora in the UK and China, which speak in different ways to the uses of heritage within contemporary diplomatic affairs in an era of shifting geopolitical power.",  # noqa: E501
     ["Andrew McClelland"]),
    ("In this blog, Heseltine Institute fellow, Mark Swift, argues for the growing importance of social entrepreneurship and identifies concrete steps to support activism at a local level.",  # noqa: E501
     ["Mark Swift"]),
    ("Heseltine Institute Visiting Fellow Ian Wray discusses his latest book, 'No Little Plans: How Government Built America's Wealth and Infrastructure'.",  # noqa: E501
     ["Ian Wray"]),
    ("A few days ago an architect friend floated some imaginative ideas for Liverpool city centre. Bring back the One O' Clock Gun, which as late as the 1960s was used by people to set their watches (originally it synchronised ships’ chronometers). The gun could be a nice Pier Head tourist attraction. Get the through traffic out of Rodney Street, the finest Georgian street in the North of England, and widen the pavements. And build a monorail on the line of the old Liverpool overhead railway, connecting up the waterfront. If Chester Zoo can afford a monorail, why not the city centre?",  # noqa: E501
     []),
    ("In this blog paper, Heseltine Institute Industrial Strategy Fellow, Belinda Tyrrell, considers the impact the COVID-19 pandemic may have on residents of deprived communities.",  # noqa: E501
     ["Belinda Tyrrell"]),
    ("While the immediate economic outlook is certainly gloomy, the medium-term outlook is better.",
     []),
    ("Insecure work can have a cost for individuals, but how does insecurity affect local economies? This blog proposes a new direction for future research, that quantifies the effect insecurity is having locally in order to inform new approaches to improving the quality – and not just quantity – of work.",  # noqa: E501
     []),
    ("Heseltine Institute Research Associate Dr Tom Arnold reflects on the new Northern Powerhouse Independent Economic Review and discusses whether the right policy levers are available to deliver the ‘transformational’ economic growth it proposes.",  # noqa: E501
     ["Tom Arnold"]),
    ("With both the Conservative and Labour party conferences visiting the North West over recent weeks, Heseltine Institute Research Associate Dr James Hickson considers what the key announcements from both parties suggest about the state of play ahead of the next general election.",  # noqa: E501
     ["James Hickson"]),
    ("By providing social broadband through cheaper tariffs, so the argument goes, we can overcome the vagaries of digital exclusion and poverty.",  # noqa: E501
     []),
    ("In three unmissable podcasts with international guests, Profs. Lucy Natarajan at UCL and Ian Wray at the Heseltine Institute explore what makes for a powerful plan.",  # noqa: E501
     ["Lucy Natarajan", "Ian Wray"]),
    ("Heseltine Institute Research Associate, Andrew McClelland, reflects upon his experience since March 2020 coordinating and editing the COVID-19 Policy Briefs series and offers some insights into the potential for transformative change emerging from the crisis.",  # noqa: E501
     ["Andrew McClelland"]),
    ("As Liverpool City Region elects a mayor for only the second time, Heseltine Institute research associate, Tom Arnold, considers the policy priorities that will confront the metro mayor during a period of post-Covid recovery.",  # noqa: E501
     ["Tom Arnold"]),
    ("James Coe discusses whether the Levelling Up White Paper reflects a shift away from trickle down economics, towards greater government intervention. James is Head of Sustainability, Policy, and Civic Engagement at the University of Liverpool.",  # noqa: E501
     ["James Coe"]),
    ("In the first of two blogs, Heseltine Institute Research Associate James Hickson explores the scale of precarious work in the contemporary UK labour market, and outlines why this poses a distinct threat to individuals, communities, and local economies.",  # noqa: E501
     ["James Hickson"]),
    ("In his last blog, James Hickson showed how the rise of precarious working arrangements – such as zero-hours contracts and gig economy work – threatens worker freedom, the wellbeing of communities, and local economic prosperity across the UK. Here he explores how innovative local solutions are now required to help disrupt and dismantle this unjust economic model.",  # noqa: E501
     ["James Hickson"]),
    ("In the first of a two-part blog, Heseltine Institute Visiting Fellow Mark Swift discusses the use of imagination in policymaking. Citing a range of examples of creative thinking in the public and third sectors, Mark highlights a range of methodologies designed to harness our collective imagination.",  # noqa: E501
     ["Mark Swift"]),
    ("Back in the 2000s an enthusiastic Regional Development Agency chair went to visit his responsible Minister and asked if we could have a national spatial plan. The response was telling: ‘Oh, we don’t want one of those. Everybody would be able to see what we were doing’.",  # noqa: E501
     []),
    ("Yesterday’s King’s Speech set out the first pieces of legislation to be brought to Parliament under the new Labour government. The speech included 40 bills covering a wide range of policy areas, but with a particular emphasis on improving economic growth, new infrastructure and energy security. In this blog, Cleo Hachem and Tom Arnold highlight the implications for Liverpool City Region in key areas such as economic development, devolution and planning.",  # noqa: E501
     ["Cleo Hachem", "Tom Arnold"]),
    ("Joanna Hayes looks at how central government can support local government in a collaborative, place-based approach to addressing local priorities, drawing on lessons from the Partnerships for People and Place pilots.",  # noqa: E501
     ["Joanna Hayes"]),
    (BELINDA,
     ["Belinda Tyrrell"]),
    ("Whilst regional inequality was not a central focus of Labour’s election campaign, James Hickson argues that the Party’s ‘securonomics’ agenda could offer the basis for a new approach to addressing social and economic disparities across the country.",  # noqa: E501
     ["James Hickson"]),
    ("With the UK General Election fast approaching, we ask if community organising could help to re-establish trust in our political system?",  # noqa: E501
     []),
    ("With the manifestos of the three largest parties in England now published, Dr Tom Arnold assesses what the future may look like for combined authorities.",  # noqa: E501
     ["Tom Arnold"]),
    ("With a General Election now set for 4 July 2024, the policy community is turning its attention to the next Parliament – and how the biggest policy issues of our time could be addressed. In the run up to the election, the Heseltine Institute will be publishing pieces on a range of topics that will undoubtedly be subject to debate over the coming weeks. In the meantime, we’ve trawled our archives to highlight some of our recent policy-focused work.",  # noqa: E501
     []),
]

# Sentences the samples do not have: authors the registry has never heard of, and people who
# are written about rather than writing.
HARD_CASES = [
    ("Steve Rotheram has been elected as metro mayor for a third term.", []),
    ("Lord Heseltine's lecture explores the future of Britain's cities.", []),
    ("Levelling Up Secretary Michael Gove argues that trickle-down economics has failed.", []),
    ("Mayor Steve Rotheram argues that devolution is working.", []),
    ("Steve Rotheram, Mayor of the Liverpool City Region, argues that devolution is working.", []),
    ("In this blog, we ask whether the new deal is enough.", []),
    ("In this blog, the Chancellor argues that growth comes first.", []),
    ("The Liverpool City Region Combined Authority reports record investment.", []),
    ("Government argues that growth is the priority.", []),
    ("Ahmed reflects on the election.", []),
    ("Jane Smith, Tom Jones and Amira Patel argue that councils need more powers.",
     ["Jane Smith", "Tom Jones", "Amira Patel"]),
    ("A. N. Other considers the evidence on housing.", ["A. N. Other"]),
    ("Sarah Jones-Smith examines the housing crisis.", ["Sarah Jones-Smith"]),
    ("Siobhan O'Neill explores rural poverty.", ["Siobhan O'Neill"]),
    ("Siobhan O’Neill explores rural poverty.", ["Siobhan O’Neill"]),
    ("Zoë Brontë and José Núñez discuss culture-led regeneration.", ["Zoë Brontë", "José Núñez"]),
    ("Here, Ludwig van Beethoven reflects on public funding for orchestras.",
     ["Ludwig van Beethoven"]),
    ("Jane Doe, a research associate, argues that data matters.", ["Jane Doe"]),
    ("Professor Jane Doe of the University of Liverpool and Dr John Smith from UCL consider the "
     "evidence.", ["Jane Doe", "John Smith"]),
    ("A new blog by Jane Doe and John Smith.", ["Jane Doe", "John Smith"]),
    ("Written by Dr Jane Doe, Research Associate at the Heseltine Institute.", ["Jane Doe"]),
    ("By providing cheaper tariffs we can overcome digital exclusion.", []),
    ("In this blog, Ahmed reflects on the election.", ["Ahmed"]),
    ("In this blog, Tom reflects on the election.", ["Tom Arnold"]),  # one Tom in the registry
    ("In this blog, James reflects on the election.", ["James"]),  # two: kept as written
    ("James Hickson argues that work is precarious. James also shows why.", ["James Hickson"]),
    ("Tom Arnold's latest blog looks at the budget.", ["Tom Arnold"]),
    ("Lord Heseltine's new book looks at the budget.", []),
    ("Priya Shah looks at council budgets. Here, Priya argues that reserves are too low.",
     ["Priya Shah"]),  # a first name goes to the full name earlier in the same summary
    ("In this blog, Heseltine Institute Research Associate Dr Tom Arnold and Professor Jane Doe "
     "assess the deal.", ["Tom Arnold", "Jane Doe"]),
    ("", []),
    (None, []),
]
# fmt: on


@pytest.fixture(scope="module")
def registry() -> AuthorRegistry:
    return AuthorRegistry.load(DEFAULT_AUTHORS)


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.load(DEFAULT_TOPICS)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("summary", "authors"), SAMPLE_SUMMARIES)
def test_sample_summaries(summary, authors, registry):
    assert authors_in_text(summary, registry) == authors


@pytest.mark.parametrize(("summary", "authors"), SAMPLE_SUMMARIES)
def test_sample_summaries_need_no_registry(summary, authors):
    """The rules, not registry entries, find the authors: only a lone first name needs one."""
    expected = ["Belinda"] if summary == BELINDA else authors
    assert authors_in_text(summary, AuthorRegistry()) == expected


@pytest.mark.parametrize(("summary", "authors"), HARD_CASES)
def test_hard_cases(summary, authors, registry):
    assert authors_in_text(summary, registry) == authors


# fmt: off
@pytest.mark.parametrize(("field", "names"), [
    ("Tom Arnold", ["Tom Arnold"]),
    ("Dr Tom Arnold", ["Tom Arnold"]),
    ("Dr. Tom Arnold", ["Tom Arnold"]),
    ("Cleo Hachem and Tom Arnold", ["Cleo Hachem", "Tom Arnold"]),
    ("A. Smith, B. Jones & C. Patel", ["A. Smith", "B. Jones", "C. Patel"]),
    ("Jane Doe; John Smith", ["Jane Doe", "John Smith"]),
    ("Tom Arnold, PhD", ["Tom Arnold"]),
    ("Tom Arnold, Research Associate", ["Tom Arnold"]),
    ("Heseltine Institute Visiting Fellow Ian Wray", ["Ian Wray"]),
    ("Lucy Natarajan at UCL", ["Lucy Natarajan"]),
    ("Profs. Lucy Natarajan and Ian Wray", ["Lucy Natarajan", "Ian Wray"]),
    ("Jane Doe (University of Liverpool)", ["Jane Doe"]),
    ("jane@example.org (Jane Doe)", ["Jane Doe"]),
    ("Jane Doe <jane@example.org>", ["Jane Doe"]),
    ("Dr Smith", ["Dr Smith"]),
    ("Sarah Jones-Smith", ["Sarah Jones-Smith"]),
    ("Andersen Anderson", ["Andersen Anderson"]),
    ("", []),
])
# fmt: on
def test_split_names(field, names):
    assert split_names(field) == names


# fmt: off
@pytest.mark.parametrize(("fields", "names"), [
    (["Dr Tom Arnold"], ["Tom Arnold"]),
    (["tom arnold"], ["Tom Arnold"]),
    (["Belinda"], ["Belinda Tyrrell"]),
    (["Tom"], ["Tom Arnold"]),
    (["James"], ["James"]),
    (["Tom Arnold", "Dr Tom Arnold"], ["Tom Arnold"]),
    (["Cleo Hachem and Dr Tom Arnold"], ["Cleo Hachem", "Tom Arnold"]),
    (["Ian Wray", "Lucy Natarajan"], ["Ian Wray", "Lucy Natarajan"]),
    (["Zoë Brontë", "Zoe Bronte"], ["Zoë Brontë"]),
    (["Siobhan O’Neill", "Siobhan O'Neill"], ["Siobhan O’Neill"]),
    (["Jane Doe"], ["Jane Doe"]),
    ([], []),
])
# fmt: on
def test_canonical_authors(fields, names, registry):
    assert canonical_authors(fields, registry) == names


def test_clean_name_keeps_a_surname_that_is_also_a_job_word():
    assert clean_name("John Head") == "John Head"
    assert clean_name("Senior Lecturer John Head") == "John Head"


def test_registry_contents(registry):
    assert "Tom Arnold" in registry.names
    assert registry.roles["Belinda Tyrrell"] == "Industrial Strategy Fellow, Heseltine Institute"
    assert registry.canonical("DR. TOM ARNOLD") == "Tom Arnold"
    assert registry.canonical("Someone New") == "Someone New"


def test_every_sample_author_is_in_the_registry(registry):
    sample_authors = {name for _, names in SAMPLE_SUMMARIES for name in names}
    assert sample_authors <= set(registry.names)


def test_structured_authors_win_over_the_summary(registry, taxonomy):
    posts = pd.DataFrame({
        "title": ["One", "Two"],
        "summary": ["Tom Arnold argues that the deal works.", "Tom Arnold argues that it works."],
        "authors": [["Dr Jane Doe and Belinda"], []],
        "tags": [[], []],
        "topics": [[], []],
    })
    enriched = enrich(posts, registry, taxonomy)
    assert enriched["authors"].tolist() == [["Jane Doe", "Belinda Tyrrell"], ["Tom Arnold"]]
    assert posts["authors"].tolist() == [["Dr Jane Doe and Belinda"], []]


def test_author_column_accepts_missing_and_odd_cells(registry):
    posts = pd.DataFrame({
        "authors": [None, "Dr Tom Arnold", ("Ian Wray",), float("nan")],
        "summary": [None, None, None, "In this blog, Belinda reflects on organising."],
    })
    column = author_column(posts, registry)
    assert column.tolist() == [[], ["Tom Arnold"], ["Ian Wray"], ["Belinda Tyrrell"]]
    assert column.iloc[0] is not column.iloc[1]


def test_rows_share_no_list_objects(registry):
    posts = pd.DataFrame({"authors": [["Tom Arnold"], ["Tom Arnold"]], "summary": [None, None]})
    column = author_column(posts, registry)
    column.iloc[0].append("Someone Else")
    assert column.iloc[1] == ["Tom Arnold"]


# --- the authors column against its plain definition ------------------------------------------

# A registry of the test's own: accents, a curly apostrophe, aliases, two authors called James (so
# "James" alone stays as written) and a subject, who is never credited from a summary.
SMALL_REGISTRY = AuthorRegistry(
    [
        Author("Tom Arnold", ("Dr Tom Arnold", "T. Arnold")),
        Author("Zoë Brontë"),
        Author("Siobhan O’Neill"),
        Author("Cleo Hachem", role="Research Associate"),
        Author("James Hickson"),
        Author("James Coe"),
    ],
    subjects=["Andy Burnham"],
)


def spellings(name: str) -> list[str]:
    """Ways a source may write a name: case, accents, titles, roles, asides, first name."""
    unaccented = "".join(
        c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)
    )
    return [
        name,
        name.upper(),
        name.lower(),
        unaccented,
        f"Dr {name}",
        f"Prof. {name}",
        f"{name}, PhD",
        f"Research Associate {name}",
        f"{name} (University of Liverpool)",
        name.split()[0],
    ]


# Registry names and two it does not know (kept as written, so "JANE DOE" and "Jane Doe" are two
# spellings of one author); a table names a few of them, each written several ways.
PEOPLE = [*SMALL_REGISTRY.names, "Jane Doe", "José Núñez"]
OTHER_NAMES = [
    *["T. Arnold", "Ahmed", "A. N. Other", "Andy Burnham", "Mayor Steve Rotheram"],
    *["Research Associate", "", "  ", "jane@example.org (Jane Doe)", "Jane Doe <jane@x.org>"],
]
SEPARATORS = [" and ", ", ", " & ", "; ", " / ", " AND "]
LEAD_INS = ["", "In this blog, ", "Here, ", "Institute Research Associate "]
VERBS = ["argues", "considers", "looks at", "has been elected"]


def cells(names: st.SearchStrategy[str]) -> st.SearchStrategy[object]:
    """Authors cells: missing, one field, or a list or tuple of fields (repeats likely)."""
    joined = st.lists(names, min_size=1, max_size=3)
    fields = st.builds(str.join, st.sampled_from(SEPARATORS), joined)
    return st.one_of(
        st.none(),
        st.just(float("nan")),
        fields,
        st.lists(st.one_of(fields, names), max_size=4),
        st.lists(st.one_of(names, st.none()), max_size=3).map(tuple),
    )


def summaries(names: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    """Summaries: empty, naming authors in a cue or a byline, naming nobody, or any text."""
    listed = st.lists(names, min_size=1, max_size=3)
    return st.one_of(
        st.sampled_from([None, "", "   "]),
        st.builds(
            "{}{} {} the budget.".format,
            st.sampled_from(LEAD_INS),
            listed.map(" and ".join),
            st.sampled_from(VERBS),
        ),
        st.builds("A new blog by {}.".format, listed.map(", ".join)),
        st.builds("{}'s latest blog looks at housing.".format, names),
        st.text(max_size=30),
    )


@functools.cache
def rows_naming(cast: tuple[str, ...]) -> st.SearchStrategy[list[tuple[object, str | None]]]:
    """Up to eight (authors cell, summary) rows naming the people of ``cast``."""
    names = st.sampled_from([s for person in cast for s in spellings(person)] + OTHER_NAMES)
    return st.lists(st.tuples(cells(names), summaries(names)), max_size=8)


@st.composite
def posts(draw) -> pd.DataFrame:
    """A small posts table: authors cells of every shape, summaries that may name authors."""
    cast = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3, unique=True))
    rows = draw(rows_naming(tuple(sorted(cast))))
    index = pd.RangeIndex(len(rows))[:: draw(st.sampled_from([1, -1]))] + 5
    columns = {"authors": [cell for cell, _ in rows], "summary": [text for _, text in rows]}
    as_arrow = all(cell is None or isinstance(cell, list | tuple) for cell in columns["authors"])
    if as_arrow and draw(st.booleans()):  # as the loader hands it over
        lists = pa.array(columns["authors"], type=LIST_OF_STRINGS)
        columns["authors"] = list_series(lists, index)
    for name in draw(st.sampled_from([(), ("authors",), ("summary",)])):
        del columns[name]
    return pd.DataFrame(columns, index=index)


@given(posts())
@example(  # one spelling twice, one person twice, a post named only in its summary
    pd.DataFrame(
        {
            "authors": [["Jane Doe", "JANE DOE and Dr Tom Arnold", "tom arnold"], None, ["Tom"]],
            "summary": ["Ahmed argues.", "In this blog, Zoe Bronte and James argue.", "Cleo says."],
        },
        index=[7, 6, 5],
    )
)
@settings(max_examples=300, deadline=None)
def test_author_column_is_its_plain_definition(frame):
    """The fast kernel gives exactly the plain definition's lists, in the same order."""
    fast = author_column(frame, SMALL_REGISTRY)
    plain = author_column_plain(frame, SMALL_REGISTRY)
    assert fast.index.equals(frame.index) and plain.index.equals(frame.index)
    assert fast.dtype == plain.dtype
    assert fast.tolist() == plain.tolist()


def test_editing_the_registry_changes_the_result(tmp_path, taxonomy):
    path = write(tmp_path / "authors.toml", """
[[author]]
name = "James Hickson"

[[author]]
name = "James Coe"
""")
    posts = pd.DataFrame({
        "title": ["A post"], "summary": ["In this blog, James reflects on the budget."],
        "authors": [[]], "tags": [[]], "topics": [[]],
    })
    assert enrich(posts, AuthorRegistry.load(path), taxonomy)["authors"][0] == ["James"]
    write(path, path.read_text() + 'aliases = ["James"]\n')
    assert enrich(posts, AuthorRegistry.load(path), taxonomy)["authors"][0] == ["James Coe"]


def test_listed_subjects_are_not_credited_from_summaries(tmp_path, taxonomy):
    path = write(tmp_path / "authors.toml", 'subjects = ["Andy Burnham"]\n')
    posts = pd.DataFrame({
        "title": ["One", "Two"],
        "summary": ["Andy Burnham argues that the North needs powers."] * 2,
        "authors": [[], ["Andy Burnham"]],
        "tags": [[], []],
        "topics": [[], []],
    })
    assert enrich(posts, AuthorRegistry(), taxonomy)["authors"].tolist() == [
        ["Andy Burnham"], ["Andy Burnham"],
    ]
    registry = AuthorRegistry.load(path)
    assert registry.subjects == ("Andy Burnham",)
    assert enrich(posts, registry, taxonomy)["authors"].tolist() == [[], ["Andy Burnham"]]


def test_malformed_toml_names_file_and_line(tmp_path):
    path = write(tmp_path / "authors.toml", '[[author]]\nname = "Tom Arnold"\naliases = [\n')
    with pytest.raises(EnrichmentConfigError) as caught:
        AuthorRegistry.load(path)
    assert str(path) in str(caught.value)
    assert caught.value.line == 4
    assert ", line 4:" in str(caught.value)


# fmt: off
@pytest.mark.parametrize(("text", "line", "words"), [
    ('[[author]]\nname = "A B"\n\n[[author]]\nrole = "Fellow"\n', 4, "needs a non-empty name"),
    ('[[author]]\nname = "A B"\naliases = "Dr A B"\n', 3, "aliases"),
    ('[[author]]\nname = "A B"\nrole = 3\n', 3, "role"),
    ('[[author]]\nname = "A B"\nalias = ["B"]\n', 3, "unknown field 'alias'"),
    ('[[author]]\nname = "A B"\naliases = ["Sam"]\n\n[[author]]\nname = "C D"\naliases = ["Sam"]\n',
     5, "both 'A B' and 'C D'"),
    ('authors = 1\n', 1, "unknown top-level key"),
    ('subjects = "Andy Burnham"\n', 1, "subjects must be a list"),
])
# fmt: on
def test_bad_entries_name_file_and_line(tmp_path, text, line, words):
    path = write(tmp_path / "authors.toml", text)
    with pytest.raises(EnrichmentConfigError) as caught:
        AuthorRegistry.load(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in str(caught.value)


def test_missing_file_is_a_config_error(tmp_path):
    with pytest.raises(EnrichmentConfigError, match="cannot read"):
        AuthorRegistry.load(tmp_path / "absent.toml")
