"""Six officers save a round's first committee report at the same moment: one report, no server error, nothing lost.

Each officer posts from their own thread, with their own database connection, all released together. Every
one of them either saves or is shown the conflict page with their own text still in the form. Run on SQLite
(IMMEDIATE transactions and a busy timeout queue the writers) and on PostgreSQL (DATABASE_URL): the round's
row is locked before the report is looked for, so the first saves queue there too.
"""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from people.models import Person
from reports.models import CommitteeReport
from tests.factories import MonitoringRoundFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

OFFICERS = 6


def form_data(number):
    return {
        "version": 0,  # every officer opened the form before anyone saved
        "title": "JTAI action plan – progress update, May 2020",
        "committee": "Families and Children's Overview and Scrutiny Committee",
        "meeting_date_0": "16",
        "meeting_date_1": "7",
        "meeting_date_2": "2020",
        "reference": "",
        "report_of": f"Officer {number}",
        "report_of_role": "",
        "cabinet_member": "",
        "purpose": f"Purpose as officer {number} wrote it.",
        "recommendations": "",
        "key_issues": "",
        "background": "",
    }


def officer_clients(monitoring_round):
    """A signed-in client for each of OFFICERS officers of the round's partnership."""
    partnership = monitoring_round.plan.inspection.partnership
    clients = []
    for _ in range(OFFICERS):
        client = Client()
        client.force_login(PersonFactory(partnership=partnership, role=Person.Role.OFFICER).user)
        clients.append(client)
    return clients


def post_all_at_once(url, clients, data):
    """Each client posts its data from its own thread, all released together: (status, page) in client order."""
    start = threading.Barrier(len(clients))
    outcomes = [None] * len(clients)

    def post(number):
        try:
            start.wait(timeout=30)
            response = clients[number].post(url, data[number])
            outcomes[number] = (response.status_code, response.content.decode())
        except Exception as error:  # the test client re-raises what would have been a 500
            outcomes[number] = (500, repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(number,)) for number in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return outcomes


def test_six_simultaneous_first_saves_give_one_report_and_no_server_error():
    monitoring_round = MonitoringRoundFactory()
    clients = officer_clients(monitoring_round)
    url = reverse("reports:committee_report_edit", args=[monitoring_round.pk])

    outcomes = post_all_at_once(url, clients, [form_data(number) for number in range(OFFICERS)])

    statuses = [status for status, _ in outcomes]
    assert set(statuses) <= {302, 409}, [page[:300] for status, page in outcomes if status not in (302, 409)]
    report = CommitteeReport.objects.get(round=monitoring_round)
    # Every officer wrote something different: the first save went through and each later one, read at
    # version 0, is refused rather than written over it.
    saved = [number for number, status in enumerate(statuses) if status == 302]
    assert len(saved) == 1, statuses
    assert report.purpose == f"Purpose as officer {saved[0]} wrote it."
    assert report.version == 1
    assert report.history.count() == 1
    for number, (status, page) in enumerate(outcomes):
        if status == 409:
            # Nothing lost: their own text is back in the form, beside the version that was saved.
            assert "Someone else saved this report while you were editing it" in page
            assert f"Purpose as officer {number} wrote it." in page
            assert report.purpose in page
            assert 'name="version" value="1"' in page


def test_six_simultaneous_first_saves_of_the_same_text_all_go_through():
    monitoring_round = MonitoringRoundFactory()
    clients = officer_clients(monitoring_round)
    url = reverse("reports:committee_report_edit", args=[monitoring_round.pk])

    outcomes = post_all_at_once(url, clients, [form_data(0)] * OFFICERS)

    # Each save after the first changes nothing anyone wrote, so none is refused.
    assert [status for status, _ in outcomes] == [302] * OFFICERS, [page[:300] for _, page in outcomes]
    report = CommitteeReport.objects.get(round=monitoring_round)
    assert report.purpose == "Purpose as officer 0 wrote it."
    assert report.version == OFFICERS
