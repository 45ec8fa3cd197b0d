"""Forms leads and chairs fill in. Every error reads as a sentence and sits next to its field."""

from __future__ import annotations

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size
from django import forms

from actions.models import Action, Update
from actions.quadrants import OPEN_QUADRANTS, Quadrant, QuadrantInfo
from actions.services import LEAD_FIELDS, update_problems
from actions.uploads import ALLOWED_DESCRIPTION, validate_evidence_file
from jtai_tracker.forms import TARGET_EARLIEST, GovukDateField, OneMessagePerDate

TEXT_LIMIT = 5000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        errors, cleaned = [], []
        for upload in files:
            try:
                single = super().clean(upload, initial)
                single.content_type = validate_evidence_file(single)
                cleaned.append(single)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


def _text(label: str, hint: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer"},
    )


class UpdateForm(OneMessagePerDate, forms.Form):
    """A lead's quarterly update on one action.

    Saving a draft checks only lengths and dates; submitting also needs the
    progress and a proposed quadrant, and a proposal of "complete" needs
    evidence and a sustainability plan (no completion without evidence).
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    narrative = _text("Progress", "What has been done since the last round, and what difference it has made.")
    evidence = _text("Evidence", "Data, audits or quality assurance that show the progress. You can attach files.")
    barriers = _text("Barriers", "Anything stopping or slowing the action.", rows=3)
    next_steps = _text("Next steps", "What will happen before the next round.", rows=3)
    proposed_quadrant = forms.ChoiceField(
        label="Which quadrant do you think this action is in?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a quadrant from the list"},
    )
    sustainability_plan = _text(
        "Sustainability plan", "Only if you propose the action is complete: how the change will last.", rows=3
    )
    achieved_on = GovukDateField(
        label="When was it achieved? (optional)",
        help_text=(
            "Only if you propose the action is complete. Leave blank and it is dated by the sub-group meeting "
            "that agrees it. For example, 27 3 2021."
        ),
        required=False,
        earliest=TARGET_EARLIEST,
        past_only=True,
    )
    requested_target_date = GovukDateField(
        label="New target date (optional)",
        help_text="Only if the action needs more time. For example, 31 3 2021.",
        required=False,
        earliest=TARGET_EARLIEST,
    )
    requested_target_reason = _text("Why the target date needs to change", rows=3)
    files = MultipleFileField(
        label="Attach evidence files (optional)",
        help_text=f"{ALLOWED_DESCRIPTION}. Each file must be smaller than 20 MB.",
        required=False,
    )

    def __init__(self, *args, scale: dict[str, QuadrantInfo], action: Action, submitting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.submitting = submitting
        self.fields["proposed_quadrant"].choices = [
            Choice(scale[key].key, f"{scale[key].symbol} {scale[key].label}", hint=scale[key].description)
            for key in [*OPEN_QUADRANTS, Quadrant.COMPLETE]
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field("version"),
            Field.textarea("narrative", label_size=Size.SMALL),
            Field.textarea("evidence", label_size=Size.SMALL),
            Field("files"),
            Field.textarea("barriers", label_size=Size.SMALL),
            Field.textarea("next_steps", label_size=Size.SMALL),
            Field.radios("proposed_quadrant", legend_size=Size.MEDIUM),
            Field.textarea("sustainability_plan", label_size=Size.SMALL),
            Field("achieved_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Fieldset(
                HTML(
                    '<p class="govuk-body">The current target date is '
                    f"{action.current_target_date:%-d %B %Y}. The sub-group decides whether to agree a new one.</p>"
                ),
                Field("requested_target_date"),
                Field.textarea("requested_target_reason", label_size=Size.SMALL),
                legend="Ask for a new target date",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean(self) -> dict:
        data = super().clean()
        # The rules are the service's (update_problems); asking here shows every error at once.
        fields = {name: data.get(name) for name in LEAD_FIELDS if name not in self.errors}
        has_files = bool(data.get("files")) or self.existing_files()
        problems = update_problems(action=self.action, fields=fields, submit=self.submitting, has_files=has_files)
        self.add_rule_errors({field: message for field, message in problems.items() if field not in self.errors})
        return data

    def existing_files(self) -> bool:
        update = self.initial.get("_update")
        return bool(update and update.pk and update.files.exists())

    def add_rule_errors(self, errors: dict[str, str]) -> None:
        """Show the service's refusal (``UpdateInvalid``) beside each field at fault."""
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)

    def update_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "narrative": data["narrative"].strip(),
            "evidence": data["evidence"].strip(),
            "barriers": data["barriers"].strip(),
            "next_steps": data["next_steps"].strip(),
            "proposed_quadrant": data.get("proposed_quadrant") or "",
            "sustainability_plan": data["sustainability_plan"].strip(),
            "requested_target_date": data.get("requested_target_date"),
            "requested_target_reason": data["requested_target_reason"].strip(),
            "achieved_on": data.get("achieved_on"),
        }

    @classmethod
    def initial_for(cls, update: Update) -> dict:
        return {
            "_update": update,
            "version": update.version if update.pk else 0,
            **{name: getattr(update, name) for name in LEAD_FIELDS},
        }


