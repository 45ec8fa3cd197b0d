from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fluid, Layout, Size
from django import forms


class PartnershipForm(forms.Form):
    name = forms.CharField(
        label="Partnership name",
        max_length=200,
        help_text="As it calls itself, for example, Northumberland Safeguarding Children Partnership.",
        error_messages={"required": "Enter the partnership's name"},
    )
    local_authority = forms.CharField(
        label="Local authority",
        max_length=200,
        help_text="The council that hosts the partnership.",
        error_messages={"required": "Enter the local authority"},
    )
    board_name = forms.CharField(
        label="Board that endorses progress (optional)",
        max_length=200,
        required=False,
        help_text="For example, the Safeguarding Partnership Executive.",
    )
    committee_name = forms.CharField(
        label="Committee the reports go to (optional)",
        max_length=200,
        required=False,
        help_text="For example, the Children and Young People Scrutiny Committee.",
    )
    agencies = forms.CharField(
        label="Agencies",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=(
            "One per line: the council, police, health trusts and others, each with the short name the "
            "partnership's plan uses in brackets if it has one, for example, Northumberland County Council (NCC). "
            "The manager can add more later."
        ),
        error_messages={"required": "Enter at least one agency, one per line"},
    )
    manager_first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter the manager's first name"}
    )
    manager_last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter the manager's last name"}
    )
    manager_email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The invitation goes here.",
        error_messages={
            "required": "Enter the manager's email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    manager_agency = forms.CharField(
        label="Their agency",
        max_length=200,
        help_text="One of the agencies above, as you typed it.",
        error_messages={"required": "Enter the manager's agency"},
    )
    manager_job_title = forms.CharField(label="Job title (optional)", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Fieldset(
                Field.text("name"),
                Field.text("local_authority", field_width=Fluid.TWO_THIRDS),
                Field.text("board_name", field_width=Fluid.TWO_THIRDS),
                Field.text("committee_name", field_width=Fluid.TWO_THIRDS),
                Field.textarea("agencies"),
                legend="The partnership",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("manager_first_name", field_width=Fluid.ONE_HALF, autocomplete="off"),
                Field.text("manager_last_name", field_width=Fluid.ONE_HALF, autocomplete="off"),
                Field.text("manager_email", field_width=Fluid.TWO_THIRDS, spellcheck="false", autocomplete="off"),
                Field.text("manager_agency", field_width=Fluid.TWO_THIRDS),
                Field.text("manager_job_title", field_width=Fluid.TWO_THIRDS),
                legend="Its first partnership manager",
                legend_size=Size.MEDIUM,
            ),
        )
