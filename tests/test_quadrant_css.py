"""The quadrant scale's look is defined once, in actions/quadrants.py, and reaches pages, board and PDF from there."""

import re
from pathlib import Path

import pytest
import tinycss2
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actions.management.commands.quadrant_css import stylesheet_path
from actions.quadrants import STYLE, STYLESHEET, Quadrant, stylesheet
from reports import pdf as report_pdf

CSS_DIR = Path(settings.BASE_DIR) / "static" / "css"
GENERATED = stylesheet_path()
OTHERS = sorted(path for path in CSS_DIR.glob("*.css") if path != GENERATED)
BORDER_STYLES = {"solid", "dashed", "dotted", "double", "groove", "ridge", "inset", "outset"}


def test_the_committed_stylesheet_is_what_quadrants_py_generates():
    assert Path(settings.BASE_DIR) / "static" / STYLESHEET == GENERATED
    assert GENERATED.read_text(encoding="utf-8") == stylesheet(), "run `python manage.py quadrant_css`"
    call_command("quadrant_css", "--check")


def test_the_check_fails_when_the_stylesheet_is_out_of_date(monkeypatch, tmp_path):
    stale = tmp_path / "quadrants.css"
    stale.write_text(stylesheet().replace("#00703c", "#00ff00"), encoding="utf-8")
    monkeypatch.setattr("actions.management.commands.quadrant_css.stylesheet_path", lambda: stale)
    with pytest.raises(CommandError, match="out of date"):
        call_command("quadrant_css", "--check")
    call_command("quadrant_css")
    assert stale.read_text(encoding="utf-8") == stylesheet()


@pytest.mark.parametrize("quadrant", list(Quadrant))
def test_every_quadrant_colour_and_border_style_is_in_the_generated_stylesheet(quadrant):
    css, style, name = GENERATED.read_text(encoding="utf-8"), STYLE[quadrant], f"--app-quadrant-{quadrant.value}"
    assert f"{name}-text: {style.text};" in css
    assert f"{name}-tint: {style.tint};" in css
    assert f"{name}-strong: {style.strong};" in css
    assert f"{name}-border-style: {style.border};" in css
    assert f"{name}-border: {style.border} {style.strong};" in css


def _rules(nodes):
    """Every style rule of a stylesheet, those inside @media included: (selector, declarations)."""
    for node in nodes:
        if node.type == "qualified-rule":
            yield tinycss2.serialize(node.prelude).strip(), node.content
        elif node.type == "at-rule" and node.content is not None:
            yield from _rules(tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True))


def _quadrant_rules():
    for path in OTHERS:
        sheet = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True, skip_whitespace=True)
        for selector, content in _rules(sheet):
            for quadrant in Quadrant:
                if re.search(rf"--{quadrant.value}\b", selector):
                    yield path.name, selector, quadrant, content


def test_the_other_stylesheets_take_every_quadrant_colour_and_border_style_from_the_custom_properties():
    found = list(_quadrant_rules())
    assert {(name, quadrant) for name, _, quadrant, _ in found} >= {
        *(("app.css", q) for q in Quadrant),
        *(("board.css", q) for q in Quadrant),
        *(("report.css", q) for q in Quadrant),
    }
    for name, selector, quadrant, content in found:
        tokens = [token for token in content if token.type not in ("whitespace", "comment")]
        where = f"{name}: {selector}"
        assert not [t for t in tokens if t.type == "hash"], f"{where} repeats a colour"
        idents = {t.lower_value for t in tokens if t.type == "ident"}
        assert not idents & BORDER_STYLES, f"{where} repeats a border style"
        used = re.findall(r"var\((--app-quadrant-[\w-]+)\)", tinycss2.serialize(content))
        assert used and all(var.startswith(f"--app-quadrant-{quadrant.value}-") for var in used), where


def test_no_other_stylesheet_names_a_quadrant_tag_colour():
    # The strong colours are GOV.UK's brand colours, which other rules may use for other things
    # (links, warnings); the tag colours belong to the quadrants alone.
    for path in OTHERS:
        css = path.read_text(encoding="utf-8").lower()
        for quadrant, style in STYLE.items():
            for colour in (style.text, style.tint):
                assert colour.lower() not in css, f"{path.name} repeats {quadrant.value}'s {colour}"


def test_every_quadrant_custom_property_used_is_defined():
    defined = set(re.findall(r"^\s*(--app-quadrant-[\w-]+):", stylesheet(), re.MULTILINE))
    for path in OTHERS:
        used = set(re.findall(r"var\((--app-quadrant-[\w-]+)\)", path.read_text(encoding="utf-8")))
        assert used <= defined, f"{path.name} uses undefined {sorted(used - defined)}"


def test_every_page_links_the_quadrant_stylesheet_before_the_others(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert page.index("/static/css/quadrants.css") < page.index("/static/css/app.css")


QUADRANT_PAGE = (
    '<html lang="en-GB"><head><title>T</title>'
    '<link rel="stylesheet" href="/static/css/quadrants.css">'
    '<link rel="stylesheet" href="/static/css/app.css">'
    '<link rel="stylesheet" href="/static/css/report.css">'
    "</head><body>{cells}</body></html>"
)


def test_the_pdf_draws_each_quadrant_from_the_custom_properties():
    from tinycss2.color4 import parse_color
    from weasyprint import HTML

    cells = "".join(
        f'<div class="app-quadrants__quadrant app-quadrants__quadrant--{q.value}" data-q="{q.value}">'
        f'<strong class="govuk-tag app-quadrant app-quadrant--{q.value}">{q.label}</strong></div>'
        for q in Quadrant
    )
    page, sheets = report_pdf._parsed_stylesheets(QUADRANT_PAGE.format(cells=cells))
    assert len(sheets) == 3  # the PDF's fetcher finds the generated stylesheet like any other
    document = HTML(string=page, base_url=report_pdf.BASE_URL, url_fetcher=report_pdf.static_only_fetcher()).render(
        stylesheets=sheets
    )
    drawn = {}
    for box in document.pages[0]._page_box.descendants():
        if box.element is not None and box.element.get("data-q") and box.element_tag == "div":
            drawn.setdefault(box.element.get("data-q"), box.style)
    assert set(drawn) == {q.value for q in Quadrant}
    for key, computed in drawn.items():
        style = STYLE[key]
        assert computed["border_top_style"] == style.border, key
        assert computed["border_top_width"] == pytest.approx(4 * 96 / 72), key  # 4pt on paper
        expected = parse_color(style.strong).to("srgb").coordinates
        assert computed["border_top_color"].to("srgb").coordinates == pytest.approx(expected), key


def test_a_published_copy_carries_the_quadrant_stylesheet_inline():
    page = report_pdf.inline_stylesheets(QUADRANT_PAGE.format(cells=""))
    assert 'rel="stylesheet"' not in page
    assert stylesheet() in page
