"""The officer's forms: a committee report (cover, written sections, implications, sign-off, author), the check
before publishing, and the partnership's report style with the wording every new report starts from."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Fluid, Layout, Size
from django import forms

from jtai_tracker.forms import GovukDateField, OneMessagePerDate, file_size
from reports.logos import MAX_LOGO_BYTES, LogoRefused, checked_logo
from reports.models import IMPLICATIONS, CommitteeReport, ReportStyle
from reports.report_text import AUTHOR_FIELDS, DEFAULT_FIELDS, IMPLICATION_FIELDS

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


def _section(label: str, hint: str = SECTION_HINT, rows: int = 8) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=SECTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"{label} must be {SECTION_LIMIT:,} characters or fewer"},
    )


IMPLICATION_HINT = 'Leave it empty and the report says "None".'
SIGN_OFF_HINT = (
    'One officer a line, as "Role: name, date". For example, "Monitoring Officer/Legal: Liam Henry, 1 July 2020".'
)


def _written_fields() -> dict[str, forms.Field]:
    """The fields of every section after the cover, as the report form and the partnership's defaults share them."""
    fields: dict[str, forms.Field] = {
        "purpose": _section("Purpose of report"),
        "recommendations": _section("Recommendations"),
        "key_issues": _section("Key issues"),
        "background": _section("Background"),
    }
    for (_key, label), name in zip(IMPLICATIONS, IMPLICATION_FIELDS, strict=True):
        fields[name] = _section(label, IMPLICATION_HINT, rows=2)
    fields["background_papers"] = _section("Background papers", SECTION_HINT, rows=3)
    fields["sign_off"] = _section("Report sign-off", SIGN_OFF_HINT, rows=5)
    fields["author_name"] = _line("Author's name", "For example, Alan Hartwell.")
    fields["author_role"] = _line("Author's role")
    fields["author_email"] = forms.EmailField(
        label="Author's email address",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter the author's email address in the correct format, like name@example.com",
            "max_length": "The author's email address must be 254 characters or fewer",
        },
    )
    fields["author_telephone"] = _line("Author's telephone number", "For example, 01670 623589.", max_length=40)
    return fields


def _written_layout() -> list:
    return [
        Fieldset(
            *(Field.textarea(name, label_size=Size.SMALL) for name in ("purpose", "recommendations", "key_issues")),
            Field.textarea("background", label_size=Size.SMALL),
            legend="Sections",
            legend_size=Size.MEDIUM,
        ),
        Fieldset(
            HTML('<p class="govuk-body">What the report means for each of these. A row left empty says "None".</p>'),
            *(Field.textarea(name, label_size=Size.SMALL) for name in IMPLICATION_FIELDS),
            legend="Implications",
            legend_size=Size.MEDIUM,
        ),
        Fieldset(
            Field.textarea("background_papers", label_size=Size.SMALL),
            Field.textarea("sign_off", label_size=Size.SMALL),
            legend="Background papers and sign-off",
            legend_size=Size.MEDIUM,
        ),
        Fieldset(
            Field.text("author_name", field_width=Fluid.TWO_THIRDS),
            Field.text("author_role", field_width=Fluid.FULL),
            Field.text("author_email", field_width=Fluid.TWO_THIRDS),
            Field.text("author_telephone", field_width=Fluid.ONE_THIRD),
            legend="Author and contact details",
            legend_size=Size.MEDIUM,
        ),
    ]


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_written_fields())
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
            *_written_layout(),
        )

    @classmethod
    def initial_for(cls, report: CommitteeReport) -> dict:
        initial = {name: getattr(report, name) for name in cls.base_fields if name != "version"}
        initial.update({name: getattr(report, name) for name in (*SECTIONS_AFTER_COVER, *AUTHOR_FIELDS)})
        initial.update({f"implication_{key}": report.implications.get(key, "") for key, _label in IMPLICATIONS})
        return {**initial, "version": report.version if report.pk else 0}

    def report_fields(self) -> dict:
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        data["implications"] = {key: data.pop(f"implication_{key}", "") for key, _label in IMPLICATIONS}
        return data


SECTIONS_AFTER_COVER = ("purpose", "recommendations", "key_issues", "background", "background_papers", "sign_off")


class PublishForm(forms.Form):
    """The check page's confirm button: the report's version as checked, so a second submit publishes nothing new."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReportStyleForm(forms.Form):
    """The partnership's report style and the wording every new report starts from."""

    #: The style's version when the page was read (0: never saved); a stale save is refused, never lost.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    council_name = _line("Council name", "Printed at the top of every report's cover.", required=True)
    logo = forms.FileField(
        label="Upload a logo (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.svg,image/png,image/svg+xml"}),
        error_messages={"empty": "The selected logo file is empty"},
    )
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    body_size = forms.TypedChoiceField(
        label="Size of the body text in the PDF",
        choices=ReportStyle.BodySize.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the size of the body text"},
    )

    def __init__(self, *args, style: ReportStyle, **kwargs):
        super().__init__(*args, **kwargs)
        self.style = style
        self.checked_logo = None
        self.fields.update(_written_fields())
        self.fields["logo"].help_text = (
            f"A PNG or an SVG file, smaller than {file_size(MAX_LOGO_BYTES)}. It is printed at the top of the "
            "cover. Scripts and links to other files are taken out of an SVG."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        style_fields = [Field("version"), Field.text("council_name", field_width=Fluid.TWO_THIRDS), Field("logo")]
        if style.logo:
            style_fields.append(Field.checkbox("remove_logo"))
        style_fields.append(Field.radios("body_size", legend_size=Size.SMALL))
        self.helper.layout = Layout(
            Fieldset(*style_fields, legend="Style", legend_size=Size.MEDIUM),
            HTML(
                '<h2 class="govuk-heading-m">Default wording</h2><p class="govuk-body">Every new report starts with '
                "this wording. A section left empty starts from text drawn from the plan, or empty. Reports already "
                "saved keep their own wording.</p>"
            ),
            *_written_layout(),
        )

    @classmethod
    def initial_for(cls, style: ReportStyle) -> dict:
        return {
            "version": style.version if style.pk else 0,
            "council_name": style.council_name,
            "body_size": style.body_size,
            **{name: style.defaults.get(name, "") for name in DEFAULT_FIELDS},
        }

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        content = upload.read(MAX_LOGO_BYTES + 1)
        try:
            self.checked_logo = checked_logo(content)
        except LogoRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
        return upload

    def style_fields(self) -> dict:
        return {"council_name": self.cleaned_data["council_name"], "body_size": self.cleaned_data["body_size"]}

    def defaults(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in DEFAULT_FIELDS}
