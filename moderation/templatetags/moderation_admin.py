from django import template
from django.utils.timesince import timesince

from moderation import selectors

register = template.Library()


@register.inclusion_tag("admin/moderation/_queue_box.html", takes_context=True)
def moderation_queue_box(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_staff and user.is_moderator):
        return {"show": False}
    stats = selectors.queue_stats()
    return {
        "show": True,
        "stats": stats,
        "age": timesince(stats["oldest_at"]) if stats["oldest_at"] else "",
    }
