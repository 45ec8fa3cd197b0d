"""The forms to sign a finding off as addressed and to reopen it. They check what was typed; the services decide."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from setup.forms import GovukDateField

TEXT_LIMIT = 5000


def _text_area(label: str, hint: str = "", *, required: bool = True, message: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=TEXT_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message,
            "max_length": f"{label.removesuffix(' (optional)')} must be {TEXT_LIMIT:,} characters or fewer",
        },
    )


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


def _date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


class SignOffForm(forms.Form):
    signed_off_on = GovukDateField(
        label="Date of the meeting that agreed it",
        required_message="Enter the date of the meeting that agreed it",
        help_text="The day the sub-group or the board agreed the finding was addressed. For example, 12 3 2021.",
    )
    agreed_by_body = forms.CharField(
        label="Who agreed it",
        max_length=200,
        initial="the sub-group",
        help_text='As it should read after "signed off as addressed by". For example, "the S&CE sub-group".',
        error_messages={
            "required": "Enter who agreed it, for example the sub-group",
            "max_length": "Who agreed it must be 200 characters or fewer",
        },
    )
    evidence = _text_area(
        "Evidence",
        "What showed the finding was addressed: data, audits, quality assurance, the completed actions.",
        message="Enter the evidence the sign-off was agreed on",
    )
    note = _text_area("Note (optional)", "Anything else the record should say.", required=False, rows=3)

    def __init__(self, *args, board_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if board_name:
            self.fields["agreed_by_body"].help_text = (
                'As it should read after "signed off as addressed by". '
                f'For example, "the S&CE sub-group" or "the {board_name}".'
            )
        self.helper = _helper(
            _date("signed_off_on"),
            Field.text("agreed_by_body", field_width=Fluid.TWO_THIRDS),
            Field.textarea("evidence"),
            Field.textarea("note"),
        )


class ReopenForm(forms.Form):
    reopened_on = GovukDateField(
        label="Date of the meeting that reopened it",
        required_message="Enter the date of the meeting that reopened it",
        help_text="For example, 3 5 2021.",
    )
    reason = _text_area(
        "Why it was reopened",
        "For example, a new audit found the practice had slipped.",
        message="Enter why the finding was reopened",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_date("reopened_on"), Field.textarea("reason"))
