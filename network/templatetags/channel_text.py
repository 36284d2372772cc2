"""How the text of a channel message is shown: plain text, links made clickable."""

from django import template
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter(is_safe=True)
def message_text(body: str) -> SafeString:
    """Escape everything the author wrote (HTML is shown as text, never run), then turn web
    addresses into links that search engines do not follow. Line breaks are kept by CSS
    (``white-space: pre-wrap``), so the text is not changed otherwise."""
    return mark_safe(urlize(body or "", nofollow=True, autoescape=True))  # noqa: S308
