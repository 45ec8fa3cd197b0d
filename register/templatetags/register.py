"""``{% also_tracked action as related %}``: the actions linked to one action (the same recommendation tracked
elsewhere), with their plans, in one query, for pages that show a single action."""

from django import template

from actions.models import Action

register = template.Library()


@register.simple_tag
def also_tracked(action: Action) -> list[Action]:
    return list(action.related_actions.select_related("plan").order_by("plan_id", "position", "pk"))
