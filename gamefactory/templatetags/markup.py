from django import template
from django.utils.safestring import mark_safe

from gamefactory.markup import markdown_to_html

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """`{{ note|markdown }}`: CommonMark rendered and sanitised (gamefactory.markup)."""
    return mark_safe(markdown_to_html(str(text or "")))  # noqa: S308 (sanitised by nh3)
