"""The read-only API: tokens and their scopes, the walls between partnerships, pages, filters, ETags, the
facts feed (JSON and CSV, endorsed rounds from their record, queries constant in the actions) and the audit log."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, MonitoringRound, Update
from api.models import ApiToken, Scope
from api.services import token_create, token_revoke
from audit.models import AuditEvent
from inspections.models import Partnership
from people.models import Person
from reports.models import CommitteeReport, PublishedReport
from tests.factories import ActionFactory, ActionPlanFactory, MonitoringRoundFactory, UpdateFactory

pytestmark = pytest.mark.django_db

HALTON = "Halton Children and Young People Safeguarding Partnership"
NEXT_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def make_token(partnership, scopes=(Scope.PLANS, Scope.REPORTS), name="Power BI", **kwargs):
    manager = Person.objects.for_partnership(partnership).filter(role=Person.Role.MANAGER).first()
    return token_create(
        partnership=partnership, name=name, scopes=list(scopes), expires_on=NEXT_MONTH, by=manager, **kwargs
    )


def get(client, secret, path, data=None, **headers):
    return client.get(path, data or {}, headers={"Authorization": f"Bearer {secret}", **headers})


def body(response):
    return json.loads(b"".join(response.streaming_content) if response.streaming else response.content)


@pytest.fixture
def secret(demo):
    return make_token(demo)[1]


# Tokens ------------------------------------------------------------------------------------------------------


def test_a_token_is_shown_once_and_kept_only_as_its_hash(demo):
    token, secret = make_token(demo)
    assert secret.startswith(token.prefix + "_") and len(secret) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert secret not in json.dumps(stored, default=str)
    assert token.digest != secret and len(token.digest) == 64


def test_without_a_token_the_api_answers_401_as_json(client, demo):
    response = client.get("/api/plans")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert body(response)["detail"]


@pytest.mark.parametrize("presented", ["jtai_00000000_nonsense", "two words", "é"])
def test_a_wrong_token_is_refused(client, demo, presented):
    response = client.get("/api/plans", headers={"Authorization": f"Bearer {presented}"})
    assert response.status_code == 401


def test_an_expired_token_is_refused(client, demo):
    token, secret = make_token(demo)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = get(client, secret, "/api/plans")
    assert response.status_code == 401
    assert body(response)["detail"] == "This token has expired."


def test_a_revoked_token_is_refused_from_its_next_request(client, demo):
    token, secret = make_token(demo)
    assert get(client, secret, "/api/plans").status_code == 200
    token_revoke(token=token)
    response = get(client, secret, "/api/plans")
    assert response.status_code == 401
    assert body(response)["detail"] == "This token has been revoked."


def test_a_token_reads_only_what_its_scopes_allow(client, demo):
    published = _published_report(demo)
    _, plans_only = make_token(demo, scopes=[Scope.PLANS], name="Plans")
    _, reports_only = make_token(demo, scopes=[Scope.REPORTS], name="Reports")
    assert get(client, plans_only, "/api/plans").status_code == 200
    assert get(client, plans_only, "/api/reports").status_code == 403
    assert get(client, plans_only, f"/api/reports/{published.pk}/pdf").status_code == 403
    assert get(client, reports_only, "/api/reports").status_code == 200
    assert get(client, reports_only, "/api/facts").status_code == 403
    assert get(client, reports_only, "/api/actions").status_code == 403


def test_the_rate_limit_is_per_token(client, demo, settings):
    settings.API_RATE_LIMIT = "3/minute"
    _, first = make_token(demo, name="First")
    _, second = make_token(demo, name="Second")
    assert [get(client, first, "/api/plans").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in get(client, first, "/api/plans")
    assert get(client, second, "/api/plans").status_code == 200


# The walls between partnerships ------------------------------------------------------------------------------

LISTS = ["plans", "actions", "findings", "rounds", "updates", "evidence", "reports"]


@pytest.mark.parametrize("endpoint", LISTS)
def test_a_token_lists_only_its_own_partnerships_rows(client, demo, endpoint):
    _published_report(demo)
    halton = Partnership.objects.get(name=HALTON)
    _published_report(halton)
    _, northumberland = make_token(demo)
    _, halton_secret = make_token(halton)
    mine = body(get(client, northumberland, f"/api/{endpoint}", {"page_size": 1000}))["results"]
    theirs = body(get(client, halton_secret, f"/api/{endpoint}", {"page_size": 1000}))["results"]
    assert {row["id"] for row in mine}.isdisjoint({row["id"] for row in theirs})
    if endpoint != "evidence":  # the demo has no evidence files
        assert mine and theirs


def test_another_partnerships_rows_are_not_found(client, demo, secret):
    halton = Partnership.objects.get(name=HALTON)
    plan = halton.inspections.first().plan
    monitoring_round = MonitoringRound.objects.for_partnership(halton).first()
    action = Action.objects.for_partnership(halton).first()
    published = _published_report(halton)
    for path in [
        f"/api/plans/{plan.pk}",
        f"/api/actions/{action.pk}",
        f"/api/rounds/{monitoring_round.pk}",
        f"/api/rounds/{monitoring_round.pk}/figures",
        f"/api/reports/{published.pk}",
        f"/api/reports/{published.pk}/pdf",
    ]:
        response = get(client, secret, path)
        assert response.status_code == 404, path
        assert body(response) == {"detail": "Not found."}
    facts = body(get(client, secret, "/api/facts", {"plan": plan.pk}))
    assert facts == []
    assert body(get(client, secret, "/api/actions", {"plan": plan.pk}))["results"] == []


def test_an_unknown_address_under_the_api_is_a_json_404(client, demo, secret):
    response = get(client, secret, "/api/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_drafts_are_never_shown(client, demo, secret):
    drafts = set(Update.objects.for_partnership(demo).filter(status=Update.Status.DRAFT).values_list("pk", flat=True))
    assert drafts
    rows = body(get(client, secret, "/api/updates", {"page_size": 1000}))["results"]
    assert rows and drafts.isdisjoint({row["id"] for row in rows})


# Pages, filters, ETags -----------------------------------------------------------------------------------------


def test_lists_come_in_pages(client, demo, secret):
    total = Action.objects.for_partnership(demo).count()
    first = body(get(client, secret, "/api/actions", {"page_size": 10}))
    assert first["count"] == total and len(first["results"]) == 10
    assert "page=2" in first["next"] and first["previous"] is None
    everything = body(get(client, secret, "/api/actions", {"page_size": 1000}))["results"]
    assert len(everything) == total


@pytest.mark.parametrize("page_size", ["0", "1001", "ten", "-1"])
def test_a_page_size_outside_1_to_1000_is_refused(client, demo, secret, page_size):
    response = get(client, secret, "/api/actions", {"page_size": page_size})
    assert response.status_code == 400
    assert "page_size" in body(response)["errors"]


def test_filters_narrow_the_rows_and_bad_or_unknown_ones_are_refused(client, demo, secret):
    monitoring_round = MonitoringRound.objects.for_partnership(demo).filter(state="endorsed").first()
    rows = body(get(client, secret, "/api/updates", {"round": monitoring_round.pk, "page_size": 1000}))["results"]
    assert rows and {row["round_id"] for row in rows} == {monitoring_round.pk}
    endorsed = body(get(client, secret, "/api/rounds", {"state": "endorsed"}))["results"]
    assert endorsed and {row["state"] for row in endorsed} == {"endorsed"}

    unknown = get(client, secret, "/api/actions", {"colour": "red"})
    assert unknown.status_code == 400
    assert "Unknown query parameter" in body(unknown)["errors"]["colour"][0]
    for bad in [{"plan": "x"}, {"plan": "99999999999999999999999"}, {"outcome": "finished"}, {"plan": ""}]:
        response = get(client, secret, "/api/actions", bad)
        assert response.status_code == 400, bad
        assert set(body(response)["errors"]) == set(bad)


def test_an_unchanged_answer_is_304_with_its_etag(client, demo, secret):
    first = get(client, secret, "/api/plans")
    etag = first["ETag"]
    assert etag
    again = get(client, secret, "/api/plans", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert get(client, secret, "/api/plans", **{"If-None-Match": '"something-else"'}).status_code == 200


def test_a_lists_queries_do_not_grow_with_its_rows(client, demo, secret):
    def queries(page_size):
        with CaptureQueriesContext(connection) as captured:
            assert get(client, secret, "/api/actions", {"page_size": page_size}).status_code == 200
        return len(captured)

    queries(1)  # the token's first use this minute writes its last use and the audit log: two queries more
    assert queries(5) == queries(200) <= 8


# Figures and reports -----------------------------------------------------------------------------------------


def test_a_rounds_figures_are_the_boards(client, demo, secret):
    from reports.selectors import round_figures

    monitoring_round = MonitoringRound.objects.for_partnership(demo).get(label="May 2020")
    figures = body(get(client, secret, f"/api/rounds/{monitoring_round.pk}/figures"))
    board = round_figures(monitoring_round.plan, monitoring_round)
    assert figures["total"] == board.total == 22
    assert figures["complete"] == board.complete
    assert figures["denominator"] == board.denominator
    assert {row["quadrant"]: row["count"] for row in figures["quadrants"] if row["count"]} == board.counts
    assert figures["from_endorsed_record"] is True


def test_a_published_report_downloads_as_published_and_is_recorded(client, demo, secret):
    published = _published_report(demo)
    listed = body(get(client, secret, "/api/reports"))["results"]
    assert [row["id"] for row in listed] == [published.pk]
    assert listed[0]["pdf_url"] == f"/api/reports/{published.pk}/pdf"
    response = get(client, secret, listed[0]["pdf_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content == bytes(published.pdf)
    downloaded = AuditEvent.objects.filter(event=AuditEvent.Event.REPORT_DOWNLOADED).get()
    assert downloaded.partnership_id == demo.pk and downloaded.username.startswith("API token Power BI")


# The facts feed ------------------------------------------------------------------------------------------------


def test_the_facts_feed_has_a_row_per_action_per_round(client, demo, secret):
    rows = body(get(client, secret, "/api/facts"))
    rounds = MonitoringRound.objects.for_partnership(demo)
    assert {row["round_id"] for row in rows} == set(rounds.values_list("pk", flat=True))
    may = rounds.get(label="May 2020")
    may_rows = [row for row in rows if row["round_id"] == may.pk]
    assert len(may_rows) == 22
    assert {row["action_reference"] for row in may_rows} == {
        entry["reference"] for entry in may.endorsed_snapshot["entries"]
    }
    assert all(row["from_endorsed_record"] for row in may_rows)


def test_the_facts_feed_as_csv_has_the_same_rows(client, demo, secret):
    as_json = body(get(client, secret, "/api/facts"))
    response = get(client, secret, "/api/facts", {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeffplan_id,plan_title,round_id")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == len(as_json)
    assert [row["action_reference"] for row in rows] == [row["action_reference"] for row in as_json]
    assert {row["overdue"] for row in rows} <= {"true", "false"}
    assert get(client, secret, "/api/facts", {"format": "xml"}).status_code == 400


def test_an_endorsed_rounds_facts_come_from_its_record_after_the_live_rows_change(client, demo, secret):
    may = MonitoringRound.objects.for_partnership(demo).get(label="May 2020")
    before = body(get(client, secret, "/api/facts", {"round": may.pk}))
    action = Action.objects.get(plan=may.plan, reference="7.3")
    Action.objects.filter(pk=action.pk).update(description="Reworded long after", target_date="2019-01-01")
    Update.objects.filter(round=may, action=action).update(agreed_quadrant="red")
    after = body(get(client, secret, "/api/facts", {"round": may.pk}))
    assert after == before
    assert "Reworded long after" not in json.dumps(after)


def _plan_with(actions, rounds=3):
    plan = ActionPlanFactory()
    made = [ActionFactory(plan=plan) for _ in range(actions)]
    for number in range(rounds):
        monitoring_round = MonitoringRoundFactory(plan=plan, state=MonitoringRound.State.AGREED)
        for action in made:
            UpdateFactory(
                action=action,
                round=monitoring_round,
                status=Update.Status.AGREED,
                agreed_quadrant=["red", "amber", "green"][number % 3],
            )
    return plan


def test_the_facts_feeds_queries_do_not_grow_with_the_actions(client):
    def queries(actions):
        plan = _plan_with(actions)
        _, secret = make_token(plan.inspection.partnership)
        get(client, secret, "/api/plans")  # the token's first use this minute is written to the log
        with CaptureQueriesContext(connection) as captured:
            rows = body(get(client, secret, "/api/facts"))
        assert len(rows) == actions * 3
        return len(captured)

    assert queries(10) == queries(120) <= 5 + 3 * 6


# The audit log ---------------------------------------------------------------------------------------------------


def test_making_using_and_revoking_a_token_is_in_the_partnerships_log(client, demo):
    token, secret = make_token(demo)
    for _ in range(3):
        assert get(client, secret, "/api/plans").status_code == 200
    used = AuditEvent.objects.filter(event=AuditEvent.Event.API_USED)
    assert used.count() == 1  # at most one a minute per token
    event = used.get()
    assert event.partnership_id == demo.pk and event.subject == str(token) and "GET /api/plans" in event.detail
    token.refresh_from_db()
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    get(client, secret, "/api/plans")
    assert used.count() == 2
    token_revoke(token=token)
    events = set(AuditEvent.objects.filter(partnership=demo).values_list("event", flat=True))
    assert {AuditEvent.Event.API_TOKEN_CREATED, AuditEvent.Event.API_TOKEN_REVOKED} <= events
    client.force_login(Person.objects.get(partnership=demo, user__username="manager").user)
    log = client.get(reverse("audit:log")).content.decode()
    assert "API used" in log and "API token created" in log and "API token revoked" in log
    assert f"API token Power BI ({token.prefix})" in log


def test_the_command_makes_a_token(demo, capsys):
    call_command("create_api_token", "--partnership", demo.name, "--name", "Script", "--scope", "plans", "--days", "30")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(name="Script")
    assert secret.startswith(token.prefix) and token.scopes == ["plans"]


# Helpers -----------------------------------------------------------------------------------------------------------


def _published_report(partnership):
    rounds = MonitoringRound.objects.for_partnership(partnership).order_by("-state", "pk")
    monitoring_round = rounds.filter(state="endorsed").first() or rounds.first()
    report, _ = CommitteeReport.objects.get_or_create(
        plan=monitoring_round.plan, round=monitoring_round, defaults={"title": "Progress", "report_of": "Officer"}
    )
    person = Person.objects.for_partnership(partnership).first()
    return PublishedReport.objects.create(
        report=report,
        version=report.versions.count() + 1,
        title="Progress",
        committee="Scrutiny",
        meeting_date=datetime.date(2020, 7, 16),
        html="<p>Progress</p>",
        pdf=b"%PDF-1.7\n%published\n",
        figures={"total": 22},
        sha256="0" * 64,
        published_by=person,
        published_at=timezone.now(),
    )


def test_the_rate_limit_is_counted_in_redis_where_every_process_sees_it(client, demo, settings):
    """Production keeps the counts in Redis (REDIS_URL); skipped without a server on 127.0.0.1:6379."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    import redis
    from django.core.cache import caches

    location = "redis://127.0.0.1:6379/11"
    server = redis.Redis.from_url(location)
    server.flushdb()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
    settings.API_RATE_LIMIT = "2/minute"
    try:
        _, secret = make_token(demo)
        assert [get(client, secret, "/api/plans").status_code for _ in range(2)] == [200, 200]
        assert [key.decode() for key in server.keys("*throttle_api_token*")] != []
        caches["default"].close()  # another process: only Redis remembers
        assert get(client, secret, "/api/plans").status_code == 429
    finally:
        server.flushdb()


def test_a_server_error_under_the_api_is_json_and_says_nothing_of_the_cause(demo, secret, monkeypatch):
    from django.test import Client

    from api.views import PlanViewSet

    def broken(self):
        raise RuntimeError("the database said something secret")

    monkeypatch.setattr(PlanViewSet, "get_queryset", broken)
    response = Client(raise_request_exception=False).get("/api/plans", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert body(response) == {"detail": "Something went wrong on our side: try again later."}
