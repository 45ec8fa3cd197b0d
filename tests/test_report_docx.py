"""The committee report as a Word document: it says what the PDF says, accessibly, and only to those who may read it."""

import base64
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from actions.models import Action, MonitoringRound, Update
from actions.quadrants import Quadrant
from audit.models import AuditEvent
from people.models import Person
from reports.docx import CONTENT_TYPE, html_to_docx
from reports.models import CommitteeReport
from tests.jobs import job_file
from tests.reading import docx_blocks, pdf_body_words, pdf_headings
from tests.test_committee_report import COVER as COMMITTEE_COVER
from tests.test_committee_report import ROADSHOWS, publish

pytestmark = pytest.mark.django_db

#: The committee report tests' cover, with the sections a clerk adds.
COVER = {
    **COMMITTEE_COVER,
    "implication_finance": "No direct implications.",
    "background_papers": "- The joint targeted area inspection letter, published 2 August 2019",
    "sign_off": "Monitoring Officer/Legal: Liam Henry\nRelevant Executive Director: Cath McEvoy-Carr",
    "author_name": "Claire Robson",
    "author_role": "NSCC business manager",
    "author_email": "claire.robson@example.org",
    "author_telephone": "01632 960123",
}


def signed_in(client, username):
    client.force_login(Person.objects.get(user__username=username).user)
    return client


@pytest.fixture
def may(demo):
    officer = Person.objects.get(user__username="officer")
    return MonitoringRound.objects.get(plan__inspection__partnership=officer.partnership, label="May 2020")


@pytest.fixture
def officer(client, may):
    """The demo's report officer, signed in, with the May 2020 report's cover written."""
    signed_in(client, "officer")
    response = client.post(
        reverse("reports:committee_report_edit", args=[may.pk]), {**COVER, "version": 0}, follow=False
    )
    assert response.status_code == 302
    return client


