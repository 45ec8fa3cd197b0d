"""Forms the partnership manager fills in to set plans up. Every error reads as a sentence beside its field.

The forms only check what was typed; the domain apps' services
write it. Model forms here are never saved: their cleaned data is handed to a
service.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from actions import services as action_services
from actions.models import Action, ActionPlan, ImpactMeasure, ImpactValue, MonitoringRound
from actions.quadrants import OPEN_QUADRANTS, Quadrant, QuadrantInfo
from inspections import services as inspection_services
from inspections.models import KINDS_NEEDING_ACTION, Agency, Finding, Inspection, Partnership, kind_words, lower_words
from inspections.regimes import EVENT_FIELDS, REGIMES, milestone_events, regime
from jtai_tracker.forms import TARGET_EARLIEST, GovukDateField, OneMessagePerDate
from people.models import Person

TEXT_LIMIT = 5000
#: How much letter text one paste may hold, and how many findings it may make.
PASTE_LIMIT = 50_000
PASTE_MAX_FINDINGS = 100


def _date(name: str) -> Field:
    """A date input whose legend is as bold as the labels around it."""
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


def _helper(*fields: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


def _text_area(label: str, hint: str = "", *, required: bool = False, message: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=TEXT_LIMIT,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer",
        },
    )


def _limits(form: forms.Form) -> None:
    """A plain-English message for over-long text in every text field of the form."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length:
            name = str(field.label).removesuffix(" (optional)")
            field.error_messages["max_length"] = f"{name} must be {field.max_length:,} characters or fewer"


def number_input(*, decimal: bool = False) -> forms.TextInput:
    """GOV.UK asks for a text input with a numeric keyboard, not type=number (whose spinners lose typed digits).

    A plain TextInput, not a subclass: crispy-forms-gds styles and marks errors by the widget's class name.
    """
    return forms.TextInput(attrs={"inputmode": "decimal" if decimal else "numeric", "spellcheck": "false"})


# The partnership -------------------------------------------------------------


