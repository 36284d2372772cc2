"""HTTP in and out of the library: every rule lives in permissions, selectors and services."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import (
    ContributionEditForm,
    ContributionForm,
    FileAddForm,
    FileVersionForm,
    SearchForm,
)
from .models import ResourcePage, TextStatus
from .permissions import (
    can_contribute,
    can_edit_contribution,
    can_manage_files,
    can_read_resource,
    can_use_library,
    get_file_for_member_or_404,
)
from .search import LibraryQuery, resource_search
from .selectors import (
    category_list,
    contribution_list_for_member,
    resource_list_most_useful,
    resource_list_newest,
    toolbox_for_member,
)
from .services import (
    ResourceError,
    bookmark_toggle,
    contribution_resubmit,
    contribution_submit,
    file_download_record,
    resource_file_add,
    resource_file_delete,
    resource_file_version_add,
    useful_vote_toggle,
)


def _readable_page_or_404(request: HttpRequest, page_id: int) -> ResourcePage:
    page = get_object_or_404(ResourcePage.objects.select_related("contribution"), pk=page_id)
    if not can_read_resource(request.user, page):
        raise Http404
    return page


def _back_to(page: ResourcePage) -> HttpResponse:
    # A draft in review has no public URL yet: its contributor follows it from their list.
    return redirect(page.url if page.live and page.url else "resources:my_contributions")


def _library_member(request: HttpRequest) -> None:
    if not can_use_library(request.user):
        raise PermissionDenied


def home(request: HttpRequest) -> HttpResponse:
    _library_member(request)
    form = SearchForm(request.GET or None)
    query = None
    results = []
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        query = LibraryQuery(
            text=data["q"],
            category=data["category"],
            resource_type=data["type"],
            tag=data["tag"],
        )
        if query.is_empty:
            query = None
        else:
            results = resource_search(query)
    context = {
        "form": form,
        "query": query,
        "results": results,
        "categories": category_list(),
        "newest": resource_list_newest()[:6],
        "most_useful": resource_list_most_useful()[:6],
    }
    return render(request, "resources/home.html", context)


def file_download(request: HttpRequest, file_id: int, number: int | None = None) -> HttpResponse:
    """The file's stable address serves its latest version; an earlier one by its number."""
    file = get_file_for_member_or_404(request.user, file_id)
    if number is None:
        version = file.latest_version
    else:
        version = next((v for v in file.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    try:
        handle = version.blob.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    file_download_record(file=file)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def file_add(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _readable_page_or_404(request, page_id)
    if not can_manage_files(request.user, page):
        raise PermissionDenied
    form = FileAddForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            file = resource_file_add(
                actor=request.user,
                page=page,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["upload"],
            )
        except ValidationError as error:
            form.add_error("upload", error)
        else:
            _say_how_indexed(request, file.latest_version)
            return _back_to(page)
    return render(request, "resources/file_form.html", {"form": form, "page": page})


def file_version_add(request: HttpRequest, file_id: int) -> HttpResponse:
    file = get_file_for_member_or_404(request.user, file_id)
    if not can_manage_files(request.user, file.page):
        raise PermissionDenied
    form = FileVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = resource_file_version_add(
                actor=request.user, file=file, upload=form.cleaned_data["upload"]
            )
        except ValidationError as error:
            form.add_error("upload", error)
        else:
            _say_how_indexed(request, version)
            return _back_to(file.page)
    return render(
        request, "resources/file_form.html", {"form": form, "page": file.page, "file": file}
    )


def _say_how_indexed(request: HttpRequest, version) -> None:
    if version.text_status == TextStatus.UNREADABLE:
        messages.warning(
            request,
            _(
                "The file is saved, but its text could not be read (it may be damaged or "
                "protected): it will not be found by the words inside it."
            ),
        )
    elif version.text_status == TextStatus.EMPTY:
        messages.info(
            request,
            _("The file is saved. It contains no text to search (a scan or an image?)."),
        )
    else:
        messages.success(request, _("The file is saved."))


@require_POST
def bookmark(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _readable_page_or_404(request, page_id)
    if bookmark_toggle(member=request.user, page=page):
        messages.success(request, _("Added to your toolbox."))
    else:
        messages.success(request, _("Removed from your toolbox."))
    return _back_to(page)


@require_POST
def vote(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _readable_page_or_404(request, page_id)
    if not page.live:
        raise Http404
    if useful_vote_toggle(member=request.user, page=page):
        messages.success(request, _("Thank you: your vote is counted."))
    else:
        messages.success(request, _("Your vote is withdrawn."))
    return _back_to(page)


def toolbox(request: HttpRequest) -> HttpResponse:
    _library_member(request)
    return render(
        request, "resources/toolbox.html", {"resources": toolbox_for_member(request.user)}
    )


def contribute(request: HttpRequest) -> HttpResponse:
    if not can_contribute(request.user):
        raise PermissionDenied
    form = ContributionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution_submit(
                contributor=request.user,
                category=data["category"],
                title=data["title"],
                summary=data["summary"],
                resource_type=data["resource_type"],
                uploads=data["files"],
            )
        except ValidationError as error:
            form.add_error("files", error)
        except ResourceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your resource is sent to the programme staff, who will read it "
                    "before it is published. You will get an e-mail when they decide."
                ),
            )
            return redirect("resources:my_contributions")
    return render(request, "resources/contribute.html", {"form": form})


def my_contributions(request: HttpRequest) -> HttpResponse:
    _library_member(request)
    return render(
        request,
        "resources/my_contributions.html",
        {"contributions": contribution_list_for_member(request.user)},
    )


def draft_detail(request: HttpRequest, page_id: int) -> HttpResponse:
    """A resource in review, as its contributor (or staff) sees it before publication."""
    page = _readable_page_or_404(request, page_id)
    if page.live:
        return redirect(page.url)
    return page.specific.serve(request)


def contribution_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    """Answer the staff's request for changes, and send the proposal back to them."""
    page = _readable_page_or_404(request, page_id)
    if not can_edit_contribution(request.user, page):
        raise PermissionDenied
    contribution = page.contribution
    initial = {"title": page.title, "summary": page.summary, "resource_type": page.resource_type}
    form = ContributionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        contribution_resubmit(
            contributor=request.user, contribution=contribution, **form.cleaned_data
        )
        messages.success(request, _("Your resource is sent back to the programme staff."))
        return redirect("resources:my_contributions")
    return render(
        request,
        "resources/contribution_edit.html",
        {"form": form, "page": page, "contribution": contribution},
    )


@require_POST
def file_delete(request: HttpRequest, file_id: int) -> HttpResponse:
    file = get_file_for_member_or_404(request.user, file_id)
    if not can_manage_files(request.user, file.page):
        raise PermissionDenied
    resource_file_delete(actor=request.user, file=file)
    messages.success(request, _("The file and its versions are removed."))
    return _back_to(file.page)
