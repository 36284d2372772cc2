"""The Content-Security-Policy of the site, with one relaxation for Wagtail's admin.

Members' pages run no inline script or style. Wagtail's admin (a staff tool under /cms/) still
writes some inline scripts and styles (wagtail/wagtail#1288), so there, and only there,
'unsafe-inline' is allowed for scripts and styles, and blob: images for the upload previews;
everything else stays as strict: nothing foreign loaded, no plugins, forms posted to the site
only, and framing by the site itself only (the admin previews pages in a frame).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/cms/"
ADMIN_RELAXATION = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}


class SitePolicyMiddleware(CSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase):
        if request.path_info.startswith(ADMIN_PREFIX) and HEADER in response:
            # A page preview is rendered by running a dummy request for the page's own URL
            # through the middleware, which gave it the members' policy (framing: none); the
            # admin's own request decides, or the preview could not show in its frame.
            del response[HEADER]
        return super().process_response(request, response)

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            # A nonce would make browsers ignore 'unsafe-inline': the admin gets none.
            parts.nonce = None
            parts.replace = {**(parts.replace or {}), **ADMIN_RELAXATION}
        return parts
