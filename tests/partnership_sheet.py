"""A partnership's own action plan spreadsheet, as kept before the tracker: 30 actions, written the way people write.

Areas are the findings' words (a first sentence, in other case and punctuation, with curly quotes), leads
are job titles within their agency (the same "Named Nurse for Safeguarding Children" in two NHS trusts),
and a RAG column says "Green", "On track", "Amber", "Blue", "Complete" with completion dates beside them.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from openpyxl import Workbook

from actions.quadrants import Quadrant

#: The inspection's areas for improvement, as the letter words them.
FINDINGS = [
    "The quality of return home interviews is variable. Too many children are not offered one within 72 hours.",
    "Information sharing at the front door is not timely. Partners' referrals are not always acknowledged.",
    "Health partners' attendance at strategy meetings is inconsistent, so decisions lack health information.",
    "The partnership's 'understanding of exploitation' is not informed by data. Profiles are out of date.",
]

#: (agency name, short name, job titles of people the tracker already has there)
AGENCIES = [
    (
        "Northumberland County Council",
        "NCC",
        ["Head of Service, Children's Social Care", "Service Manager, Early Help"],
    ),
    ("Northumbria Police", "Police", ["Detective Superintendent, Safeguarding"]),
    ("Northumbria Healthcare NHS Foundation Trust", "NHCFT", ["Named Nurse for Safeguarding Children"]),
    ("Cumbria, Northumberland, Tyne and Wear NHS Foundation Trust", "CNTW", ["Named Nurse for Safeguarding Children"]),
    ("North East and North Cumbria ICB", "ICB", []),
]

#: A lead the tracker does not have yet: offered as a new person in the ICB.
NEW_LEAD = ("Designated Doctor for Safeguarding Children", "ICB")

#: The RAG words the sheet uses, cycled over the rows, and what each means.
STATUS_WORDS = [
    ("Green", Quadrant.GREEN),
    ("Amber", Quadrant.AMBER),
    ("Complete", Quadrant.COMPLETE),
    ("Red", Quadrant.RED),
    ("On track", Quadrant.GREEN),
    ("Blue", Quadrant.COMPLETE),
    ("Yellow", Quadrant.YELLOW),
    ("Not started", Quadrant.AMBER),
    ("green ", Quadrant.GREEN),
    ("AMBER", Quadrant.AMBER),
]

HEADER = ["Ref", "Area for improvement", "Action", "Lead officer", "Lead agency", "Timescale", "RAG", "Date completed",
          "Progress update", "Sustainability"]  # fmt: skip


@dataclass(frozen=True)
class SheetAction:
    reference: str
    finding: int
    lead: str
    agency: str
    quadrant: str
    completed_on: datetime.date | None


def _area_words(number: int, variant: int) -> str:
    """How the sheet writes area ``number``: its whole text, or its first sentence, in the manager's own style."""
    text = FINDINGS[number - 1]
    first = text.split(". ")[0]
    return [
        text,
        first.upper(),
        first.replace("'", "\u2019") + ".",
        "  " + first.lower().replace(",", "") + " ",
    ][variant % 4]


def actions() -> list[SheetAction]:
    leads = [
        ("Head of Service, Children's Social Care", "NCC"),
        ("Head of Service - Children\u2019s Social Care", "Northumberland County Council"),
        ("Detective Superintendent, Safeguarding", "Police"),
        ("Named Nurse for Safeguarding Children", "NHCFT"),
        ("Named Nurse for Safeguarding Children", "CNTW"),
        ("Service Manager, Early Help", "NCC"),
        NEW_LEAD,
    ]
    made = []
    for n in range(30):
        _word, quadrant = STATUS_WORDS[n % len(STATUS_WORDS)]
        lead, agency = leads[n % len(leads)]
        made.append(
            SheetAction(
                reference=f"{n // 8 + 1}.{n % 8 + 1}",
                finding=n % 4 + 1,
                lead=lead,
                agency=agency,
                quadrant=quadrant,
                completed_on=datetime.date(2021, 1 + n % 12, 15) if quadrant == Quadrant.COMPLETE else None,
            )
        )
    return made


def sheet_bytes() -> bytes:
    """The workbook: a title row above the header, then the 30 actions, then some blank formatted rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "WSOA"
    sheet.append(["Northumberland JTAI written statement of action: progress at December 2021"])
    sheet.append(HEADER)
    for n, action in enumerate(actions()):
        word = STATUS_WORDS[n % len(STATUS_WORDS)][0]
        sheet.append(
            [
                action.reference,
                _area_words(action.finding, n),
                f"Action {action.reference}: audit and improve practice for area {action.finding}",
                action.lead,
                action.agency,
                datetime.datetime(2022, 3, 31),
                word,
                datetime.datetime.combine(action.completed_on, datetime.time()) if action.completed_on else None,
                f"Update on {action.reference}: audit completed, findings shared with the sub-group.",
                "Re-audited every six months by the sub-group." if action.completed_on else None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
