"""How the text of a channel message is shown: plain text, links made clickable."""

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same rule as the page's script (static/js/channels.js, LINK and TRAILING), so that a
# message reads the same whether it arrived live or with the page: web addresses that start
# with http://, https:// or www., without the punctuation that ends a sentence.
LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
TRAILING = re.compile(r"[.,;:!?'\")\]}»]+$")


@register.filter(is_safe=True)
def message_text(body: str) -> SafeString:
    """Escape everything the author wrote (HTML is shown as text, never run), then turn web
    addresses into links that search engines do not follow. Line breaks are kept by CSS
    (``white-space: pre-wrap``), so the text is not changed otherwise."""
    body = body or ""
    parts, last = [], 0
    for match in LINK.finditer(body):
        url = TRAILING.sub("", match.group())
        parts.append(escape(body[last : match.start()]))
        href = f"http://{url}" if url[:4].lower() == "www." else url
        parts.append(format_html('<a href="{}" rel="nofollow">{}</a>', href, url))
        last = match.start() + len(url)
    parts.append(escape(body[last:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)
