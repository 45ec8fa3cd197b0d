"""A round's life is defined once (actions/rounds.py): services move only along it, pages ask the round."""

import datetime

import pytest

from actions import rounds, services
from actions.models import MonitoringRound
from actions.rounds import RoundState
from people.models import Person
from tests.factories import MonitoringRoundFactory, PersonFactory

pytestmark = pytest.mark.django_db

ALL = list(RoundState)


@pytest.fixture
def chair(action):
    return PersonFactory(partnership=action.plan.inspection.partnership, role=Person.Role.CHAIR)


def make_round(action, state):
    return MonitoringRoundFactory(
        plan=action.plan,
        state=state,
        endorsed_on=datetime.date(2020, 6, 2) if state == RoundState.ENDORSED else None,
    )


@pytest.mark.parametrize("start", ALL)
@pytest.mark.parametrize("target", [RoundState.OPEN, RoundState.SENSE_CHECK])
def test_round_set_state_moves_only_along_the_transitions(action, chair, start, target):
    monitoring_round = make_round(action, start)
    if rounds.can_move(start, target):
        services.round_set_state(monitoring_round=monitoring_round, by=chair, state=target)
        assert MonitoringRound.objects.get(pk=monitoring_round.pk).state == target
    else:
        with pytest.raises(services.RoundStateError):
            services.round_set_state(monitoring_round=monitoring_round, by=chair, state=target)
        assert MonitoringRound.objects.get(pk=monitoring_round.pk).state == start


@pytest.mark.parametrize("start", ALL)
def test_only_a_round_in_the_sense_check_can_be_closed(action, chair, start):
    monitoring_round = make_round(action, start)
    with pytest.raises(services.RoundStateError) as refused:
        services.round_close(monitoring_round=monitoring_round, by=chair, meeting_on=datetime.date(2020, 5, 20))
    # Open and sense-check rounds are refused for what is missing, the others for their state.
    assert isinstance(refused.value, services.RoundIncomplete) == rounds.can_move(start, RoundState.AGREED)


@pytest.mark.parametrize("start", ALL)
def test_only_an_agreed_round_can_be_endorsed(action, chair, start):
    monitoring_round = make_round(action, start)
    if start == RoundState.AGREED:
        services.round_endorse(
            monitoring_round=monitoring_round, by=chair, endorsed_on=datetime.date(2020, 6, 2), meeting="NSCC"
        )
        assert MonitoringRound.objects.get(pk=monitoring_round.pk).is_endorsed
    else:
        with pytest.raises(services.RoundStateError):
            services.round_endorse(
                monitoring_round=monitoring_round, by=chair, endorsed_on=datetime.date(2020, 6, 2), meeting="NSCC"
            )


def test_every_state_has_its_place_in_the_life_of_a_round():
    assert set(rounds.TRANSITIONS) == set(RoundState)
    assert rounds.TAKES_UPDATES <= rounds.DECISIONS_OPEN
    assert not rounds.SETTLED & rounds.DECISIONS_OPEN
    assert rounds.TRANSITIONS[RoundState.ENDORSED] == frozenset()  # endorsed is for ever


@pytest.mark.parametrize("state", ALL)
def test_the_round_answers_what_its_state_allows(action, state):
    monitoring_round = make_round(action, state)
    assert monitoring_round.takes_updates == (state == RoundState.OPEN)
    assert monitoring_round.decisions_open == (state in (RoundState.OPEN, RoundState.SENSE_CHECK))
    assert monitoring_round.is_settled == (state in (RoundState.AGREED, RoundState.ENDORSED))
    assert set(MonitoringRound.objects.settled()) == ({monitoring_round} if monitoring_round.is_settled else set())


def test_templates_never_compare_state_names_or_labels():
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if any(
            needle in path.read_text()
            for needle in (".state ==", ".state !=", "update_state ==", "update_state !=", "status ==", "status !=")
        )
    ]
    assert offenders == []
