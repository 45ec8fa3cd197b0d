"""The partnership's report style and default wording: the page, the logo checks, what new reports start with,
the standard sections in the page and the PDF, 12 point body text, and published copies that never follow later
changes."""

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from actions.models import MonitoringRound
from reports.logos import MAX_LOGO_BYTES, LogoRefused, checked_logo
from reports.models import PublishedReport, ReportStyle
from tests.factories import MonitoringRoundFactory
from tests.jobs import job_file
from tests.reading import pdf_words, poppler
from tests.test_committee_report import demo_person, save_cover, saved_version

pytestmark = pytest.mark.django_db

STYLE_URL = reverse("reports:report_style")
HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40"
     onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">Hi</div></foreignObject>
  <a href="javascript:alert(3)"><rect width="10" height="10"/></a>
  <rect id="box" width="120" height="40" fill="#1d70b8" onclick="alert(4)" style="fill: url(https://evil.example/x)"/>
  <use xlink:href="https://evil.example/sprite.svg#icon"/>
  <use href="#box"/>
  <text x="4" y="28" font-size="20" fill="#ffffff">Northumberland</text>
</svg>"""


@pytest.fixture
def may(demo):
    return MonitoringRound.objects.get(
        plan__inspection__partnership=demo_person("officer").partnership, label="May 2020"
    )


@pytest.fixture
def officer_client(client, demo):
    client.force_login(demo_person("officer").user)
    return client


def png(width=60, height=20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (29, 112, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


def style_form(version=0, **changes) -> dict:
    return {
        "version": version,
        "council_name": "Northumberland County Council",
        "body_size": "12",
        "implication_legal": "The inspection frameworks are set in statute.",
        "implication_finance": "No direct implications.",
        "sign_off": "Monitoring Officer/Legal: Liam Henry, 1 July 2020\nChief Executive: Daljit Lally, 2 July 2020",
        "background_papers": "- The JTAI letter, August 2019",
        "author_name": "Alan Hartwell",
        "author_role": "Strategic safeguarding manager",
        "author_email": "alan.hartwell@northumberland.demo.invalid",
        "author_telephone": "01670 623589",
        **changes,
    }


def save_style(client, **changes):
    style = ReportStyle.objects.filter(partnership=demo_person("officer").partnership).first()
    data = style_form(style.version if style else 0, **changes)
    return client.post(STYLE_URL, data)


# The logo ---------------------------------------------------------------------------------------------


def test_a_png_logo_is_redrawn_with_its_pixels_and_nothing_else():
    """Its pixels kept; its chunks (text, a stated resolution of 0 dpi that Word cannot place) dropped."""
    from PIL.PngImagePlugin import PngInfo

    buffer = io.BytesIO()
    info = PngInfo()
    info.add_text("Author", "Someone's home address")
    Image.new("RGB", (60, 20), (29, 112, 184)).save(buffer, format="PNG", dpi=(0.02, 0.02), pnginfo=info)
    logo = checked_logo(buffer.getvalue())
    assert logo.content_type == "image/png"
    redrawn = Image.open(io.BytesIO(logo.content))
    assert redrawn.size == (60, 20) and redrawn.getpixel((30, 10))[:3] == (29, 112, 184)
    assert "dpi" not in redrawn.info and "Author" not in redrawn.info
    assert b"home address" not in logo.content


@pytest.mark.parametrize(("width", "height"), [(4001, 10), (20000, 20000)])
def test_a_png_too_large_to_draw_is_refused_before_it_is_decompressed(width, height):
    """The header's size is read first: a decompression bomb is refused by its claim, never unpacked."""
    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, format="PNG")  # one bit a pixel: a few KB
    with pytest.raises(LogoRefused, match="at most 4000 pixels"):
        checked_logo(buffer.getvalue())


@pytest.mark.parametrize(
    ("svg", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="10000"><rect width="1" height="1"/></svg>',
         "at most 2000 units"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 50 90000"><rect width="1" height="1"/></svg>',
         "at most 2000 units"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>', "must say its size"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><g id="a"><rect width="1" height="1"/>'
         b'</g><g id="b"><use href="#a"/><use href="#a"/></g></defs><use href="#b"/></svg>', "repeats parts"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect id="a" width="1" height="1"/>'
         + b'<use href="#a"/>' * 51 + b"</svg>", "repeats parts"),
    ],
)  # fmt: skip
def test_an_svg_too_costly_to_draw_is_refused(svg, message):
    with pytest.raises(LogoRefused, match=message):
        checked_logo(svg)


