"""``{% board_rows entries "entry" %}``: many board entries as HTML in one call (reports/board_rows.py)."""

from django import template

from reports import board_rows as rows

register = template.Library()


@register.simple_tag
def board_rows(entries, kind="entry"):
    return rows.board_rows(entries, kind)