class PartnershipForm(forms.ModelForm):
    """The partnership's own details its manager keeps: not its name, which support sets."""

    class Meta:
        model = Partnership
        fields = ["local_authority", "board_name", "committee_name", "second_factor_for_everyone"]
        labels = {
            "local_authority": "Local authority",
            "board_name": "Board name",
            "committee_name": "Committee the reports go to (optional)",
            "second_factor_for_everyone": "Everyone must use a second step at sign-in",
        }
        help_texts = {
            "local_authority": "The council that hosts the partnership, for example Northumberland County Council.",
            "board_name": (
                "The body that endorses progress on the action plan, for example Northumberland Safeguarding "
                "Children Committee (NSCC). Committee reports name it."
            ),
            "second_factor_for_everyone": (
                "Managers, chairs and report officers always must: an authenticator app or a security key. Tick "
                "this for leads and viewers too."
            ),
        }
        error_messages = {
            "local_authority": {"required": "Enter the local authority"},
            "board_name": {"required": "Enter the board name"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Optional on the row (support creates a partnership without one); set-up asks for it.
        self.fields["board_name"].required = True
        _limits(self)
        self.helper = _helper(
            Field.text("local_authority", field_width=Fluid.TWO_THIRDS),
            Field.text("board_name", field_width=Fluid.TWO_THIRDS),
            Field.text("committee_name", field_width=Fluid.TWO_THIRDS),
        )

    def clean_local_authority(self) -> str:
        return " ".join(self.cleaned_data["local_authority"].split())

    def clean_board_name(self) -> str:
        return " ".join(self.cleaned_data["board_name"].split())


# Agencies --------------------------------------------------------------------


class AgencyForm(forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind"]
        labels = {"name": "Name", "short_name": "Short name (optional)", "kind": "Kind of agency"}
        help_texts = {
            "name": "For example, Northumberland County Council.",
            "short_name": "Used where space is tight, for example NCC.",
        }
        error_messages = {"name": {"required": "Enter the agency's name"}}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["kind"].widget = forms.RadioSelect()
        self.fields["kind"].choices = Agency.Kind.choices
        self.fields["kind"].error_messages["invalid_choice"] = "Select the kind of agency"
        _limits(self)
        self.helper = _helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("short_name", field_width=Fixed.TEN),
            Field.radios("kind", legend_size=Size.SMALL),
        )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


# People ----------------------------------------------------------------------

ROLE_HINTS = {
    Person.Role.MANAGER: "Sets plans up, manages agencies and people, opens rounds.",
    Person.Role.CHAIR: "Runs the sense check: agrees quadrants and closes rounds.",
    Person.Role.LEAD: "Writes the updates on the actions they lead.",
    Person.Role.OFFICER: "Writes and publishes committee reports.",
    Person.Role.VIEWER: "Reads plans, boards and reports; changes nothing.",
}


def _role_choices() -> list[Choice]:
    return [Choice(value, label, hint=ROLE_HINTS[value]) for value, label in Person.Role.choices]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name if obj.active else f"{obj.name} (inactive)"


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name if obj.active else f"{obj.name} (inactive)"


def _agencies(partnership: Partnership, *keep: Agency | None) -> Any:
    """The partnership's active agencies, plus any inactive one already chosen (so editing does not fail)."""
    keep_ids = [agency.pk for agency in keep if agency is not None]
    return Agency.objects.for_partnership(partnership).filter(Q(active=True) | Q(pk__in=keep_ids))


class PersonForm(forms.Form):
    """A new person: their account and their place in the partnership."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    username = forms.CharField(
        label="Username (optional)",
        help_text="What they type to sign in. Leave blank to use their email address.",
        max_length=150,
        required=False,
    )
    agency = AgencyChoiceField(label="Agency", queryset=Agency.objects.none(), empty_label="Choose an agency")
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect, initial=Person.Role.LEAD)
    job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = _agencies(partnership)
        self.fields["role"].choices = _role_choices()
        messages = {
            "first_name": "Enter their first name",
            "last_name": "Enter their last name",
            "email": "Enter their email address",
            "agency": "Choose the agency they work for",
            "role": "Select their role",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["agency"].error_messages["invalid_choice"] = "Choose one of your partnership's agencies"
        self.fields["role"].error_messages["invalid_choice"] = "Select one of the roles"
        _limits(self)
        self.helper = _helper(
            Field.text("first_name", field_width=Fluid.ONE_HALF, autocomplete="off"),
            Field.text("last_name", field_width=Fluid.ONE_HALF, autocomplete="off"),
            Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false", autocomplete="off"),
            Field.text("username", field_width=Fluid.TWO_THIRDS, spellcheck="false", autocomplete="off"),
            Field.select("agency"),
            Field.radios("role", legend_size=Size.SMALL),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
        )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        # The username defaults to the email address; whether it is free is the service's rule.
        self.username_from_email = not (data.get("username") or "").strip()
        username = (data.get("username") or "").strip() or data.get("email") or ""
        if username:
            try:
                get_user_model().username_validator(username)
            except ValidationError:
                self.add_error("username", "A username can only contain letters, numbers and the characters @ . + - _")
            else:
                if len(username) > 150:
                    self.add_error("username", "A username must be 150 characters or fewer: enter a shorter one")
        data["username"] = username
        return data

    def add_service_error(self, refused: ValidationError) -> None:
        """Show the service's refusal beside the field the person typed (an email used as username is the email)."""
        errors = refused.message_dict if hasattr(refused, "error_dict") else {None: refused.messages}
        for field, messages_ in errors.items():
            target = "email" if field == "username" and self.username_from_email else field
            for message in messages_:
                self.add_error(target if target in self.fields else None, message)


class PersonEditForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["agency", "role", "job_title"]
        labels = {"job_title": "Job title (optional)"}

    def __init__(self, *args, partnership: Partnership, editing_self: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = AgencyChoiceField(
            label="Agency",
            queryset=_agencies(partnership, self.instance.agency if self.instance.agency_id else None),
            empty_label="Choose an agency",
            error_messages={
                "required": "Choose the agency they work for",
                "invalid_choice": "Choose one of your partnership's agencies",
            },
        )
        self.fields["role"].widget = forms.RadioSelect()
        self.fields["role"].choices = _role_choices()
        self.fields["role"].error_messages.update(
            {"required": "Select their role", "invalid_choice": "Select one of the roles"}
        )
        if editing_self:
            self.fields["role"].disabled = True
            self.fields["role"].help_text = "You cannot change your own role. Ask another manager to do it."
        self.fields["email"] = forms.EmailField(
            label="Email address",
            max_length=254,
            initial=self.instance.user.email if self.instance.user_id else "",
            help_text="Invitations and password reset links go here.",
            error_messages={
                "required": "Enter their email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
        )
        _limits(self)
        self.helper = _helper(
            Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false", autocomplete="off"),
            Field.select("agency"),
            Field.radios("role", legend_size=Size.SMALL),
            Field.text("job_title", field_width=Fluid.TWO_THIRDS),
        )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} ({obj.agency.display_name})"


def active_people(partnership: Partnership, *keep: Person | None) -> Any:
    """Active people of the partnership (plus anyone named in ``keep``), by name."""
    keep_ids = [person.pk for person in keep if person is not None]
    return (
        Person.objects.for_partnership(partnership)
        .filter(Q(user__is_active=True) | Q(pk__in=keep_ids))
        .select_related("user", "agency")
        .order_by("user__first_name", "user__last_name")
    )


class DeactivateForm(forms.Form):
    reassign_to = PersonChoiceField(label="", queryset=Person.objects.none(), empty_label="Choose a person")

    def __init__(self, *args, person: Person, action_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reassign_to"]
        field.queryset = active_people(person.partnership).exclude(pk=person.pk)
        field.label = f"Reassign their {action_count} action{'s' if action_count != 1 else ''} to"
        field.error_messages.update(
            {
                "required": "Choose who takes over their actions",
                "invalid_choice": "Choose an active person in your partnership",
            }
        )
        if action_count == 0:
            del self.fields["reassign_to"]
            self.helper = _helper()
        else:
            self.helper = _helper(Field.select("reassign_to"))


# Inspections -----------------------------------------------------------------


class InspectionForm(OneMessagePerDate, forms.ModelForm):
    """An inspection or review of one regime (chosen first, never changed after): its details, and the dates of
    its regime's events, each labelled in the regime's words (inspections/regimes.toml).

    Every event's date field is declared (``milestone_<event>`` for those kept in ``Inspection.milestones``,
    the columns' own for the others); a form keeps only its regime's.
    """

    kind = forms.ChoiceField(
        choices=Inspection.Kind.choices,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Select the type of inspection or review",
            "invalid_choice": "Select the type of inspection or review",
        },
    )
    inspectorates = forms.MultipleChoiceField(
        label="Inspectorates",
        help_text="Select all that apply.",
        choices=Inspection.Inspectorate.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Select inspectorates from the list"},
    )
    fieldwork_start = GovukDateField(label="Fieldwork start date")
    fieldwork_end = GovukDateField(label="Fieldwork end date")
    letter_published = GovukDateField(label="Letter published (optional)", required=False, past_only=True)
    plan_due = GovukDateField(label="Action plan due (optional)", required=False)
    plan_submitted = GovukDateField(label="Action plan submitted (optional)", required=False, past_only=True)
    plan_endorsed = GovukDateField(
        label="Action plan endorsed (optional)",
        required=False,
        past_only=True,
        help_text="When the inspectorate accepted the plan. For example, 16 12 2019.",
    )
    plan_title = forms.CharField(
        label="Action plan title",
        max_length=200,
        required=False,
        help_text="Leave blank to name it after the theme, for example “Neglect action plan”.",
    )

    class Meta:
        model = Inspection
        fields = [name for name in inspection_services.INSPECTION_FIELDS if name != "milestones"]
        labels = {"theme": "Theme", "status": "Status"}
        help_texts = {"theme": "For example, Child sexual and criminal exploitation."}
        error_messages = {"theme": {"required": "Enter the theme of the inspection"}}

    def __init__(self, *args, regime_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        adding = not self.instance.pk
        code = self.instance.kind if not adding else (self.data.get("kind") if self.is_bound else regime_code)
        self.regime = regime(code if code in REGIMES else regime_code or "jtai")
        self.fields["kind"].initial = self.initial["kind"] = self.regime.code  # not the model's default
        if not adding:  # a source keeps its regime: its events, clocks and findings' words are the regime's
            del self.fields["kind"]
        self.fields["status"].error_messages["invalid_choice"] = "Select a status from the list"
        self.fields["status"].choices = self.regime.status_choices  # the same codes, in the regime's words
        if self.regime.is_inspection:  # only the inspectorates that may carry it out, all ticked when added
            inspectorates = dict(Inspection.Inspectorate.choices)
            self.fields["inspectorates"].choices = [(c, inspectorates[c]) for c in self.regime.inspectorates]
            if adding:
                self.fields["inspectorates"].initial = self.initial["inspectorates"] = list(self.regime.inspectorates)
            if len(self.regime.inspectorates) == 1:
                self.fields["inspectorates"].help_text = ""
        else:  # a review or a local plan: no inspectorate carries it out
            del self.fields["inspectorates"]
        self.fields["theme"].error_messages["required"] = (
            f"Enter the {self.regime.theme.lower()} of the {self.regime.noun}"
        )
        self.fields["theme"].label = self.regime.theme
        self.fields["theme"].help_text = f"For example, {self.regime.theme_example}."
        self._label(self.fields["fieldwork_start"], self.regime.period_start)
        self._label(self.fields["fieldwork_end"], self.regime.period_end)
        self.event_fields = []
        for event in self.regime.events:
            name = event.field or f"milestone_{event.code}"
            self._label(self.fields[name], f"{event.label} (optional)")
            self.event_fields.append(name)
            if not event.field:
                self.fields[name].initial = self.instance.event_date(event.code)
        for name in [n for n in self.fields if n in EVENT_DATE_FIELDS and n not in self.event_fields]:
            del self.fields[name]
        plan = getattr(self.instance, "plan", None) if self.instance.pk else None
        self.fields["plan_title"].label = f"{self.regime.plan} title"
        if plan is not None:
            self.fields["plan_title"].initial = plan.title
            self.fields["plan_title"].help_text = ""
        else:
            # The example is the title the service gives (inspections.services.plan_title_for).
            named_after = "theme" if self.regime.theme == "Theme" else f"{self.regime.noun}'s name"
            self.fields["plan_title"].help_text = (
                f"Leave blank to name it after the {named_after}, for example "
                f"“{self.regime.theme_example} {lower_words(self.regime.plan)}”."
            )
        _limits(self)
        self.helper = _helper(
            *(["kind"] if adding else []),
            Field.text("theme", field_width=Fluid.TWO_THIRDS),
            *(
                [Field.checkboxes("inspectorates", legend_size=Size.SMALL, small=True)]
                if self.regime.is_inspection
                else []
            ),
            Fieldset(
                _date("fieldwork_start"), _date("fieldwork_end"), legend=self.regime.period, legend_size=Size.MEDIUM
            ),
            Fieldset(
                *(_date(name) for name in self.event_fields),
                legend="Key dates",
                legend_size=Size.MEDIUM,
            ),
            Field.select("status"),
            Field.text("plan_title", field_width=Fluid.TWO_THIRDS),
        )

    @staticmethod
    def _label(field: forms.Field, label: str) -> None:
        """Label a date in the regime's words; its messages name it by them ("Enter the review start date")."""
        field.label = label
        field.name = label.removesuffix(" (optional)")
        if field.required:
            field.error_messages["required"] = f"Enter the {lower_words(field.name)}"

    def clean(self) -> dict:
        data = super().clean()
        submitted, endorsed = data.get("plan_submitted"), data.get("plan_endorsed")
        if submitted and endorsed and endorsed < submitted and "plan_endorsed" not in self.errors:
            self.add_error("plan_endorsed", "The plan cannot be endorsed before it was submitted")
        letter, due = data.get("letter_published"), data.get("plan_due")
        if letter and due and due < letter and "plan_due" not in self.errors:
            self.add_error("plan_due", f"The plan cannot be due before the {self.regime.report} was published")
        return data

    def _post_clean(self) -> None:
        # The model's rules (Inspection.clean) see the milestones typed, and name their fields' labels.
        self.instance.milestones = self.milestones()
        super()._post_clean()

    def milestones(self) -> dict[str, str]:
        """The regime's milestone events typed, by event code, as ISO dates."""
        data = getattr(self, "cleaned_data", {})
        return {
            event.code: data[f"milestone_{event.code}"].isoformat()
            for event in self.regime.milestone_events
            if data.get(f"milestone_{event.code}")
        }

    def inspection_fields(self) -> dict[str, Any]:
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.fields}
        return {**fields, "milestones": self.milestones()}


#: Every date an event of some regime may be kept in: the columns', then each milestone event's.
EVENT_DATE_FIELDS = [*EVENT_FIELDS]
for _code, _label in milestone_events().items():
    InspectionForm.base_fields[f"milestone_{_code}"] = GovukDateField(
        label=f"{_label} (optional)", required=False, past_only=True
    )
    EVENT_DATE_FIELDS.append(f"milestone_{_code}")


# Findings --------------------------------------------------------------------


class FindingForm(forms.ModelForm):
    text = _text_area("Text", "As the letter words it.", required=True, message="Enter the text of the finding")
    case_study = _text_area("Case study (optional)")
    number = forms.IntegerField(
        label="Number (optional)",
        required=False,
        min_value=1,
        max_value=999,
        widget=number_input(),
        error_messages={
            "invalid": "The number must be a whole number, like 3",
            "min_value": "The number must be 1 or more",
            "max_value": "The number must be 999 or less",
        },
    )

    class Meta:
        model = Finding
        fields = ["kind", "number", "text", "case_study"]
        labels = {"kind": "Kind of finding"}

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        kinds = [(kind, singular) for kind, singular, _ in inspection.finding_kinds([self.instance])]
        self.fields["kind"].widget = forms.RadioSelect()
        self.fields["kind"].choices = kinds
        self.fields["kind"].error_messages.update(
            {"required": "Select the kind of finding", "invalid_choice": "Select the kind of finding"}
        )
        if self.instance.pk:
            self.fields["number"].required = True
            self.fields["number"].label = "Number"
            self.fields["number"].error_messages["required"] = "Enter the finding's number"
        else:
            following = ", ".join(
                f"{lower_words(label)} {inspection_services.finding_next_number(inspection, kind)}"
                for kind, label in kinds
            )
            self.fields["number"].help_text = f"Leave blank to number it after the last one: {following}."
        _limits(self)
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.SMALL),
            Field.text("number", field_width=Fixed.FOUR),
            Field.textarea("text", rows=6),
            Field.textarea("case_study", rows=4),
        )

    def clean(self) -> dict:
        data = super().clean()
        kind, number = data.get("kind"), data.get("number")
        if kind and number:
            clash = Finding.objects.filter(inspection=self.inspection, kind=kind, number=number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                label = kind_words(self.inspection.kind, kind)[0]
                self.add_error(
                    "number",
                    f"{label} {number} already exists. Choose another number or leave it blank"
                    if not self.instance.pk
                    else f"{label} {number} already exists. Choose another number",
                )
        return data


class FindingsPasteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of finding",
        widget=forms.RadioSelect,
        choices=Finding.Kind.choices,
        initial=Finding.Kind.AREA_FOR_IMPROVEMENT,
        error_messages={"required": "Select the kind of finding", "invalid_choice": "Select the kind of finding"},
    )
    text = forms.CharField(
        label="The letter's list",
        help_text=(
            "Paste the list from the letter. Each bullet (•, -, *) or number (1. or 1)) starts a new finding; "
            "lines without one join the finding before. With no bullets at all, each line is a finding."
        ),
        max_length=PASTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        error_messages={
            "required": "Paste the findings from the letter",
            "max_length": f"The text must be {PASTE_LIMIT:,} characters or fewer",
        },
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.inspection = inspection
        kinds = [(kind, singular) for kind, singular, _ in inspection.finding_kinds()]
        self.fields["kind"].choices = kinds
        if self.fields["kind"].initial not in dict(kinds):
            self.fields["kind"].initial = next((k for k, _ in kinds if k in KINDS_NEEDING_ACTION), kinds[0][0])
        report = inspection.regime.report
        self.empty_message = f"Paste the findings from the {report}"
        self.fields["text"].label = f"The {report}'s list"
        self.fields["text"].help_text = self.fields["text"].help_text.replace("the letter", f"the {report}")
        self.fields["text"].error_messages["required"] = self.empty_message
        self.helper = _helper(Field.radios("kind", legend_size=Size.SMALL), Field.textarea("text", rows=14))

    def clean(self) -> dict:
        data = super().clean()
        if "text" in data:
            texts = inspection_services.findings_parse(data["text"])
            if not texts:
                self.add_error("text", self.empty_message)
            elif len(texts) > PASTE_MAX_FINDINGS:
                self.add_error(
                    "text",
                    f"That makes {len(texts)} findings: paste {PASTE_MAX_FINDINGS} or fewer at a time",
                )
            data["texts"] = texts
        return data


# Actions ---------------------------------------------------------------------


class AreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Finding) -> str:
        text = obj.text if len(obj.text) <= 140 else obj.text[:137].rsplit(" ", 1)[0] + "…"
        return f"{obj}: {text}"


class ActionForm(OneMessagePerDate, forms.ModelForm):
    description = _text_area("Action", "What will be done.", required=True, message="Describe the action")
    measure_of_success = _text_area("Measure of success (optional)", "How the partnership will know it is done.")
    sustainability_plan = _text_area(
        "Sustainability plan (optional)", "How the change will last once the action closes."
    )
    target_date = GovukDateField(label="Target date", help_text="For example, 31 3 2020.", earliest=TARGET_EARLIEST)

    class Meta:
        model = Action
        fields = [
            "reference",
            "description",
            "areas",
            "lead",
            "lead_agency",
            "supporting_agencies",
            "target_date",
            "measure_of_success",
            "sustainability_plan",
        ]
        labels = {"reference": "Reference"}
        help_texts = {"reference": "For example, 3.2. Renumbering the plan sets every reference from its area."}
        error_messages = {"reference": {"required": "Enter the action's reference, like 3.2"}}

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        partnership = plan.inspection.partnership
        current = self.instance if self.instance.pk else None
        self.fields["areas"] = AreaChoiceField(
            label="Areas this action answers",
            help_text="Select all that apply.",
            queryset=Finding.objects.filter(
                inspection=plan.inspection,
                kind__in=KINDS_NEEDING_ACTION,
            )
            .select_related("inspection")
            .order_by("-kind", "number"),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={"invalid_choice": "Select areas from the list"},
        )
        if not self.fields["areas"].queryset.exists():
            self.fields[
                "areas"
            ].help_text = "The inspection has no areas for improvement yet. Add its findings first to link them."
        self.fields["lead"] = PersonChoiceField(
            label="Lead",
            queryset=active_people(partnership, current.lead if current else None),
            empty_label="Choose the lead",
            error_messages={
                "required": "Choose the action's lead",
                "invalid_choice": "Choose an active person in your partnership",
            },
        )
        self.fields["lead_agency"] = AgencyChoiceField(
            label="Lead agency",
            queryset=_agencies(partnership, current.lead_agency if current else None),
            empty_label="Choose the lead agency",
            error_messages={
                "required": "Choose the lead agency",
                "invalid_choice": "Choose one of your partnership's agencies",
            },
        )
        keep = list(current.supporting_agencies.all()) if current else []
        self.fields["supporting_agencies"] = AgencyMultipleChoiceField(
            label="Supporting agencies (optional)",
            help_text="Select all that apply.",
            queryset=_agencies(partnership, *keep),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={"invalid_choice": "Select agencies from the list"},
        )
        _limits(self)
        self.helper = _helper(
            Field.text("reference", field_width=Fixed.FIVE),
            Field.textarea("description", rows=4),
            Field.checkboxes("areas", legend_size=Size.SMALL, small=True),
            Field.select("lead"),
            Field.select("lead_agency"),
            Field.checkboxes("supporting_agencies", legend_size=Size.SMALL, small=True),
            _date("target_date"),
            Field.textarea("measure_of_success", rows=4),
            Field.textarea("sustainability_plan", rows=4),
        )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        clash = Action.objects.filter(plan=self.plan, reference__iexact=reference)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(f"This plan already has an action {reference}: give a different reference")
        return reference

    def action_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in action_services.ACTION_FIELDS}