def draft_docx(client, monitoring_round) -> bytes:
    response = client.get(reverse("reports:committee_report_docx", args=[monitoring_round.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Disposition"].endswith('-draft.docx"')
    return response.content


def normal(text: str) -> str:
    """Text as it reads: white space made single spaces, and case folded (print capitalises some lines)."""
    return " ".join(text.split()).casefold()


def squeezed(text: str) -> str:
    return "".join(text.split())


def headings(blocks) -> list[tuple[int, str]]:
    return [(int(style.split()[1]), " ".join(text.split())) for style, text in blocks if style.startswith("Heading")]


def between(blocks, first: str, last: str) -> list[tuple[str, str]]:
    """The blocks from the heading ``first`` up to (not including) the heading ``last``."""
    names = [text for _style, text in blocks]
    return blocks[names.index(first) : names.index(last)]


def pdf_between(words: str, first: str, last: str) -> str:
    return words[words.index(normal(first)) : words.index(normal(last))]


NUMBER = re.compile(r"\d+(?:[.,]\d+)*%?")


# The same words as the PDF ------------------------------------------------------------------------


def test_the_word_document_has_the_pdfs_headings_and_words_in_the_same_order(officer, may):
    pdf = job_file(officer, reverse("reports:committee_report_pdf", args=[may.pk])).content
    blocks = docx_blocks(draft_docx(officer, may))

    # Every heading at its level, in order, both ways: nothing added and nothing lost.
    pdf_outline = [(level, squeezed(text)) for level, text in pdf_headings(pdf)]
    word_outline = [(level, squeezed(text)) for level, text in headings(blocks)]
    assert word_outline == pdf_outline
    assert (1, squeezed(COVER["title"])) == word_outline[0]
    assert (2, "1.Purposeofreport") in word_outline  # numbered as print numbers them
    assert (3, squeezed(ROADSHOWS)) in [(level, text[3:]) for level, text in word_outline]

    # Every paragraph and table cell of the Word document reads, in order, in the PDF.
    words = normal(pdf_body_words(pdf))
    position = 0
    for style, text in blocks:
        if not text.strip():
            continue
        found = words.find(normal(text), position)
        assert found >= 0, f"{style}: {text!r} is not in the PDF after {words[position : position + 200]!r}"
        position = found + len(normal(text))
    assert normal("Status Draft: not published") in [normal(text) for _style, text in blocks]


def test_the_figures_are_the_pdfs_figures(officer, may):
    pdf = job_file(officer, reverse("reports:committee_report_pdf", args=[may.pk])).content
    content = draft_docx(officer, may)
    blocks = docx_blocks(content)
    words = normal(pdf_body_words(pdf))

    # The quadrant table, row by row, as the PDF reads it: symbol and words, meaning, count.
    table = next(t for t in Document(io.BytesIO(content)).tables if t.rows[0].cells[0].text == "Quadrant")
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Quadrant", "What it means", "Actions"]
    assert [row[0] for row in rows[1:]] == [
        "● Green",
        "▲ Yellow",
        "◆ Amber",
        "■ Red",
        "✔ Blue (complete)",
        "All actions",
    ]
    assert [row[2] for row in rows[1:]] == ["10", "7", "3", "2", "0", "22"]
    for row in rows:
        assert normal(" ".join(row)) in words

    # Every number in the figures sections, in the same order as the PDF's (no chart there to add its own).
    first, last = "4. Progress at the May 2020 round", "7. Impact"
    word_numbers = NUMBER.findall(" ".join(text for _style, text in between(blocks, first, last)))
    assert word_numbers == NUMBER.findall(pdf_between(words, first, last))
    assert "22" in word_numbers and "0%" in word_numbers

    # The impact figures' tables: each row is in the PDF, and their numbers in the PDF's order (its charts
    # add their axis labels, which the Word document has as pictures).
    impact = between(blocks, "7. Impact", "8. Background")
    impact_numbers = NUMBER.findall(" ".join(text for _style, text in impact))
    pdf_numbers = iter(NUMBER.findall(pdf_between(words, "7. Impact", "8. Background")))
    assert all(number in pdf_numbers for number in impact_numbers)
    assert {"62%", "64%", "78%", "90%"} <= set(impact_numbers)


# Accessible Word --------------------------------------------------------------------------------


def test_the_word_document_is_accessible_word(officer, may):
    document = Document(io.BytesIO(draft_docx(officer, may)))
    assert document.core_properties.title == COVER["title"]
    assert document.core_properties.language == "en-GB"
    assert document.core_properties.author != "python-docx"
    normal_style = document.styles["Normal"]
    assert normal_style.font.name == "Arial" and normal_style.font.size.pt == 12
    assert document.sections[0].page_width.mm == pytest.approx(210, abs=0.5)

    # Tables: the header row marked to repeat, and only it; a caption above each.
    captions = []
    for table in document.tables:
        marked = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert marked == [True] + [False] * (len(table.rows) - 1)
        caption = table._tbl.getprevious()
        assert caption.style == document.styles["Caption"].style_id
        captions.append(Paragraph(caption, document.part).text)
    assert captions == [
        "Actions in each quadrant, May 2020",
        "Strategy meetings with police and health attendance: figures by period",
        "MSET referrals for criminal exploitation: figures by period",
        "Implications of this report",
        "Officers who cleared this report",
    ]
    implications, sign_off = ([[cell.text for cell in row.cells] for row in t.rows] for t in document.tables[3:])
    assert implications[0] == ["Implication", "Comment"] and len(implications) == 15
    assert ["Finance and value for money", "No direct implications."] in implications
    assert ["Legal", "None"] in implications
    assert sign_off == [["Role", "Name and date"], ["Monitoring Officer/Legal", "Liam Henry"],
                        ["Relevant Executive Director", "Cath McEvoy-Carr"]]  # fmt: skip

    # Pictures: the partnership's logo, then the impact charts, each with its words as alt text.
    pictures = [picture._inline.docPr.get("descr") for picture in document.inline_shapes]
    assert pictures[0] == "Logo of Northumberland County Council"
    assert len(pictures) == 3
    for description in pictures[1:]:
        assert description.startswith("Line chart of ") and re.search(r"\(target \d+%\)", description)

    # Lists are Word lists; quadrants keep their words (the symbol and the label, never a colour alone).
    texts = {paragraph.text: paragraph.style.name for paragraph in document.paragraphs}
    assert texts["Acknowledges the progress made."] == "List Bullet"
    assert "■ Red · Northumbria Police · target date 30 April 2020" in texts
    # Only what the print shows: no breadcrumbs, menus, controls or footer.
    assert not {"Home", "Draft, versions and data", "Publish for meeting"} & set(texts)
    assert not any("Accessibility statement" in text or "Download" in text for text in texts)


def test_html_the_report_template_might_grow_into_is_carried_over_generically():
    png = base64.b64encode(
        bytes.fromhex(
            "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
            "0001ff5fa8a0c50000000049454e44ae426082"
        )
    ).decode()
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><style>
      @media print {{ .screen-only, .app-no-print {{ display: none }} .new-page {{ break-before: page }} }}
      .shout {{ text-transform: uppercase; font-weight: 700 }}
    </style></head><body><header>The service's own header</header><main>
      <nav class="app-no-print">Breadcrumbs</nav>
      <h2>Implications</h2>
      <table><caption>Implications of the report</caption>
        <thead><tr><th>Area</th><th colspan="2">Implication</th></tr></thead>
        <tbody><tr><th scope="row">Finance</th><td>None</td><td>Met from existing budgets.</td></tr></tbody>
      </table>
      <section class="new-page"><h3>Background papers</h3>
        <ol><li>The inspection letter</li><li>The action plan<ul><li>Its appendix</li></ul></li></ol>
        <ol start="4"><li>Fourth</li></ol>
        <p class="shout">Contact: <a href="mailto:officer@example.org">Olivia Officer</a>,
          <a href="/plans/1/">the plan</a></p>
        <div class="screen-only">Only on screen</div><p hidden>Hidden</p>
        <custom-thing>Something new<br>on two lines</custom-thing>
        <img src="data:image/png;base64,{png}" alt="The council's logo">
        <img src="https://example.org/tracker.png" alt="A picture from elsewhere">
        <img src="file:///etc/passwd" alt="">
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">
          <rect width="10" height="10"/></svg>
        <dl><dt>Sign-off</dt><dd>Director of Children's Services</dd></dl>
      </section></main></body></html>"""
    document = Document(io.BytesIO(html_to_docx(html, title="Generic")))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs if p.text or p._p.xpath(".//w:drawing")]
    text = "\n".join(t for _s, t in paragraphs)
    assert "Breadcrumbs" not in text and "Only on screen" not in text and "Hidden" not in text
    assert "The service's own header" not in text
    assert ("Heading 2", "Implications") in paragraphs and ("Heading 3", "Background papers") in paragraphs
    background = next(p for p in document.paragraphs if p.text == "Background papers")
    assert background.paragraph_format.page_break_before
    assert ("Caption", "Implications of the report") in paragraphs
    table = document.tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["Area", "Implication", "Implication"]  # merged
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1].cells[0].paragraphs[0].runs[0].bold

    numbered = [(s, t) for s, t in paragraphs if s.startswith("List")]
    assert numbered == [
        ("List Number", "The inspection letter"),
        ("List Number", "The action plan"),
        ("List Bullet 2", "Its appendix"),
        ("List Number", "Fourth"),
    ]
    list_numbers = {p.text: p._p.pPr.numPr.numId.val for p in document.paragraphs if p.style.name == "List Number"}
    assert list_numbers["The inspection letter"] == list_numbers["The action plan"] != list_numbers["Fourth"]

    contact = next(p for p in document.paragraphs if p.text.startswith("Contact"))
    assert contact.text == "Contact: Olivia Officer, the plan"
    assert all(run.font.all_caps and run.bold for run in contact.runs)
    assert [link.url for link in contact.hyperlinks] == ["mailto:officer@example.org"]  # never a link into the app
    assert "Something new\non two lines" in text
    assert "Sign-off\tDirector of Children's Services" in text

    # Pictures: the inline PNG with its alt text; nothing fetched from elsewhere (its words instead);
    # a picture with no words is marked decorative.
    shapes = document.inline_shapes
    assert [shape._inline.docPr.get("descr") for shape in shapes] == ["The council's logo", None]
    assert shapes[1]._inline.docPr.xpath(".//*[local-name()='decorative']/@val") == ["1"]
    assert "A picture from elsewhere" in text
    assert document.core_properties.title == "Generic"


# A published version ----------------------------------------------------------------------------


def test_a_published_versions_word_document_never_changes(officer, may):
    published = publish(officer, may)
    assert published.version == 1
    address = reverse("reports:published_docx", args=[published.pk])
    first = officer.get(address)
    assert first.status_code == 200
    assert first["Content-Type"] == CONTENT_TYPE
    assert first["Content-Disposition"].endswith('-v1.docx"')
    before = docx_blocks(first.content)
    assert any(text.startswith("Status\tPublished version 1, ") for _style, text in before)
    assert any(text == ROADSHOWS or text.endswith(ROADSHOWS) for _style, text in before)

    # The actions and the text change after publication.
    roadshows = Update.objects.get(round=may, action__description=ROADSHOWS)
    Update.objects.filter(pk=roadshows.pk).update(agreed_quadrant=Quadrant.GREEN, barriers="None now.")
    Action.objects.filter(pk=roadshows.action_id).update(description="Roadshows, renamed")
    report = CommitteeReport.objects.get(round=may)
    officer.post(
        reverse("reports:committee_report_edit", args=[may.pk]),
        {**COVER, "purpose": "A new purpose.", "version": report.version},
    )

    assert docx_blocks(officer.get(address).content) == before
    draft = [text for _style, text in docx_blocks(draft_docx(officer, may))]
    assert "A new purpose." in draft
    assert "A new purpose." not in [text for _style, text in before]

    # The report page links each version's Word document next to its PDF.
    page = officer.get(reverse("reports:committee_report", args=[may.pk])).content.decode()
    assert address in page and reverse("reports:committee_report_docx", args=[may.pk]) in page


# Who may have it --------------------------------------------------------------------------------


def test_who_may_download_the_word_documents(client, officer, may):
    published = publish(officer, may)
    draft = reverse("reports:committee_report_docx", args=[may.pk])
    version = reverse("reports:published_docx", args=[published.pk])

    client.logout()
    for address in (draft, version):
        response = client.get(address)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]

    signed_in(client, "halton.manager")
    assert client.get(draft).status_code == 404
    assert client.get(version).status_code == 404

    for reader in ("viewer", "lead"):
        signed_in(client, reader)
        assert client.get(draft).status_code == 403, reader  # a draft is for those who may publish it
        assert client.get(version).status_code == 200, reader  # a published version is for every reader

    signed_in(client, "manager")
    assert client.get(draft).status_code == 200


def test_every_word_download_is_in_the_audit_log(officer, may):
    published = publish(officer, may)
    officer.get(reverse("reports:committee_report_docx", args=[may.pk]))
    officer.get(reverse("reports:published_docx", args=[published.pk]))
    events = AuditEvent.objects.filter(event=AuditEvent.Event.REPORT_DOWNLOADED).order_by("pk")
    subjects = [event.subject for event in events if event.subject.endswith(".docx")]
    assert subjects == ["jtai-action-plan-progress-update-may-2020-draft.docx", f"{published.filename}.docx"]
    assert all(event.user.username == "officer" for event in events)


def test_a_picture_word_cannot_place_or_too_large_to_draw_costs_no_more_than_its_words():
    """Stored HTML is kept for ever: a PNG claiming 0 dpi becomes its alt text, an enormous drawing is drawn small."""
    from PIL import Image

    from reports.docx import MAX_PICTURE_PIXELS

    buffer = io.BytesIO()
    Image.new("RGB", (60, 20)).save(buffer, format="PNG", dpi=(0.02, 0.02))
    zero_dpi = base64.b64encode(buffer.getvalue()).decode()
    html = (
        "<html><body><h1>Logos</h1>"
        f'<p><img src="data:image/png;base64,{zero_dpi}" alt="Logo of a council"></p>'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10000" height="10000" role="img" aria-label="A huge square">'
        '<rect width="10000" height="10000" fill="#1d70b8"/></svg></body></html>'
    )
    document = Document(io.BytesIO(html_to_docx(html, title="Logos")))
    assert "Logo of a council" in [paragraph.text for paragraph in document.paragraphs]
    [picture] = document.inline_shapes
    assert picture._inline.docPr.get("descr") == "A huge square"
    drawn = Image.open(
        io.BytesIO(
            picture._inline.graphic.graphicData.pic.blipFill.blip.embed
            and next(part for part in document.part.package.parts if part.partname.endswith(".png")).blob
        )
    )
    assert drawn.width * drawn.height <= MAX_PICTURE_PIXELS
