"""The demo's content is data (demo/data/*.toml): a file that is wrong is refused, naming the file and the entry."""

import datetime
import shutil

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError

from demo.spec import DATA, DemoDataError, fold, read_demo
from people import services as people_services
from people.models import Person
from tests.factories import AgencyFactory


@pytest.fixture
def halton(tmp_path):
    """A copy of Halton's file to break, and a function that replaces text in it once."""
    path = tmp_path / "halton.toml"
    shutil.copy(DATA / "halton.toml", path)

    def change(old, new):
        text = path.read_text()
        assert text.count(old) == 1, old
        path.write_text(text.replace(old, new))
        return path

    return change


def test_demo_files_read_with_every_update_in_round_order():
    northumberland, halton = read_demo(DATA / "northumberland.toml"), read_demo(DATA / "halton.toml")

    assert len(northumberland.actions) == 22
    assert [r.label for r in northumberland.rounds] == ["January 2020", "March 2020", "May 2020"]
    for demo in (northumberland, halton):
        for action in demo.actions:
            assert [update.round for update in action.updates] == [r.label for r in demo.rounds]
    assert northumberland.inspection["fieldwork_start"] == datetime.date(2019, 6, 17)
    assert halton.inspection["plan_endorsed"] is None
    assert set(halton.wording) == {"complete", "green", "yellow", "amber", "red"}


def test_demo_text_is_folded_into_paragraphs():
    assert (
        fold("\nOne line\nand the next.\n\n  A second\n  paragraph.\n")
        == "One line and the next.\n\nA second paragraph."
    )


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            'lead = "halton.lead"\nlead_agency = "HBC"\nsupporting = ["Police", "CCG"]\ntarget_date = 2020-06-30',
            'lead = "halton.nobody"\nlead_agency = "HBC"\nsupporting = ["Police", "CCG"]\ntarget_date = 2020-06-30',
            r'halton\.toml, action 2\.1: "lead" must be one of halton\.manager, halton\.chair, halton\.lead, not',
        ),
        (
            'agreed_quadrant = "amber"',
            'agreed_quadrant = "purple"',
            r"halton\.toml, action 2\.1, update for Q4 2019/20: \"agreed_quadrant\" must be one of complete, green",
        ),
        (
            'round = "Q4 2019/20"\nagreed_quadrant = "amber"',
            'round = "Q1 2020/21"\nagreed_quadrant = "amber"',
            r"halton\.toml, action 2\.1, update for Q1 2020/21: \"round\" must be one of Q4 2019/20",
        ),
        (
            "areas = [2]",
            "areas = [9]",
            r"halton\.toml, action 2\.1: \"areas\" must list numbers of areas for improvement in the findings",
        ),
        ('kind = "council"', 'kind = "county"', r"halton\.toml, agency HBC: \"kind\" must be one of council"),
        (
            "fieldwork_end = 2019-07-12",
            'fieldwork_end = "12 July 2019"',
            r"halton\.toml, \[inspection\]: \"fieldwork_end\" must be a date \(2020-05-31\), not '12 July 2019'",
        ),
        (
            'evidence = "Audit tool."',
            'evidnce = "Audit tool."',
            r"halton\.toml, action 1\.2, update for Q4 2019/20: unknown key 'evidnce'",
        ),
        (
            'red = { label = "Red", description = "Off track: will not be delivered without the partnership\'s help" }',
            "",
            r'halton\.toml, \[quadrant_wording\]: "red" is missing',
        ),
        (
            'chair = "halton.chair"',
            'chair = "halton.lead"\nchair = "halton.chair"',
            r"halton\.toml: Cannot overwrite a value",
        ),
    ],
)
def test_demo_file_that_is_wrong_is_refused_naming_the_file_and_the_entry(halton, old, new, error):
    path = halton(old, new)

    with pytest.raises(DemoDataError, match=error):
        read_demo(path)


def test_demo_action_without_an_update_for_a_round_is_refused(halton):
    path = halton('[[actions.updates]]\nround = "Q4 2019/20"\nagreed_quadrant = "amber"', "[[actions.updates]]")

    with pytest.raises(DemoDataError, match=r"action 2\.1, updates entry 1: \"round\" is missing"):
        read_demo(path)


@pytest.mark.django_db
def test_demo_password_hashed_once_still_passes_the_validators(settings):
    """The demo hands ``person_create`` one hash for all its users; the password is still checked as anyone's."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agency = AgencyFactory()
    hashed = make_password("Demo-tracker-2026")

    def create(username, password):
        return people_services.person_create(
            partnership=agency.partnership,
            by=None,
            first_name="Sam",
            last_name="Reid",
            agency=agency,
            role=Person.Role.VIEWER,
            username=username,
            password=password,
            hash_password=lambda password: hashed,
        )

    person = create("sam.reid", "Demo-tracker-2026")
    assert person.user.password == hashed
    assert check_password("Demo-tracker-2026", person.user.password)
    with pytest.raises(ValidationError, match="at least 12 characters"):
        create("sam.reid.2", "short")


def test_demo_open_round_is_named_for_the_month_its_period_ends_in(tmp_path):
    """The loader renames the open round when it moves it to the day of the load: its label must be its month."""
    path = tmp_path / "northumberland.toml"
    text = (DATA / "northumberland.toml").read_text()
    path.write_text(
        text.replace('label = "June 2020"\ncadence = "monthly"', 'label = "Q1 2020/21"\ncadence = "monthly"')
    )

    with pytest.raises(
        DemoDataError, match=r"\[open_round\]: \"label\" must name the month the period ends in, 'June 2020'"
    ):
        read_demo(path)


def test_demo_file_with_an_open_round_has_every_earlier_round_endorsed(halton):
    """Only an endorsed round keeps its record when the loader moves the plan's dates to the day of the load."""
    path = halton(
        "# Halton's own words",
        '[open_round]\nlabel = "June 2020"\ncadence = "monthly"\nperiod_end = 2020-06-30\n'
        'update_deadline = 2020-07-07\nnarrative = "{next_steps}"\nnext_steps = "More."\n\n# Halton\'s own words',
    )

    with pytest.raises(
        DemoDataError, match=r"halton\.toml, round Q4 2019/20: a file with an open round must give every"
    ):
        read_demo(path)


def test_demo_report_style_reads_its_logo_sanitised_and_its_default_wording():
    style = read_demo(DATA / "northumberland.toml").report_style
    assert (style.council_name, style.body_size, style.logo_type) == (
        "Northumberland County Council",
        12,
        "image/svg+xml",
    )
    assert style.defaults["sign_off"].splitlines()[0] == "Monitoring Officer/Legal: Liam Henry"
    assert style.defaults["implication_wards"] == "All"


@pytest.mark.parametrize(
    ("addition", "error"),
    [
        (
            '[report_style]\ncouncil_name = "Halton"\n[report_style.defaults]\nwards = "All"',
            r"\"wards\" is not a section",
        ),
        (
            '[report_style]\ncouncil_name = "Halton"\nbody_size = 13\n[report_style.defaults]',
            r"\"body_size\" must be one",
        ),
        (
            '[report_style]\ncouncil_name = "Halton"\nlogo = "../x.svg"\n[report_style.defaults]',
            r"no file '\.\./x\.svg'",
        ),
    ],
)
def test_demo_report_style_that_is_wrong_is_refused(tmp_path, addition, error):
    path = tmp_path / "halton.toml"
    path.write_text((DATA / "halton.toml").read_text() + "\n" + addition + "\n")
    with pytest.raises(DemoDataError, match=error):
        read_demo(path)
