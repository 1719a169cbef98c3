"""Reading and writing Pabulib ``.pb`` files."""

from pathlib import Path

import pytest

from forum.selection import Ballot, Instance, PabulibError, Project, parse_pb, read_pb, write_pb

DATA = Path(__file__).parent / "data" / "pabulib"
ALL_FILES = sorted(DATA.glob("*.pb"))

# line numbers:  1 META, 2 header, 3 description, 4 budget, 5 vote_type, 6 num_projects,
# 7 num_votes, 8 PROJECTS, 9 header, 10-12 projects, 13 VOTES, 14 header, 15-17 votes
VALID = '''META
key;value
description;"ประชาคม; ตำบลบ้านนา"
budget;100
vote_type;approval
num_projects;3
num_votes;3
PROJECTS
project_id;cost;name;selected
A/1;60;ถนนคอนกรีต, หมู่ 3;1
B.2;40.0;"Well ""north""";1
10;30;Library;0
VOTES
voter_id;vote
v1;A/1,B.2
v2;10
v3;
'''


def test_parse_valid_text():
    instance = parse_pb(VALID)
    assert instance.vote_type == "approval"
    assert instance.budget == 100
    assert instance.meta["description"] == "ประชาคม; ตำบลบ้านนา"
    assert list(instance.projects) == ["A/1", "B.2", "10"]
    road, well, library = instance.projects.values()
    assert (road.cost, road.name) == (60, "ถนนคอนกรีต, หมู่ 3")
    assert (well.cost, well.name) == (40, 'Well "north"')
    assert library.extra == {"selected": "0"}
    assert library.selected is False
    assert instance.selected_ids() == ["A/1", "B.2"]
    assert [b.projects for b in instance.votes] == [["A/1", "B.2"], ["10"], []]
    assert all(b.points is None for b in instance.votes)
    assert instance.costs == {"A/1": 60, "B.2": 40, "10": 30}


def test_crlf_bom_and_multiline_fields():
    crlf = "\ufeff" + VALID.replace("\n", "\r\n")
    assert parse_pb(crlf) == parse_pb(VALID)
    # a quoted field may hold a line break; later line numbers stay right
    text = VALID.replace("10;30;Library;0", '10;30;"Library\nof the temple";0')
    assert parse_pb(text).projects["10"].name == "Library\nof the temple"
    broken = text.replace("v2;10", "v2;11")
    with pytest.raises(PabulibError) as info:
        parse_pb(broken)
    assert info.value.line == 17


def test_a_quote_inside_an_unquoted_field_is_literal():
    text = VALID.replace("10;30;Library;0", '10;30;"Odkupmy" i my;0')
    assert parse_pb(text).projects["10"].name == '"Odkupmy" i my'


MALFORMED = [
    ("A/1;60;", "A/1;60.5;", 10, "not an integer"),
    ("A/1;60;", "A/1;sixty;", 10, "not an integer"),
    ("A/1;60;", "A/1;12 000;", 10, "not an integer"),
    ("A/1;60;", "A/1;-60;", 10, "negative"),
    ("10;30;Library;0", "10;30;Library", 12, "has 3 fields, the header has 4"),
    ("10;30;Library;0", "10;30;Library;0;x", 12, "has 5 fields"),
    ("10;30;Library;0", "A/1;30;Library;0", 12, "'A/1' appears twice"),
    ("10;30;Library;0", ";30;Library;0", 12, "empty project_id"),
    ("10;30;Library;0", "1,0;30;Library;0", 12, "contains a comma"),
    ("v2;10", "v2;11", 16, "unknown project '11'"),
    ("v2;10", "v2;10,10", 16, "twice"),
    ("v2;10", "v1;10", 16, "voter 'v1' appears twice"),
    ("vote_type;approval", "vote_type;plurality", 5, "unknown vote_type"),
    ("budget;100", "budget;lots", 4, "budget"),
    ("budget;100\n", "", 1, "no budget"),
    ("vote_type;approval\n", "", 1, "no vote_type"),
    ("num_votes;3", "num_votes;4", 7, "num_votes says 4 but the file has 3"),
    ("num_projects;3", "num_projects;three", 6, "not an integer"),
    ("budget;100", "budget;100;EUR", 4, "META row has 3 fields"),
    ("num_votes;3", "budget;5", 7, "'budget' appears twice"),
    ("project_id;cost;name;selected", "project_id;name;selected", 9, "lacks the 'cost'"),
    ("voter_id;vote", "voter_id;ballot", 14, "lacks the 'vote'"),
    ('"Well ""north"""', '"Well', 11, "unterminated"),
    ("META\n", "hello\nMETA\n", 1, "META section first"),
    ("v3;\n", "v3;\nMETA\n", 18, "META section appears twice"),
    ("PROJECTS\n", "VOTES\n", 8, "expected the PROJECTS section, found VOTES"),
    # without its header, the first project row is read as the header
    ("project_id;cost;name;selected\n", "", 9, "lacks the 'project_id'"),
]


@pytest.mark.parametrize(("old", "new", "line", "message"), MALFORMED)
def test_malformed_files_report_the_line(old, new, line, message):
    assert old in VALID
    with pytest.raises(PabulibError) as info:
        parse_pb(VALID.replace(old, new, 1))
    assert info.value.line == line
    assert message in str(info.value)
    assert str(info.value).startswith(f"line {line}: ")