def test_an_svg_style_keeps_only_what_draws():
    svg = checked_logo(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="1" height="1" style="fill:#fff;'
        b"background-image:image-set('https://evil.example/p.png' 1x);stroke:image-set('x' 1x);"
        b'stroke-width:2;fill-opacity:url(#a)"/></svg>'
    ).content.decode()
    assert 'style="fill:#fff;stroke-width:2;fill-opacity:url(#a)"' in svg
    assert "evil.example" not in svg and "image-set" not in svg


def test_an_svg_logo_loses_scripts_handlers_foreign_objects_and_outside_references():
    logo = checked_logo(HOSTILE_SVG)
    svg = logo.content.decode()
    assert logo.content_type == "image/svg+xml"
    for gone in ("script", "alert", "onload", "onclick", "foreignObject", "javascript:", "evil.example", "<a "):
        assert gone not in svg, gone
    assert 'href="#box"' in svg  # a reference to the drawing's own part stays
    assert "Northumberland</text>" in svg
    assert 'fill="#1d70b8"' in svg
    assert 'viewBox="0 0 120 40"' in svg


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "could not be read as an SVG file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "boom">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
            "document type or entities are not accepted",
        ),
        (b"<html><body>not a logo</body></html>", "must be a PNG or an SVG"),
        (b"\x89PNG\r\n\x1a\nnot really", "could not be read as a PNG image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>" + b" " * MAX_LOGO_BYTES, "must be smaller than 256 KB"),
    ],
)
def test_a_logo_that_cannot_be_used_is_refused_with_a_reason(content, message):
    with pytest.raises(LogoRefused, match=message):
        checked_logo(content)


