"""Template library ``govuk_forms`` (registered in settings.TEMPLATES): the error summary's links, file sizes."""

from django import template

from jtai_tracker.forms import error_links as _error_links
from jtai_tracker.forms import file_size as _file_size

register = template.Library()


@register.filter
def error_links(form):
    """``{% for message, anchor in form|error_links %}``: see :func:`jtai_tracker.forms.error_links`."""
    return _error_links(form)


@register.filter
def file_size(size):
    """``{{ file.size|file_size }}``: see :func:`jtai_tracker.forms.file_size`."""
    return _file_size(size)
