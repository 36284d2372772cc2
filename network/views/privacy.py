"""The member's own data (download, erase the account) and the staff's same tools, on request,
in the Wagtail admin."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ..models import Member
from ..permissions import can_review_members
from ..privacy_forms import AccountEraseForm, MemberSearchForm, StaffEraseForm
from ..selectors.privacy import erasure_list_recent, member_data_archive, member_list_for_staff
from ..services.privacy import ErasureError, member_erase

STAFF_PAGE_SIZE = 50


def _archive_response(member: Member) -> HttpResponse:
    response = HttpResponse(member_data_archive(member=member), content_type="application/zip")
    filename = f"comptoir-donnees-{member.pk}-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The member's own -------------------------------------------------------------------------


@require_safe
def my_data(request: HttpRequest) -> HttpResponse:
    return render(request, "network/privacy/my_data.html", {"member": request.user})


@never_cache
@require_safe
def my_data_download(request: HttpRequest) -> HttpResponse:
    return _archive_response(request.user)


@require_http_methods(["GET", "HEAD", "POST"])
def account_erase(request: HttpRequest) -> HttpResponse:
    member = request.user
    form = AccountEraseForm(request.POST if request.method == "POST" else None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            member_erase(member=member, by=member)
        except ErasureError as error:
            form.add_error(None, error.message)
        else:
            logout(request)
            # Rendered here, not redirected to: the visitor is signed out, and the page has
            # nothing to show anyone else.
            return render(request, "network/privacy/erased.html")
    return render(request, "network/privacy/erase.html", {"form": form, "member": member})


# --- Staff, on request (Wagtail admin) --------------------------------------------------------


def _check_staff(request: HttpRequest) -> None:
    if not can_review_members(request.user):
        raise PermissionDenied


def _member_or_404(member_id: int) -> Member:
    return get_object_or_404(member_list_for_staff(), pk=member_id)


@require_safe
def staff_member_list(request: HttpRequest) -> HttpResponse:
    _check_staff(request)
    form = MemberSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(member_list_for_staff(query=query), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "network/admin/privacy_members.html",
        {
            "page_title": _("Members' data"),
            "header_icon": "user",
            "form": form,
            "query": query,
            "page": page,
            "erasures": erasure_list_recent(),
        },
    )


@never_cache
@require_safe
def staff_member_download(request: HttpRequest, member_id: int) -> HttpResponse:
    _check_staff(request)
    return _archive_response(_member_or_404(member_id))


@require_http_methods(["GET", "HEAD", "POST"])
def staff_member_erase(request: HttpRequest, member_id: int) -> HttpResponse:
    _check_staff(request)
    member = _member_or_404(member_id)
    form = StaffEraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        name = member.get_full_name() or member.email
        try:
            member_erase(member=member, by=request.user, reason=form.cleaned_data["reason"])
        except ErasureError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The account of %(name)s has been erased. It now shows as “Former member”.")
                % {"name": name},
            )
            return redirect("privacy_admin:members")
    return render(
        request,
        "network/admin/privacy_erase.html",
        {
            "page_title": _("Erase an account"),
            "header_icon": "user",
            "member": member,
            "form": form,
        },
    )
