"""The officer's form for a committee report: the cover block and the four written sections."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms

from jtai_tracker.forms import GovukDateField, OneMessagePerDate
from reports.models import CommitteeReport

SECTION_LIMIT = 10_000
SECTION_HINT = (
    'Plain text. Leave a blank line between paragraphs, and start a line with "- " for a bullet point. '
    "Anything else, such as HTML, is shown exactly as typed."
)


def _line(label: str, hint: str = "", required: bool = False, max_length: int = 200) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=max_length,
        error_messages={
            "required": f"Enter {label[:1].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def _section(label: str, hint: str = SECTION_HINT) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=SECTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": f"{label} must be {SECTION_LIMIT:,} characters or fewer"},
    )


class CommitteeReportForm(OneMessagePerDate, forms.Form):
    #: The report's version when the form was read (0: not saved yet); a stale save is refused, never lost.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    title = _line("Title", "For example, JTAI action plan – progress update, May 2020.", required=True)
    committee = _line("Committee", "For example, Families and Children's Overview and Scrutiny Committee.")
    meeting_date = GovukDateField(label="Date of the meeting", help_text="For example, 16 7 2020.", required=False)
    reference = _line("Report reference (optional)", "The committee's item or report number.", max_length=60)
    report_of = _line("Report of", "The officer presenting the report. For example, Cath McEvoy-Carr.", required=True)
    report_of_role = _line(
        "Their role", "For example, Executive Director of Adult Social Care and Children's Services."
    )
    cabinet_member = _line(
        "Cabinet member (optional)",
        "For example, Councillor Wayne Daley, Executive Member for Children's Services.",
    )
    purpose = _section("Purpose of report")
    recommendations = _section("Recommendations")
    key_issues = _section("Key issues")
    background = _section("Background")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field("version"),
            Fieldset(
                Field.text("title", field_width=Fluid.FULL),
                Field.text("committee", field_width=Fluid.FULL),
                Field("meeting_date"),
                Field.text("reference", field_width=Fluid.ONE_THIRD),
                Field.text("report_of", field_width=Fluid.TWO_THIRDS),
                Field.text("report_of_role", field_width=Fluid.FULL),
                Field.text("cabinet_member", field_width=Fluid.FULL),
                legend="Cover",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.textarea("purpose", label_size=Size.SMALL),
                Field.textarea("recommendations", label_size=Size.SMALL),
                Field.textarea("key_issues", label_size=Size.SMALL),
                Field.textarea("background", label_size=Size.SMALL),
                legend="Sections",
                legend_size=Size.MEDIUM,
            ),
        )

    @classmethod
    def initial_for(cls, report: CommitteeReport) -> dict:
        initial = {name: getattr(report, name) for name in cls.base_fields if name != "version"}
        return {**initial, "version": report.version if report.pk else 0}

    def report_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}
