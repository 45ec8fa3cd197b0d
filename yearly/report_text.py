"""What a new yearly report's written sections start with: sentences drawn from the year's figures.

The officer edits every one of them; the tables beside them are read from the record each time the report
is shown (:func:`yearly.selectors.year_figures`), so only the words are the officer's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.humanize.templatetags.humanize import apnumber
from django.template.defaultfilters import pluralize


def _count(number: int, thing: str) -> str:
    return f"{apnumber(number)} {thing}{pluralize(number)}"


def default_title(partnership_name: str, figures: dict[str, Any]) -> str:
    start, end = figures["starts_on"][:4], figures["ends_on"][:4]
    years = start if start == end else f"{start} to {end}"
    return f"{partnership_name}: yearly report {years}"[:200]


def yearly_defaults(partnership_name: str, figures: dict[str, Any]) -> dict[str, str]:
    """Each written section's starting text for the year's ``figures``: plain text, bullets as "- "."""
    year = figures["year"]
    endorsed = [plan for plan in figures["plans"] if plan["latest"]]
    rounds = sum(len(plan["rounds"]) for plan in figures["plans"])
    reports = figures["committee_reports"]

    introduction = (
        f"This is the yearly report of {partnership_name} for {year}, published under Working Together to "
        "Safeguard Children 2023. It says what the safeguarding partners did in the year, the impact it had, "
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
        impact_text = "\n".join(impact)
    else:
        impact_text = "No impact measure has a value in the year."

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
    else:
        not_implemented_text = "Every action due in the year was implemented or is still being delivered."

    return {
        "introduction": introduction,
        "what_was_done": "\n".join(done),
        "impact_shown": impact_text,
        "not_implemented": not_implemented_text,
        "learning_from_reviews": "",
        "next_steps": "",
    }