def test_the_style_page_takes_a_png_and_refuses_a_malformed_svg_next_to_the_field(officer_client):
    page = officer_client.get(STYLE_URL)
    assert page.status_code == 200
    assert "Report style and default wording" in page.content.decode()

    before = ReportStyle.objects.get()  # the demo's, with its logo
    response = save_style(officer_client, logo=SimpleUploadedFile("logo.svg", b"<svg><g></svg>", "image/svg+xml"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: Report style" in page
    assert "The logo could not be read as an SVG file" in page
    assert 'href="#id_logo"' in page
    unchanged = ReportStyle.objects.get()  # nothing half-saved
    assert (unchanged.version, bytes(unchanged.logo)) == (before.version, bytes(before.logo))

    response = save_style(officer_client, logo=SimpleUploadedFile("logo.png", b"x" * (MAX_LOGO_BYTES + 10)))
    assert "The logo must be smaller than 256 KB" in response.content.decode()

    response = save_style(officer_client, logo=SimpleUploadedFile("crest.png", png(), "image/png"))
    assert response.status_code == 302
    style = ReportStyle.objects.get()
    assert (style.logo_type, style.logo_name) == ("image/png", "crest.png")
    assert Image.open(io.BytesIO(bytes(style.logo))).size == (60, 20)
    assert style.defaults["implication_legal"] == "The inspection frameworks are set in statute."
    assert style.history.first().history_user == demo_person("officer").user  # attributable

    # The SVG is sanitised on the way in; later saves without a file keep the logo.
    save_style(officer_client, logo=SimpleUploadedFile("crest.svg", HOSTILE_SVG, "image/svg+xml"))
    style.refresh_from_db()
    assert style.logo_type == "image/svg+xml" and b"script" not in bytes(style.logo)
    save_style(officer_client, council_name="Northumberland Council")
    style.refresh_from_db()
    assert style.logo_type == "image/svg+xml" and style.council_name == "Northumberland Council"
    assert [h.logo_name for h in style.history.all()][:3] == ["crest.svg", "crest.svg", "crest.png"]


def test_the_style_page_refuses_a_stale_save(client, demo):
    manager, officer = demo_person("manager"), demo_person("officer")
    client.force_login(officer.user)
    assert save_style(client).status_code == 302
    read = ReportStyle.objects.get().version  # both open the page now
    client.force_login(manager.user)
    assert client.post(STYLE_URL, style_form(read, implication_legal="The manager's words.")).status_code == 302
    client.force_login(officer.user)
    response = client.post(STYLE_URL, style_form(read, implication_legal="The officer's words."))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved the report style while you were editing it" in page
    assert "The manager&#x27;s words." in page and "The officer&#x27;s words." in page
    assert ReportStyle.objects.get().defaults["implication_legal"] == "The manager's words."


def test_the_style_page_opened_from_a_report_leads_back_to_it_and_stays_after_saving(
    officer_client, may, other_partnership_action
):
    report_url = reverse("reports:committee_report", args=[may.pk])
    report = officer_client.get(report_url).content.decode()
    assert f'href="{STYLE_URL}?from={may.pk}"' in report

    page = officer_client.get(f"{STYLE_URL}?from={may.pk}").content.decode()
    assert f'<a class="govuk-link" href="{report_url}">Back to the committee report' in page
    assert f'<a class="govuk-breadcrumbs__link" href="{report_url}">May 2020 committee report</a>' in page

    style = ReportStyle.objects.filter(partnership=may.plan.inspection.partnership).first()
    response = officer_client.post(f"{STYLE_URL}?from={may.pk}", style_form(style.version if style else 0))
    assert response.status_code == 302 and response["Location"] == f"{STYLE_URL}?from={may.pk}"
    saved = officer_client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in saved and "Report style and default wording saved." in saved
    assert "Back to the committee report" in saved

    other_round = MonitoringRoundFactory(plan=other_partnership_action.plan)
    for stranger in (str(other_round.pk), "999999", "x", ""):
        page = officer_client.get(f"{STYLE_URL}?from={stranger}").content.decode()
        assert "Back to the committee report" not in page, stranger
        assert "committee report</a>" not in page, stranger


def test_only_officers_and_the_manager_keep_the_style(client, demo):
    for username, status in (("officer", 200), ("manager", 200), ("chair", 403), ("lead", 403), ("viewer", 403)):
        client.force_login(demo_person(username).user)
        assert client.get(STYLE_URL).status_code == status, username


# What new reports start with, and the standard sections ----------------------------------------------


def test_a_new_report_starts_with_the_partnerships_defaults(officer_client, may):
    save_style(officer_client, purpose="To assure the committee of the partnership's progress.")
    page = officer_client.get(reverse("reports:committee_report_edit", args=[may.pk])).content.decode()
    assert "To assure the committee of the partnership&#x27;s progress." in page
    assert "The inspection frameworks are set in statute." in page
    assert "Monitoring Officer/Legal: Liam Henry, 1 July 2020" in page
    assert 'value="Alan Hartwell"' in page
    # A section the partnership left empty starts from the plan.
    assert "It is recommended that the committee:" in page


def test_the_report_has_the_standard_sections_in_order_in_the_page_and_the_pdf(officer_client, may, tmp_path):
    save_style(officer_client)
    save_cover(
        officer_client,
        may,
        implication_legal="The inspection frameworks are set in statute.",
        implication_safeguarding="Protecting children from exploitation is the plan's purpose.",
        background_papers="- The JTAI letter, August 2019",
        sign_off="Monitoring Officer/Legal: Liam Henry, 1 July 2020",
        author_name="Alan Hartwell",
        author_role="Strategic safeguarding manager",
        author_email="alan.hartwell@northumberland.demo.invalid",
        author_telephone="01670 623589",
    )
    page = officer_client.get(reverse("reports:committee_report", args=[may.pk])).content.decode()
    headings = re.findall(r'<h2 class="app-report__heading" id="[^"]+">([^<]+)</h2>', page)
    assert headings[:3] == ["Purpose of report", "Recommendations", "Key issues"]
    assert headings[-5:] == [
        "Appendices",
        "Implications",
        "Background papers",
        "Report sign-off",
        "Author and contact details",
    ]
    implications = page[page.index('class="govuk-table app-report__table app-report__implications"') :]
    implications = implications[: implications.index("</table>")]
    assert "<caption" in implications and "<thead" in implications
    assert re.search(r'scope="row"[^>]*>Legal</th><td[^>]*>The inspection frameworks are set in statute.', implications)
    assert re.search(r'scope="row"[^>]*>Procurement</th><td[^>]*>None</td>', implications)
    assert 'role="region" aria-label="Implications of this report" tabindex="0"' in page

    words = pdf_words(job_file(officer_client, reverse("reports:committee_report_pdf", args=[may.pk])).content)
    order = [
        "Purpose of report",
        "Recommendations",
        "Key issues",
        "Background",
        "Implications",
        "Legal The inspection frameworks are set in statute.",
        "Procurement None",
        "Safeguarding Protecting children from exploitation is the plan's purpose.",
        "Background papers",
        "The JTAI letter, August 2019",
        "Report sign-off",
        "Monitoring Officer/Legal Liam Henry, 1 July 2020",
        "Author and contact details",
        "For further information, contact Alan Hartwell on 01670 623589 or at",
        "Appendix A",
    ]
    positions = [words.find(text) for text in order]
    assert -1 not in positions, [text for text, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


def _body_heights(content: bytes, word: str) -> list[float]:
    """The heights of a word's boxes in the PDF (pdftotext -bbox), in points."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(content)
        html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603, S607
    return [
        float(y_max) - float(y_min)
        for y_min, y_max, text in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)</word>', html.stdout
        )
        if text == word
    ]


def test_the_pdf_body_text_is_12_point_or_the_partnerships_size(officer_client, may):
    save_cover(officer_client, may, purpose="Sufficiency of progress with the plan.")
    pdf = job_file(officer_client, reverse("reports:committee_report_pdf", args=[may.pk])).content
    # pdftotext's box is the font's ascent plus descent: 1.117 em for Liberation Sans (0.905 + 0.212).
    (height,) = _body_heights(pdf, "Sufficiency")
    assert height == pytest.approx(12 * 1.117, abs=0.2)

    save_style(officer_client, body_size="14")
    pdf = job_file(officer_client, reverse("reports:committee_report_pdf", args=[may.pk])).content
    (height,) = _body_heights(pdf, "Sufficiency")
    assert height == pytest.approx(14 * 1.117, abs=0.2)


# Published copies keep their own style ----------------------------------------------------------------


def test_a_published_version_keeps_its_logo_and_wording_when_the_style_changes(officer_client, may):
    save_style(officer_client, logo=SimpleUploadedFile("crest.png", png(), "image/png"))
    save_cover(officer_client, may)
    officer_client.post(reverse("reports:committee_report_publish", args=[may.pk]), {"version": saved_version(may)})
    published = PublishedReport.objects.get()
    html, pdf = published.html, bytes(published.pdf)
    logo = ReportStyle.objects.get().logo_data_uri
    assert logo in html
    assert "Northumberland County Council" in pdf_words(pdf)

    save_style(
        officer_client,
        council_name="A Renamed Council",
        body_size="14",
        logo=SimpleUploadedFile("new.svg", HOSTILE_SVG, "image/svg+xml"),
    )
    published.refresh_from_db()
    assert (published.html, bytes(published.pdf)) == (html, pdf)
    downloaded = officer_client.get(reverse("reports:published_html", args=[published.pk])).content.decode()
    assert logo in downloaded and "A Renamed Council" not in downloaded
    assert "A Renamed Council" not in pdf_words(
        officer_client.get(reverse("reports:published_pdf", args=[published.pk])).getvalue()
    )
    # The draft follows the new style.
    draft = officer_client.get(reverse("reports:committee_report", args=[may.pk])).content.decode()
    assert "A Renamed Council" in draft and ReportStyle.objects.get().logo_data_uri in draft
    assert "app-report--body-14" in draft


def test_the_pdf_embeds_the_logo(officer_client, may, tmp_path):
    save_style(officer_client, logo=SimpleUploadedFile("crest.png", png(), "image/png"))
    save_cover(officer_client, may)
    path = tmp_path / "report.pdf"
    path.write_bytes(job_file(officer_client, reverse("reports:committee_report_pdf", args=[may.pk])).content)
    assert "image" in poppler("pdfimages", "-list", str(path))
