from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from network.permissions import can_review_members
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
    context = {"member": member}
    if can_review_members(member):
        context["pending_count"] = member_list_pending().count()
    return render(request, "comptoir/members_home.html", context)


def membership_status(request: HttpRequest) -> HttpResponse:
    return render(request, "comptoir/membership_status.html", {"member": request.user})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent too late (expired session) or from elsewhere: say so in the visitor's words."""
    return render(request, "403_csrf.html", status=403)
