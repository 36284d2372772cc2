from django.core.exceptions import PermissionDenied
from wagtail import hooks

from .models import ResourceCategoryPage, ResourceLibraryPage, ResourcePage
from .permissions import can_use_library

LIBRARY_PAGE_TYPES = (ResourceLibraryPage, ResourceCategoryPage, ResourcePage)


@hooks.register("before_serve_page")
def library_pages_for_their_readers(page, request, serve_args, serve_kwargs):
    """After the members-only hook (comptoir), which sends anonymous and unapproved visitors
    away: the library's pages are for the members who may use the library."""
    if issubclass(page.specific_class, LIBRARY_PAGE_TYPES) and not can_use_library(request.user):
        raise PermissionDenied
