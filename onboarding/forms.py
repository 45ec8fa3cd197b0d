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


class SignOnForm(forms.Form):
    """A partnership's OpenID Connect provider, as its IT team registered the service with it."""

    name = forms.CharField(
        label="Name people see",
        max_length=100,
        help_text="For example, Northshire Council (Microsoft Entra ID) or NHSmail.",
        error_messages={"required": "Enter the name people see"},
    )
    issuer = forms.URLField(
        label="Issuer address",
        max_length=300,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"type": "url", "spellcheck": "false", "autocomplete": "off"}),
        help_text=(
            "The provider's OpenID Connect issuer. For Microsoft Entra ID: "
            "https://login.microsoftonline.com/(your tenant ID)/v2.0"
        ),
        error_messages={
            "required": "Enter the issuer address",
            "invalid": "Enter the issuer address in the correct format, like https://login.example.org/v2.0",
        },
    )
    client_id = forms.CharField(label="Client ID", max_length=191, error_messages={"required": "Enter the client ID"})
    client_secret = forms.CharField(
        label="Client secret",
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Leave blank to keep the secret already saved.",
    )
    email_domains = forms.CharField(
        label="Email addresses it is for",
        max_length=500,
        help_text="What follows the @, separated by commas, for example northshire.gov.uk, nhs.net.",
        error_messages={"required": "Enter the email addresses it is for"},
    )

    def clean_issuer(self):
        from urllib.parse import urlsplit

        from django.conf import settings

        issuer = self.cleaned_data["issuer"]
        parts = urlsplit(issuer)
        local = parts.hostname in {"127.0.0.1", "localhost", "::1"}
        if parts.scheme != "https" and not (local and not settings.PRODUCTION):
            raise forms.ValidationError("The issuer address must start with https://")
        if parts.username or parts.password:
            raise forms.ValidationError("Enter the issuer address without a username or password in it")
        if parts.query or parts.fragment:
            raise forms.ValidationError("Enter the issuer address without anything after a ? or #")
        return issuer

    def clean_email_domains(self):
        import re

        domains = [d.strip().lower().lstrip("@") for d in self.cleaned_data["email_domains"].split(",") if d.strip()]
        bad = [d for d in domains if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d)]
        if not domains or bad:
            raise forms.ValidationError(
                "Enter domains like northshire.gov.uk, separated by commas"
                + (f": {', '.join(bad)} is not one" if bad else "")
            )
        return ", ".join(domains)