def test_missing_sections_and_headers():
    with pytest.raises(PabulibError, match="missing VOTES section") as info:
        parse_pb(VALID.split("VOTES")[0])
    assert info.value.line == 13
    with pytest.raises(PabulibError, match="empty"):
        parse_pb("\n\n")
    with pytest.raises(PabulibError, match="PROJECTS section has no header") as info:
        parse_pb(VALID.split("project_id")[0] + "VOTES\nvoter_id;vote\n")
    assert info.value.line == 9
    with pytest.raises(PabulibError, match="VOTES section has no header") as info:
        parse_pb(VALID.split("voter_id")[0])
    assert info.value.line == 14


def test_points_for_cumulative_and_scoring_votes():
    cumulative = (
        VALID.replace("vote_type;approval", "vote_type;cumulative")
        .replace("voter_id;vote", "voter_id;vote;points")
        .replace("v1;A/1,B.2", "v1;A/1,B.2;3,2")
        .replace("v2;10", "v2;10;5")
        .replace("v3;", "v3;;")
    )
    instance = parse_pb(cumulative)
    assert [b.points for b in instance.votes] == [[3, 2], [5], []]
    with pytest.raises(PabulibError, match="2 points for 1 projects") as info:
        parse_pb(cumulative.replace("v2;10;5", "v2;10;5,1"))
    assert info.value.line == 16
    with pytest.raises(PabulibError, match="non-integer points") as info:
        parse_pb(cumulative.replace("v2;10;5", "v2;10;five"))
    assert info.value.line == 16
    with pytest.raises(PabulibError, match="'points' column") as info:
        parse_pb(VALID.replace("vote_type;approval", "vote_type;scoring"))
    assert info.value.line == 14


def test_counts_can_be_left_unchecked():
    text = VALID.replace("num_votes;3", "num_votes;4")
    assert len(parse_pb(text, check_counts=False).votes) == 3


def test_integral_costs_and_budgets():
    text = VALID.replace("A/1;60;", "A/1;6.0e1;").replace("budget;100", "budget;100.00")
    instance = parse_pb(text)
    assert instance.projects["A/1"].cost == 60
    assert instance.budget == 100
    assert isinstance(instance.budget, int)
    assert parse_pb(VALID.replace("budget;100", "budget;99.5")).budget * 2 == 199


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_real_files_parse(path):
    instance = read_pb(path)
    meta = instance.meta
    assert len(instance.projects) == int(meta["num_projects"])
    assert len(instance.votes) == int(meta["num_votes"])
    assert instance.vote_type == meta["vote_type"]
    assert all(isinstance(pid, str) for pid in instance.projects)
    assert all(isinstance(b.voter_id, str) for b in instance.votes)
    if instance.vote_type in ("cumulative", "scoring"):
        assert all(len(b.points) == len(b.projects) for b in instance.votes)
        if "max_sum_points" in meta:
            assert all(sum(b.points) <= int(meta["max_sum_points"]) for b in instance.votes)
    if instance.vote_type == "ordinal":
        assert all(len(b.projects) <= int(meta["max_length"]) for b in instance.votes)


def test_real_file_details():
    warszawa = read_pb(DATA / "Poland_Warszawa_2017_ZielonaGrzybowa.pb")
    assert warszawa.meta["subunit"] == "Zielona,Grzybowa"
    assert warszawa.projects["1361"].extra["category"] == "education,sport,health"
    assert warszawa.votes[0].extra == {"age": "39", "sex": "M", "voting_method": "internet"}
    krakow = read_pb(DATA / "Poland_Krakow_2018_Wzgorza_Krzeslawickie.pb")
    assert krakow.projects["1"].name == '"Trejaż w Kantorowicach"'
    assert krakow.votes[0].projects == ["1", "4", "2"]  # rank order kept
    czestochowa = read_pb(DATA / "Poland_Czestochowa_2020_Grabowka.pb")
    assert czestochowa.projects["47"].name.startswith('"Odkupmy" i my - zakup')
    assert czestochowa.meta["unit"] == "Częstochowa"
    assen = read_pb(DATA / "Netherlands_Assen_2024.pb")
    assert assen.votes[0].voter_id == "vote01006bcf-62b6-435d-a0de-2966c3e75249"
    assert assen.projects["3"].selected is True


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_round_trip(path):
    instance = read_pb(path)
    text = write_pb(instance)
    again = parse_pb(text)
    assert again == instance
    assert write_pb(again) == text


def test_round_trip_of_awkward_text():
    text = VALID.replace("10;30;Library;0", '10;30;"a;b ""c""\nd";0')
    instance = parse_pb(text)
    assert parse_pb(write_pb(instance)) == instance


def test_write_an_instance_built_in_code():
    instance = Instance(
        meta={"description": "ตำบลบ้านนา", "budget": "500000"},
        projects={
            "p-1": Project("p-1", 300000, "ถนน; หมู่ 2", {"village": "บ้านนา"}),
            "p-2": Project("p-2", 150000),
        },
        votes=[Ballot("v1", ["p-1"], [3]), Ballot("v2", ["p-1", "p-2"], [1, 2])],
        vote_type="cumulative",
    )
    text = write_pb(instance)
    assert "vote_type;cumulative" in text
    assert "project_id;cost;name;village" in text
    assert 'p-1;300000;"ถนน; หมู่ 2";บ้านนา' in text
    assert "voter_id;vote;points" in text
    parsed = parse_pb(text)
    assert parsed.budget == 500000
    assert parsed.projects["p-1"] == instance.projects["p-1"]
    # a column one project has is written (empty) for the others
    assert parsed.projects["p-2"].extra == {"village": ""}
    assert parsed.votes == instance.votes