class DecisionForm(forms.Form):
    """The sub-group's verdict on one action in the sense check.

    No quadrant is chosen for the chair (GOV.UK: never pre-select a radio): the lead's proposal is shown
    beside the question, and the chair picks one. A decision already recorded is shown as recorded.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    quadrant = forms.ChoiceField(
        label="Which quadrant does the sub-group agree?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the quadrant the sub-group agreed",
            "invalid_choice": "Select the quadrant the sub-group agreed",
        },
    )
    reason = _text(
        "Reason", "Needed when the sub-group sets a different quadrant from the lead's, or rejects a completion.", 3
    )
    date_decision = forms.ChoiceField(
        label="New target date",
        widget=forms.RadioSelect,
        required=False,
        choices=[("accepted", "Agree the new target date"), ("refused", "Keep the current target date")],
        error_messages={"invalid_choice": "Say whether the new target date is agreed"},
    )

    def __init__(self, *args, scale: dict[str, QuadrantInfo], update: Update | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quadrant"].choices = [
            Choice(key, f"{scale[key].symbol} {scale[key].label}", hint=scale[key].description)
            for key in [*OPEN_QUADRANTS, Quadrant.COMPLETE]
        ]
        requested = update.requested_target_date if update else None
        if requested:
            self.fields["date_decision"].label = f"The lead asks for a new target date of {requested:%-d %B %Y}"
        else:
            del self.fields["date_decision"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        layout = [Field("version"), Field.radios("quadrant", legend_size=Size.MEDIUM)]
        layout.append(Field.textarea("reason", label_size=Size.SMALL))
        if requested:
            layout.append(Field.radios("date_decision", legend_size=Size.SMALL))
        self.helper.layout = Layout(*layout)

    @staticmethod
    def initial_for(update: Update | None) -> dict:
        """What the form shows: the version read, and only a decision the sub-group has already recorded."""
        if update is None:
            return {"version": 0}
        decided = update.status == Update.Status.AGREED
        return {
            "version": update.version,
            "quadrant": update.agreed_quadrant if decided else None,
            "reason": update.agreed_reason if decided else "",
            "date_decision": update.date_decision if decided else None,
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why is the action being reopened?",
        help_text="For example, the re-audit found the change has not lasted. The reason is kept in its history.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Say why the action is being reopened"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.SMALL))


class CloseRoundForm(OneMessagePerDate, forms.Form):
    meeting_on = GovukDateField(
        label="Date of the sub-group meeting", help_text="For example, 27 5 2020.", past_only=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("meeting_on"))


class EndorseRoundForm(OneMessagePerDate, forms.Form):
    endorsed_on = GovukDateField(
        label="Date the partnership board endorsed the round", help_text="For example, 2 6 2020.", past_only=True
    )
    meeting = forms.CharField(
        label="Body that endorsed the round",
        help_text="As the committee report should name it, for example, the NSCC executive.",
        max_length=200,
        error_messages={"required": "Enter the body that endorsed the round"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("endorsed_on"), Field.text("meeting", field_width=Fluid.TWO_THIRDS))