# Monitoring rounds -----------------------------------------------------------


class RoundForm(OneMessagePerDate, forms.ModelForm):
    period_end = GovukDateField(
        label="End of the period",
        help_text="The last day the updates report on. For example, 30 6 2020.",
    )
    update_deadline = GovukDateField(
        label="Update deadline",
        help_text="When leads' updates are due: no more than 60 days after the period ends. For example, 7 7 2020.",
    )

    class Meta:
        model = MonitoringRound
        fields = ["label", "period_end", "update_deadline", "cadence"]
        labels = {"label": "Name of the round", "cadence": "How often rounds run"}
        help_texts = {"label": "For example, May 2020 or Q1 2020/21."}
        error_messages = {"label": {"required": "Enter a name for the round"}}

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["cadence"].widget = forms.RadioSelect()
        self.fields["cadence"].choices = MonitoringRound.Cadence.choices
        self.fields["cadence"].error_messages["invalid_choice"] = "Select how often rounds run"
        _limits(self)
        self.helper = _helper(
            Field.text("label", field_width=Fluid.ONE_HALF),
            _date("period_end"),
            _date("update_deadline"),
            Field.radios("cadence", legend_size=Size.SMALL),
        )

    def clean(self) -> dict:
        data = super().clean()
        label, period_end, deadline = data.get("label"), data.get("period_end"), data.get("update_deadline")
        rounds = MonitoringRound.objects.filter(plan=self.plan)
        if label and rounds.filter(label__iexact=label.strip()).exists():
            self.add_error("label", f"This plan already has a round called {label.strip()}")
        if period_end and rounds.filter(period_end=period_end).exists():
            self.add_error("period_end", "This plan already has a round for a period ending on this date")
        if period_end and deadline and deadline > period_end + action_services.MAX_DEADLINE_AFTER_PERIOD:
            self.add_error("update_deadline", "The update deadline must be no more than 60 days after the period ends")
        return data


