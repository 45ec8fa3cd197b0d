"""What a new yearly report's written sections start with: sentences drawn from the year's figures.

The officer edits every one of them; the tables beside them are read from the record each time the report
is shown (:func:`yearly.selectors.year_figures`), so only the words are the officer's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.humanize.templatetags.humanize import apnumber
from django.template.defaultfilters import pluralize


def _count(number: int, thing: str) -> str:
    return f"{apnumber(number)} {thing}{pluralize(number)}"


def default_title(partnership_name: str, figures: dict[str, Any]) -> str:
    start, end = figures["starts_on"][:4], figures["ends_on"][:4]
    years = start if start == end else f"{start} to {end}"
    return f"{partnership_name}: yearly report {years}"[:200]


#: The day Working Together to Safeguard Children 2023 came into force; a year ending before it reports under 2018.
WORKING_TOGETHER_2023_FROM = datetime.date(2023, 12, 15)


def guidance_for(ends_on: datetime.date) -> str:
    """The statutory guidance in force for a year ending on ``ends_on``: the edition the report is published under."""
    edition = "2023" if ends_on >= WORKING_TOGETHER_2023_FROM else "2018"
    return f"Working Together to Safeguard Children {edition}"


def yearly_defaults(partnership_name: str, figures: dict[str, Any]) -> dict[str, str]:
    """Each written section's starting text for the year's ``figures``: plain text, bullets as "- "."""
    year = figures["year"]
    endorsed = [plan for plan in figures["plans"] if plan["latest"]]
    rounds = sum(len(plan["rounds"]) for plan in figures["plans"])
    reports = figures["committee_reports"]

    guidance = guidance_for(datetime.date.fromisoformat(figures["ends_on"]))
    introduction = (
        f"This is the yearly report of {partnership_name} for {year}, published under {guidance}. "
        "It says what the safeguarding partners did in the year, the impact it had, "
        "what was not implemented and why, and what comes next."
    )

    done = [
        f"In the year the partnership board endorsed {_count(rounds, 'monitoring round')} across "
        f"{_count(len(endorsed), 'action plan')}."
    ]
    for plan in endorsed:
        latest = plan["latest"]
        done.append(
            f"- {plan['title']}: {latest['complete_percent']}% of actions complete at {latest['label']} "
            f"({latest['denominator']})."
        )
    if figures["completed"]:
        done.append("")
        done.append(f"{_count(len(figures['completed']), 'action').capitalize()} completed in the year.")
    if reports:
        done.append("")
        done.append(f"Officers published {_count(len(reports), 'committee report')} on the plans' progress.")

    measures = figures["measures"]
    if measures:
        better = sum(1 for m in measures if m["progress"] == "Better than the baseline")
        met = sum(1 for m in measures if m["target_met"] == "Met")
        impact = [
            f"The partnership tracked {_count(len(measures), 'impact measure')} in the year: {better} of "
            f"{len(measures)} ended the year better than the baseline, and {met} of {len(measures)} met the target."
        ]
        for m in measures:
            impact.append(
                f"- {m['name']}: {m['latest']} in {m['latest_period']}"
                + (f", compared to a baseline of {m['baseline']}" if m["baseline"] else "")
                + (f" (target {m['target']})" if m["target"] else "")
                + "."
            )
    else:
        impact = ["No impact measure has a value in the year."]
    retests = figures.get("retests", [])
    if retests:
        sustained = sum(1 for r in retests if r["result"] == "sustained")
        impact.append("")
        impact.append(
            f"{_count(len(retests), 're-test').capitalize()} of completed actions in the year: {sustained} sustained, "
            f"{len(retests) - sustained} not sustained."
        )
        for r in retests:
            impact.append(
                f"- {r['reference']} {r['description']} ({r['plan']}): {r['result_label'].lower()} on {r['tested_on']}."
            )
    impact_text = "\n".join(impact)

    not_done = figures["not_implemented"]
    replaced = figures["replaced"]
    if not_done or replaced:
        lines = []
        for row in not_done:
            agreed = f", agreed by {row['agreed_by']}" if row["agreed_by"] else ""
            lines.append(
                f"- {row['reference']} {row['description']} ({row['plan']}): not implemented, decided on "
                f"{row['decided_on']}{agreed}. Reason: {row['reason']}"
            )
        for row in replaced:
            lines.append(
                f"- {row['reference']} {row['description']} ({row['plan']}): {row['how'].lower()} "
                f"{row['by_reference']} on {row['decided_on']}."
            )
        not_implemented_text = "\n".join(lines)
    elif figures.get("decisions_as_at"):
        not_implemented_text = "No action was agreed as not implemented, superseded or merged in the year."
    else:
        not_implemented_text = (
            "The partnership board endorsed no monitoring round in the year, so this report lists no action "
            "agreed as not implemented, superseded or merged."
        )

    reviews = figures.get("reviews", [])
    if reviews:
        learning = [f"The record holds {_count(len(reviews), 'review')} in the year."]
        for review in reviews:
            found = ", ".join(f"{f['count']} {f['words']}" for f in review["findings"]) or "no findings recorded"
            if review["actions"]:
                outcomes = ", ".join(f"{o['count']} {o['label'].lower()}" for o in review["outcomes"])
                actions = f"{_count(review['actions'], 'action')} at the year's end: {outcomes}"
            else:
                actions = "no actions recorded"
            learning.append(f"- {review['name']} ({review['regime']}, {review['period']}): {found}; {actions}.")
        learning_text = "\n".join(learning)
    else:
        learning_text = ""

    return {
        "introduction": introduction,
        "what_was_done": "\n".join(done),
        "impact_shown": impact_text,
        "not_implemented": not_implemented_text,
        "learning_from_reviews": learning_text,
        "next_steps": "",
    }
