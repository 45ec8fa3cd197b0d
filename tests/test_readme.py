"""The README is true of the demo: every `manage.py` example in its code blocks runs on it, every address it gives
answers, and its table of users is the demo's users, with the actions each leads and the drafts each has left."""

import datetime
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Update
from inspections.models import Partnership
from people.models import Person

pytestmark = pytest.mark.django_db

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()
DEMO_PARTNERSHIPS = [
    "Northumberland Safeguarding Children Partnership",
    "Halton Children and Young People Safeguarding Partnership",
]


def manage_py_examples(text: str) -> list[list[str]]:
    """Each `manage.py` command in the fenced code blocks, as its arguments, in the README's order.

    A line may hold several commands joined by `&&` (and a cron line its schedule first); comments are dropped.
    """
    examples = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        for line in block.replace("\\\n", " ").splitlines():
            for command in line.split("&&"):
                words = shlex.split(command, comments=True)
                at = next((i for i, word in enumerate(words) if word.endswith("manage.py")), None)
                if at is not None:
                    examples.append(words[at + 1 :])
    return examples


def test_the_readme_has_manage_py_examples_to_check():
    names = [example[0] for example in manage_py_examples(README)]
    assert names.count("committee_report") == 2
    assert {"send_reminders", "migrate", "load_demo", "collectstatic"} <= set(names)


def test_every_manage_py_example_in_the_readme_runs_on_the_demo(demo, monkeypatch, tmp_path, settings, capsys):
    monkeypatch.chdir(tmp_path)  # where a report's PDF is written
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    for example in manage_py_examples(README):
        try:
            call_command(*example)
        except CommandError as exc:
            pytest.fail(f"The README's `manage.py {shlex.join(example)}` fails on the demo: {exc}")
    assert (tmp_path / "may-2020.pdf").read_bytes().startswith(b"%PDF-")
    written = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Wrote ")]
    assert len(written) == 2 and all("progress update, May 2020" in line for line in written), written


def test_every_address_in_the_readme_answers(client, demo):
    paths = {path or "/" for path in re.findall(r"http://127\.0\.0\.1:8000(/[\w/.-]*)?", README)}
    paths |= set(re.findall(r"`(/[\w/.-]*)`", README))
    assert {"/", "/health", "/support/"} <= paths
    for path in sorted(paths):
        response = client.get(path)
        if path.startswith("/api/") and response.status_code == 401:  # the API's data needs a token, not a sign-in
            assert _with_a_token(client, demo, path) == 200, path
            continue
        assert response.status_code in (200, 302), path
        if response.status_code == 302:
            assert "login" in response["Location"], path
    client.force_login(Person.objects.get(user__username="viewer").user)
    assert client.get("/").status_code == 200


def _with_a_token(client, partnership, path):
    """What the address answers with a token such as the README shows how to make."""
    from api.services import token_create

    _, secret = token_create(
        partnership=partnership,
        name=f"README {path}",
        scopes=["plans", "reports"],
        expires_on=datetime.date.today() + datetime.timedelta(days=1),
    )
    return client.get(path, headers={"Authorization": f"Bearer {secret}"}).status_code


#: Action references as the user table lists them: "1.1", "1.1 and 2.1", "1.1, 3.3, 7.1".
REFERENCES = r"R?\d[\d.]*(?:(?:, | and )R?\d[\d.]*)*"  # "2.1", or "R3" in the rapid review's plan


def _references(said: re.Match | None) -> set[str]:
    return {reference.strip(".") for reference in re.split(r", | and ", said.group(1))} if said else set()


def readme_users() -> list[dict[str, str]]:
    header = "| user | name | role | partnership | what they are for |"
    lines = README[README.index(header) :].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        user, name, role, partnership, purpose = (cell.strip() for cell in line.strip("|").split("|"))
        rows.append({"user": user.strip("`"), "name": name, "role": role, "partnership": partnership, "for": purpose})
    return rows


def test_the_readme_lists_every_demo_user_as_the_demo_has_them(demo):
    people = (
        Person.objects.filter(partnership__name__in=DEMO_PARTNERSHIPS)
        .select_related("user", "partnership")
        .order_by("partnership__name", "user__username")
    )
    led = {}
    for reference, username in Action.objects.filter(
        plan__inspection__partnership__name__in=DEMO_PARTNERSHIPS
    ).values_list("reference", "lead__user__username"):
        led.setdefault(username, set()).add(reference)

    drafts = {}
    for reference, username in Update.objects.filter(
        round__plan__inspection__partnership__name__in=DEMO_PARTNERSHIPS, status=Update.Status.DRAFT
    ).values_list("action__reference", "action__lead__user__username"):
        drafts.setdefault(username, set()).add(reference)

    expected = {
        person.user.username: (person.name, person.get_role_display(), person.partnership.name.split()[0])
        for person in people
    }
    rows = readme_users()
    assert [row["user"] for row in rows] == [
        p.user.username for p in Person.objects.filter(pk__in=people).order_by("pk")
    ]
    assert {row["user"]: (row["name"], row["role"], row["partnership"]) for row in rows} == expected
    for row in rows:
        references = _references(re.search(rf"leads ({REFERENCES})", row["for"]))
        assert references == led.get(row["user"], set()), row["user"]
        said = re.search(rf"updates? on ({REFERENCES}) (?:is a draft|are drafts)", row["for"])
        assert _references(said) == drafts.get(row["user"], set()), row["user"]
    assert Partnership.objects.filter(name__in=DEMO_PARTNERSHIPS).count() == 2
