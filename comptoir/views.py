from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.static import serve

from directory.permissions import can_review_entries, can_use_directory
from directory.selectors import entry_list_awaiting_review, peer_list_for_manager
from network.models import Role
from network.permissions import can_review_members
from network.project_permissions import can_open_upload, is_resident
from network.selectors import member_list_pending


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the proxy and the scheduler: the process answers and the database too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not healthy", whatever its kind
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def members_home(request: HttpRequest) -> HttpResponse:
    member = request.user
    context = {
        "member": member,
        "can_use_directory": can_use_directory(member),
        "is_resident": is_resident(member),
    }
    if can_review_members(member):
        context["pending_count"] = member_list_pending().count()
    if can_review_entries(member):
        context["entries_awaiting"] = sum(
            entries.count() for entries in entry_list_awaiting_review().values()
        )
    if member.role == Role.MANAGER:
        context["peers"] = peer_list_for_manager(member=member)
    return render(request, "comptoir/members_home.html", context)


def membership_status(request: HttpRequest) -> HttpResponse:
    return render(request, "comptoir/membership_status.html", {"member": request.user})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent too late (expired session) or from elsewhere: say so in the visitor's words."""
    return render(request, "403_csrf.html", status=403)


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploads, for members only (the access policy has checked before this runs), and a
    project's photo for those who see the project."""
    if not can_open_upload(request.user, path):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