# Quadrant wording ------------------------------------------------------------


class QuadrantWordingForm(forms.Form):
    """The partnership's label and description of each quadrant, best first."""

    ORDER = [*OPEN_QUADRANTS, Quadrant.COMPLETE]

    def __init__(self, *args, scale: dict[str, QuadrantInfo], **kwargs):
        super().__init__(*args, **kwargs)
        fieldsets = []
        for quadrant in self.ORDER:
            info = scale[quadrant]
            name = Quadrant(quadrant).label
            self.fields[f"{quadrant}_label"] = forms.CharField(
                label="Label",
                max_length=60,
                initial=info.label,
                error_messages={"required": f"Enter a label for the {name.lower()} quadrant"},
            )
            self.fields[f"{quadrant}_description"] = forms.CharField(
                label="Description",
                max_length=300,
                initial=info.description,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": f"Enter a description of the {name.lower()} quadrant"},
            )
            self.fields[f"{quadrant}_label"].error_messages["max_length"] = (
                f"The {name.lower()} label must be 60 characters or fewer"
            )
            self.fields[f"{quadrant}_description"].error_messages["max_length"] = (
                f"The {name.lower()} description must be 300 characters or fewer"
            )
            fieldsets.append(
                Fieldset(
                    Field.text(f"{quadrant}_label", field_width=Fluid.ONE_HALF),
                    Field.textarea(f"{quadrant}_description", rows=2),
                    legend=name,
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = _helper(*fieldsets)

    def wording(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {q: (data[f"{q}_label"], data[f"{q}_description"]) for q in Quadrant.values}


# Impact measures -------------------------------------------------------------


class DecimalText(forms.DecimalField):
    """A figure typed into a text input, with messages that name the field."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, max_digits=10, decimal_places=2, widget=number_input(decimal=True), **kwargs)
        name = label.removesuffix(" (optional)")
        self.error_messages.update(
            {
                "required": f"Enter the {name.lower()}",
                "invalid": f"{name} must be a number, like 42 or 42.5",
                "max_digits": f"{name} must be less than 100,000,000",
                "max_whole_digits": f"{name} must be less than 100,000,000",
                "max_decimal_places": f"{name} can have at most 2 decimal places",
            }
        )


class ImpactMeasureForm(forms.ModelForm):
    description = _text_area("Description (optional)", rows=3)
    baseline = DecimalText(label="Baseline (optional)", required=False, help_text="The figure before the plan began.")
    target = DecimalText(label="Target (optional)", required=False)

    class Meta:
        model = ImpactMeasure
        fields = ["name", "description", "unit", "baseline", "target", "higher_is_better"]
        labels = {"name": "Name", "unit": "Unit"}
        help_texts = {"name": "For example, Cases audited with a safeguarding risk assessment."}
        error_messages = {"name": {"required": "Enter the measure's name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = forms.RadioSelect()
        self.fields["unit"].choices = ImpactMeasure.Unit.choices
        self.fields["unit"].error_messages["invalid_choice"] = "Select the unit"
        self.fields["higher_is_better"] = forms.TypedChoiceField(
            label="Is a higher figure better?",
            choices=[(True, "Yes, higher is better"), (False, "No, lower is better")],
            coerce=lambda value: value in (True, "True"),
            widget=forms.RadioSelect,
            initial=self.instance.higher_is_better if self.instance.pk else True,
            error_messages={"required": "Say whether a higher figure is better"},
        )
        _limits(self)
        self.helper = _helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("description", rows=3),
            Field.radios("unit", legend_size=Size.SMALL, inline=True),
            Field.text("baseline", field_width=Fixed.TEN),
            Field.text("target", field_width=Fixed.TEN),
            Field.radios("higher_is_better", legend_size=Size.SMALL),
        )

    def measure_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in action_services.MEASURE_FIELDS}


class ImpactValueForm(OneMessagePerDate, forms.ModelForm):
    period_end = GovukDateField(label="End of the period", help_text="For example, 30 6 2022.")
    value = DecimalText(label="Value")
    note = _text_area("Note (optional)", rows=3)

    class Meta:
        model = ImpactValue
        fields = ["period_label", "period_end", "value", "note"]
        labels = {"period_label": "Period"}
        help_texts = {"period_label": "For example, Q1 2022/23."}
        error_messages = {"period_label": {"required": "Enter the period, like Q1 2022/23"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance.measure
        if measure.unit == ImpactMeasure.Unit.PERCENT:
            self.fields["value"].label = "Value (%)"
            self.fields["value"].help_text = "A percentage between 0 and 100."
        _limits(self)
        self.helper = _helper(
            Field.text("period_label", field_width=Fluid.ONE_THIRD),
            _date("period_end"),
            Field.text("value", field_width=Fixed.TEN),
            Field.textarea("note", rows=3),
        )

    def _post_clean(self) -> None:
        if self.cleaned_data.get("value") is None:
            # ImpactValue.clean() compares the value with 0 and 100 without checking there is one; the
            # field's own error already says what is wrong, so give the model something to compare.
            self.instance.value = Decimal(0)
        super()._post_clean()

    def clean(self) -> dict:
        data = super().clean()
        period_end = data.get("period_end")
        if period_end and ImpactValue.objects.filter(measure=self.instance.measure, period_end=period_end).exists():
            self.add_error("period_end", "A value for a period ending on this date is already recorded")
        return data


class WithdrawForm(OneMessagePerDate, forms.Form):
    """Withdraw an action: it is kept with its history; no later round asks about it."""

    withdrawn_on = GovukDateField(label="Date it was withdrawn", past_only=True)
    reason = forms.CharField(
        label="Why is it being withdrawn?",
        help_text="For example, superseded by action 4.3 after the sub-group's review. The reason is kept.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LIMIT,
        error_messages={"required": "Say why the action is being withdrawn"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_date("withdrawn_on"), Field.textarea("reason"))
