"""Forms leads and chairs fill in. Every error reads as a sentence and sits next to its field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, ConditionalQuestion, ConditionalRadios, Field, Fluid, Layout, Size
from django import forms
from django.conf import settings

from actions.models import Action, ReplacedHow, Retest, Update
from actions.quadrants import OPEN_QUADRANTS, Quadrant, QuadrantInfo
from actions.services import LEAD_FIELDS, update_problems
from actions.uploads import ALLOWED, ALLOWED_DESCRIPTION, validate_evidence_file
from jtai_tracker.forms import TARGET_EARLIEST, GovukDateField, OneMessagePerDate, error_anchor, file_size

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


class RevealingRadios(ConditionalRadios):
    """GOV.UK radios whose options may reveal more questions (``RevealFor``), as govuk-frontend 5 marks them up.

    Without JavaScript every revealed question shows under its option; with it, only the chosen option's.
    Give every option as a :class:`RevealFor` (the package would draw a bare label in its older markup).
    """

    template = "actions/includes/revealing_radios.html"


class RevealFor(ConditionalQuestion):
    """The questions one option of :class:`RevealingRadios` reveals, named by the option's label."""

    template = "actions/includes/revealing_radio_item.html"


#: Each answer that reveals questions, and the questions it reveals: (field, value) -> fields. An answer
#: given only under an option the lead did not choose is not theirs, so the form drops it (GOV.UK's rule).
REVEALED_BY = {
    ("proposed_quadrant", Quadrant.COMPLETE): ("sustainability_plan", "achieved_on"),
    ("new_target_date", "yes"): ("requested_target_date", "requested_target_reason"),
}
#: What the file chooser offers: the extensions actions/uploads.py accepts (it checks each file's contents too).
ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)
#: The long text boxes, each with a GOV.UK character count.
COUNTED = ("narrative", "evidence", "barriers", "next_steps", "sustainability_plan", "requested_target_reason")


FILES_NOT_SAVED = "Your files were not saved because of the other errors on this page: choose them again"


