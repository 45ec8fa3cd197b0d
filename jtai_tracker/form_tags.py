"""Template library ``govuk_forms`` (registered in settings.TEMPLATES): the error summary's links."""

from django import template

from jtai_tracker.forms import error_links as _error_links

register = template.Library()


@register.filter
def error_links(form):
    """``{% for message, anchor in form|error_links %}``: see :func:`jtai_tracker.forms.error_links`."""
    return _error_links(form)
