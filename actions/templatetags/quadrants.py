from django import template

from actions.quadrants import OPEN_QUADRANTS, Quadrant, scale_for

register = template.Library()


def _scale(context):
    """The partnership's quadrant wording, looked up once per render."""
    scale = context.get("quadrant_scale")
    if scale is None:
        person = context.get("person")
        scale = scale_for(person.partnership_id if person else None)
        context.dicts[0]["quadrant_scale"] = scale
    return scale


@register.inclusion_tag("includes/quadrant_tag.html", takes_context=True)
def quadrant_tag(context, key):
    """A quadrant as a tag: colour, a shape symbol and the label, never colour alone."""
    return {"quadrant": _scale(context).get(key) if key else None}


@register.simple_tag(takes_context=True)
def quadrant_info(context, key):
    return _scale(context).get(key)


@register.inclusion_tag("includes/quadrant_counts.html", takes_context=True)
def quadrant_counts(context, figures):
    """How many actions sit in each quadrant (board order, complete last), and the share complete.

    ``figures`` is a round's ``RoundFigures`` (reports.selectors), the one source of a round's numbers.
    """
    scale = _scale(context)
    rows = [(scale[key], figures.counts.get(key, 0)) for key in [*OPEN_QUADRANTS, Quadrant.COMPLETE]]
    return {"rows": rows, "figures": figures}