class UpdateForm(OneMessagePerDate, forms.Form):
    """A lead's quarterly update on one action.

    Saving a draft checks only lengths and dates; "Continue" (``submitting``) also needs the progress and
    a proposed quadrant before the lead checks their answers, and a proposal of "complete" needs evidence
    and a sustainability plan (no completion without evidence): every rule is ``update_problems``'s.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    narrative = _text("Progress", "What has been done since the last round, and what difference it has made.")
    evidence = _text("Evidence", "Data, audits or quality assurance that show the progress. You can attach files.")
    files = MultipleFileField(
        label="Attach evidence files (optional)",
        required=False,
    )
    barriers = _text("Barriers", "Anything stopping or slowing the action.")
    next_steps = _text("Next steps", "What will happen before the next round.")
    proposed_quadrant = forms.ChoiceField(
        label="Which quadrant do you think this action is in?",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a quadrant from the list"},
    )
    sustainability_plan = _text("Sustainability plan", "How the change will last once the action is complete.")
    achieved_on = GovukDateField(
        label="When was it achieved? (optional)",
        help_text=("Leave blank and it is dated by the sub-group meeting that agrees it. For example, 27 3 2021."),
        required=False,
        earliest=TARGET_EARLIEST,
        past_only=True,
    )
    new_target_date = forms.ChoiceField(
        label="Does the action need a new target date?",
        required=False,
        widget=forms.RadioSelect,
        choices=[("yes", "Yes"), ("no", "No")],
        error_messages={"invalid_choice": "Select yes if the action needs a new target date"},
    )
    requested_target_date = GovukDateField(
        label="New target date",
        help_text="For example, 31 3 2021.",
        required=False,
        earliest=TARGET_EARLIEST,
    )
    requested_target_reason = _text("Why the target date needs to change")

    def __init__(self, *args, scale: dict[str, QuadrantInfo], action: Action, submitting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = self._without_unchosen_answers(self.data)
        self.action = action
        self.submitting = submitting
        for name in COUNTED:
            # The character count shows the limit and lets a lead type past it to see by how much.
            self.fields[name].widget.attrs.pop("maxlength", None)
        self.fields["files"].help_text = (
            f"{ALLOWED_DESCRIPTION}. Each file must be smaller than {file_size(settings.EVIDENCE_MAX_BYTES)}. "
            "You can choose more than one."
        )
        self.fields["new_target_date"].help_text = (
            f"The current target date is {action.current_target_date:%-d %B %Y}. "
            "The sub-group decides whether to agree a new one."
        )
        choices = {key: f"{scale[key].symbol} {scale[key].label}" for key in [*OPEN_QUADRANTS, Quadrant.COMPLETE]}
        self.fields["proposed_quadrant"].choices = [
            Choice(key, label, hint=scale[key].description) for key, label in choices.items()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field("version"),
            self._counted("narrative"),
            self._counted("evidence"),
            Field("files", template="actions/includes/file_upload.html", context={"accept": ACCEPT}),
            HTML('{% include "actions/includes/update_files.html" %}'),
            self._counted("barriers"),
            self._counted("next_steps"),
            RevealingRadios(
                "proposed_quadrant",
                *[RevealFor(label) for key, label in choices.items() if key != Quadrant.COMPLETE],
                RevealFor(
                    choices[Quadrant.COMPLETE],
                    HTML(
                        '<p class="govuk-body">To propose completion, give the evidence that the action is '
                        "complete above, in words or as files.</p>"
                    ),
                    self._counted("sustainability_plan"),
                    Field("achieved_on", context={"legend_size": Size.for_legend(Size.SMALL)}),
                ),
            ),
            RevealingRadios(
                "new_target_date",
                RevealFor(
                    "Yes",
                    Field("requested_target_date", context={"legend_size": Size.for_legend(Size.SMALL)}),
                    self._counted("requested_target_reason"),
                ),
                RevealFor("No"),
            ),
        )

    @staticmethod
    def _counted(name: str) -> Field:
        return Field(
            name,
            template="actions/includes/character_count.html",
            context={"limit": TEXT_LIMIT, "limit_shown": f"{TEXT_LIMIT:,}"},
        )

    @classmethod
    def _without_unchosen_answers(cls, data):
        """The posted data less the answers to questions revealed by an option the lead did not choose.

        Without JavaScript every revealed question shows, so an unchosen option's answers may come back; with
        it they may be left over from an option chosen and changed. Neither is the lead's answer. Only a
        choice made counts: a lead without JavaScript who answers the date questions but not "Yes" keeps them.
        """
        data = data.copy()
        for (field, value), revealed in REVEALED_BY.items():
            chosen = data.get(field)
            if field == "new_target_date" and not chosen:
                continue
            if chosen != value:
                for name in revealed:
                    for key in (name, f"{name}_0", f"{name}_1", f"{name}_2"):
                        if key in data:
                            data[key] = ""
        return data

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("new_target_date") == "yes"
            and not data.get("requested_target_date")
            and not (data.get("requested_target_reason") or "").strip()
            and "requested_target_date" not in self.errors
        ):
            self.add_error("requested_target_date", "Enter the new target date, or select no")
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
        self._say_files_not_saved()

    def _say_files_not_saved(self) -> None:
        """A browser cannot keep a chosen file when the page comes back with errors: say so by the file input."""
        if self.files.getlist(self.add_prefix("files")) and self.errors and "files" not in self.errors:
            self.add_error("files", FILES_NOT_SAVED)

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
    def initial_for(cls, update: Update, answers: dict | None = None) -> dict:
        """The form's starting values: the saved update's answers, or ``answers`` (a lead's own, after a clash)."""
        answers = answers if answers is not None else {name: getattr(update, name) for name in LEAD_FIELDS}
        asked = "yes" if answers.get("requested_target_date") else "no" if update.pk else None
        return {"_update": update, "version": update.version if update.pk else 0, "new_target_date": asked, **answers}


class VersionForm(forms.Form):
    """The version of the update a page showed (a submit from "Check your answers", a file's "Remove")."""

    version = forms.IntegerField(min_value=0)


def answer_anchor(form: UpdateForm, name: str) -> str:
    """The id a "Change" link (or an error on the check page) takes the lead to: the answer's first input."""
    return error_anchor(form[name])


@dataclass(frozen=True)
class CheckRow:
    name: str
    label: str
    value: Any
    anchor: str


def check_rows(form: UpdateForm, update: Update, files: list) -> list[CheckRow]:
    """Every answer of the saved update as "Check your answers" lists it, each with where to change it."""
    completing = update.proposed_quadrant == Quadrant.COMPLETE

    def row(name: str, label: str, value: Any) -> CheckRow:
        return CheckRow(name, label, value, answer_anchor(form, name))

    def day(value) -> str:
        return f"{value:%-d %B %Y}" if value else ""

    rows = [
        row("narrative", "Progress", update.narrative),
        row("evidence", "Evidence", update.evidence),
        row("files", "Evidence files", files),
        row("barriers", "Barriers", update.barriers),
        row("next_steps", "Next steps", update.next_steps),
        row("proposed_quadrant", "Proposed quadrant", update.proposed_quadrant),
    ]
    if completing:
        rows += [
            row("sustainability_plan", "Sustainability plan", update.sustainability_plan),
            row(
                "achieved_on",
                "Date achieved",
                day(update.achieved_on) or "Not given: the sub-group meeting that agrees it dates it",
            ),
        ]
    rows.append(row("new_target_date", "New target date", day(update.requested_target_date) or "No"))
    if update.requested_target_date:
        rows.append(
            row("requested_target_reason", "Why the target date needs to change", update.requested_target_reason)
        )
    return rows


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


# Outcomes beyond complete, and impact re-tests (the chair or the manager) ----------------------------------


def _legend_date(name: str) -> Field:
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def _required_text(label: str, hint: str, message: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LIMIT,
        error_messages={"required": message, "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer"},
    )


class _ActionDecisionForm(OneMessagePerDate, forms.Form):
    """A chair's decision about one action: carries the action's version, so a decision from a stale page is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def _helper(self, *fields: Any) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.label_size = Size.SMALL
        helper.layout = Layout(*fields, Field("version"))
        return helper


class NotImplementedForm(_ActionDecisionForm):
    not_implemented_on = GovukDateField(
        label="Date of the meeting that agreed it", help_text="For example, 12 5 2026.", past_only=True
    )
    not_implemented_reason = _required_text(
        "Reasons it will not be implemented",
        "Reports and the yearly report print these words, as the meeting agreed them.",
        "Give the reasons the action will not be implemented",
    )

    agreed_by = forms.TypedChoiceField(
        label="Which chair agreed it?",
        help_text="A chair recording their own decision may leave this: they are named.",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the chair who agreed it",
            "invalid_choice": "Select the chair who agreed it",
        },
    )

    def __init__(self, *args, chairs: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].choices = chairs
        self.helper = self._helper(
            Field.radios("agreed_by", legend_size=Size.SMALL),
            _legend_date("not_implemented_on"),
            Field.textarea("not_implemented_reason"),
        )


class ReplaceForm(_ActionDecisionForm):
    replaced_how = forms.ChoiceField(
        label="Was it superseded or merged?",
        choices=[
            (ReplacedHow.SUPERSEDED, "Superseded: another action replaces it"),
            (ReplacedHow.MERGED, "Merged: its work is now part of another action"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the action was superseded or merged"},
    )
    replaced_by = forms.TypedChoiceField(
        label="The action that carries the work now",
        help_text="Any action of your partnership's, in this plan or another.",
        coerce=int,
        error_messages={
            "required": "Choose the action that carries the work now",
            "invalid_choice": "Choose an action of your partnership that is still in a plan",
        },
    )
    replaced_on = GovukDateField(
        label="Date of the meeting that agreed it", help_text="For example, 12 5 2026.", past_only=True
    )
    replaced_reason = _required_text(
        "Reason", "For example, the two recommendations were combined after the review.", "Give the reason"
    )

    def __init__(self, *args, choices: list[tuple[str, list[tuple[int, str]]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].choices = [("", "Choose an action"), *choices]
        self.helper = self._helper(
            Field.radios("replaced_how", legend_size=Size.SMALL),
            Field.select("replaced_by"),
            _legend_date("replaced_on"),
            Field.textarea("replaced_reason"),
        )


class ReinstateForm(_ActionDecisionForm):
    reason = _required_text(
        "Why is the decision being undone?",
        "For example, the board asked for the work to go ahead after all. The reason is kept in its history.",
        "Say why the decision is being undone",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(Field.textarea("reason"))


class RetestDueForm(_ActionDecisionForm):
    retest_due = GovukDateField(
        label="Re-test date", help_text="When to check the change has lasted. For example, 1 11 2026."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(_legend_date("retest_due"))


class RetestForm(_ActionDecisionForm):
    tested_on = GovukDateField(
        label="Date of the re-test", help_text="The meeting or day the re-test was judged.", past_only=True
    )
    result = forms.ChoiceField(
        label="Was the change sustained?",
        choices=[
            (Retest.Result.SUSTAINED, "Sustained: the change has lasted"),
            (Retest.Result.NOT_SUSTAINED, "Not sustained: reopen the action, so its lead is asked for updates again"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the change was sustained"},
    )
    evidence = _required_text(
        "Evidence",
        "What the re-test looked at: for example, a re-audit of 40 cases.",
        "Give the evidence the re-test looked at",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            _legend_date("tested_on"), Field.radios("result", legend_size=Size.SMALL), Field.textarea("evidence")
        )
