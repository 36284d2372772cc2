"""Directory pages: search, profiles, and the forms to keep them true."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptoir.access import roles_required
from network.models import Role

from .. import permissions, selectors, services
from ..forms import (
    CafeForm,
    DirectorySearchForm,
    ManagerProfileForm,
    ProfessionalForm,
    SupplierForm,
)
from ..models import Cafe, EntryKind, ManagerProfile, Professional, Supplier, Visibility
from ..search import FACETS

directory_roles = roles_required(*permissions.DIRECTORY_ROLES)

# The most frequent values of each facet; a value already chosen is always shown. Longer lists
# (a hundred départements) would make the page heavy and hard to scan with a screen reader.
FACET_VALUES_SHOWN = 12


@directory_roles
def search(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    query = form.to_query()
    results = selectors.directory_search(viewer=request.user, query=query)
    for notice in form.notices:
        messages.warning(request, notice)
    if results.page_out_of_range:
        messages.info(
            request,
            _("That page does not exist; here is page %(page)s of %(pages)s.")
            % {"page": results.page, "pages": results.num_pages},
        )
    labels = selectors.geography_labels()
    facet_groups = [
        {
            "name": name,
            "label": form.fields[name].label,
            "values": [
                {
                    "value": count.value,
                    "label": _facet_value_label(form, labels, name, count.value),
                    "count": count.count,
                    "selected": count.selected,
                    "id": f"facet-{name}-{index}",
                }
                for index, count in enumerate(results.facets[name])
                if (count.count and index < FACET_VALUES_SHOWN) or count.selected
            ],
        }
        for name in FACETS
    ]
    home = selectors.member_home_departement(request.user)
    return render(
        request,
        "directory/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "facet_groups": [group for group in facet_groups if group["values"]],
            "home_departement": home,
            "delivers_to_home": bool(home and home.code in query.filters.get("delivers_to", ())),
            "page_range": range(1, results.num_pages + 1),
        },
    )


def _facet_value_label(form, labels, name: str, value: str) -> str:
    if name in labels:
        return labels[name].get(value, value)
    choices = dict(form.fields[name].choices)
    return str(choices.get(value, value))


def _contact_context(viewer, profile) -> dict:
    return {
        field: permissions.can_see_contact(viewer, profile, getattr(profile, f"{field}_visibility"))
        for field in ("phone", "email", "address")
    }


@directory_roles
def cafe_detail(request: HttpRequest, cafe_id: int) -> HttpResponse:
    cafe = selectors.cafe_get_for_viewer(viewer=request.user, cafe_id=cafe_id)
    if cafe is None:
        raise Http404
    return render(
        request,
        "directory/cafe_detail.html",
        {
            "cafe": cafe,
            "show": _contact_context(request.user, cafe),
            "can_edit": permissions.can_edit_cafe(request.user, cafe),
            "visibility": Visibility,
        },
    )


@directory_roles
def manager_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.manager_profile_get_for_viewer(viewer=request.user, profile_id=profile_id)
    if profile is None:
        raise Http404
    return render(
        request,
        "directory/manager_detail.html",
        {"profile": profile, "can_edit": permissions.can_edit_profile(request.user, profile)},
    )


@directory_roles
def professional_detail(request: HttpRequest, professional_id: int) -> HttpResponse:
    professional = selectors.professional_get_for_viewer(
        viewer=request.user, professional_id=professional_id
    )
    if professional is None:
        raise Http404
    return render(
        request,
        "directory/professional_detail.html",
        {
            "profile": professional,
            "show": _contact_context(request.user, professional),
            "can_edit": permissions.can_edit_profile(request.user, professional),
            "can_review": permissions.can_review_entries(request.user),
        },
    )


@directory_roles
def supplier_detail(request: HttpRequest, supplier_id: int) -> HttpResponse:
    supplier = selectors.supplier_get_for_viewer(viewer=request.user, supplier_id=supplier_id)
    if supplier is None:
        raise Http404
    return render(
        request,
        "directory/supplier_detail.html",
        {
            "profile": supplier,
            "show": _contact_context(request.user, supplier),
            "can_edit": permissions.can_edit_profile(request.user, supplier),
            "can_review": permissions.can_review_entries(request.user),
        },
    )


@directory_roles
def my_profile(request: HttpRequest) -> HttpResponse:
    """Each role's own directory page: managers their profile, others their entry."""
    member = request.user
    if member.role == Role.MANAGER:
        return redirect("directory:manager_profile_edit")
    if member.role == Role.PROFESSIONAL:
        profile = Professional.objects.filter(member=member).first()
        if profile:
            return redirect("directory:professional_edit", profile.pk)
        return redirect("directory:professional_create_own")
    if member.role == Role.SUPPLIER:
        profile = Supplier.objects.filter(member=member).first()
        if profile:
            return redirect("directory:supplier_edit", profile.pk)
        return redirect("directory:supplier_create_own")
    return redirect("directory:search")


def _manager_profile_form_view(request: HttpRequest, member) -> HttpResponse:
    profile = ManagerProfile.objects.filter(member=member).first()
    initial = {}
    if profile:
        initial = {
            "can_share": profile.can_share,
            "tags_text": ", ".join(tag.name for tag in profile.tags.all()),
        }
    form = ManagerProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        profile = services.manager_profile_save(
            actor=request.user,
            member=member,
            fields={"can_share": form.cleaned_data["can_share"]},
            tags=form.cleaned_data["tags_text"],
        )
        messages.success(request, _("The profile has been saved."))
        return redirect(profile.get_absolute_url())
    return render(
        request,
        "directory/manager_profile_form.html",
        {"form": form, "member": member, "cafes": member.cafes.select_related("commune")},
    )


@roles_required(Role.MANAGER)
def manager_profile_edit(request: HttpRequest) -> HttpResponse:
    """A manager's own profile."""
    return _manager_profile_form_view(request, request.user)


@roles_required(Role.STAFF)
def manager_profile_edit_by_staff(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = ManagerProfile.objects.select_related("member").filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    return _manager_profile_form_view(request, profile.member)


def _cafe_form_view(request: HttpRequest, cafe: Cafe | None) -> HttpResponse:
    form = CafeForm(request.POST or None, request.FILES or None, instance=cafe or Cafe())
    if request.method == "POST" and form.is_valid():
        saved = services.cafe_save(
            actor=request.user,
            cafe=cafe,
            fields=form.model_fields(),
            services=form.cleaned_data["services_text"],
            tags=form.cleaned_data["tags_text"],
            photo=form.cleaned_data["photo_upload"],
            remove_photo=form.cleaned_data["remove_photo"],
        )
        messages.success(request, _("The café has been saved."))
        return redirect(saved.get_absolute_url())
    return render(request, "directory/cafe_form.html", {"form": form, "cafe": cafe})


@directory_roles
def cafe_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_cafe(request.user):
        raise PermissionDenied
    return _cafe_form_view(request, None)


@directory_roles
def cafe_edit(request: HttpRequest, cafe_id: int) -> HttpResponse:
    cafe = selectors.cafe_get_for_viewer(viewer=request.user, cafe_id=cafe_id)
    permissions.check_can_edit_or_404(
        cafe is not None and permissions.can_edit_cafe(request.user, cafe)
    )
    return _cafe_form_view(request, cafe)


def _professional_save(request, form, professional, for_self: bool) -> Professional:
    return services.professional_save(
        actor=request.user,
        professional=professional,
        fields=form.model_fields(),
        skills=form.cleaned_data["skills_text"],
        tags=form.cleaned_data["tags_text"],
        departements_served=form.cleaned_data["departements_served"],
        for_self=for_self,
    )


def _supplier_save(request, form, supplier, for_self: bool) -> Supplier:
    return services.supplier_save(
        actor=request.user,
        supplier=supplier,
        fields=form.model_fields(),
        categories=form.cleaned_data["categories"],
        tags=form.cleaned_data["tags_text"],
        departements_delivered=form.cleaned_data["departements_delivered"],
        for_self=for_self,
    )


# What differs between the two kinds of proposed entries: model, form, and the service call.
PROPOSED_ENTRY_FORMS = {
    EntryKind.PROFESSIONAL: (Professional, ProfessionalForm, _professional_save),
    EntryKind.SUPPLIER: (Supplier, SupplierForm, _supplier_save),
}


def _proposed_entry_form_view(request, kind: str, obj, *, for_self: bool) -> HttpResponse:
    model, form_class, save = PROPOSED_ENTRY_FORMS[kind]
    form = form_class(request.POST or None, instance=obj or model())
    if request.method == "POST" and form.is_valid():
        saved = save(request, form, obj, for_self)
        messages.success(request, _saved_message(saved, created=obj is None))
        return redirect(saved.get_absolute_url())
    return render(
        request,
        "directory/profile_form.html",
        {"form": form, "profile": obj, "kind": kind, "for_self": for_self},
    )


def _saved_message(profile, *, created: bool) -> str:
    if created and profile.status == "proposed":
        return _(
            "Thank you. Programme staff will check this entry before it appears in the directory."
        )
    return _("The entry has been saved.")


@directory_roles
def professional_propose(request: HttpRequest) -> HttpResponse:
    return _proposed_entry_form_view(request, EntryKind.PROFESSIONAL, None, for_self=False)


@roles_required(Role.PROFESSIONAL)
def professional_create_own(request: HttpRequest) -> HttpResponse:
    if Professional.objects.filter(member=request.user).exists():
        return redirect("directory:my_profile")
    return _proposed_entry_form_view(request, EntryKind.PROFESSIONAL, None, for_self=True)


@directory_roles
def professional_edit(request: HttpRequest, professional_id: int) -> HttpResponse:
    professional = selectors.professional_get_for_viewer(
        viewer=request.user, professional_id=professional_id
    )
    permissions.check_can_edit_or_404(
        professional is not None and permissions.can_edit_profile(request.user, professional)
    )
    return _proposed_entry_form_view(request, EntryKind.PROFESSIONAL, professional, for_self=False)


@directory_roles
def supplier_propose(request: HttpRequest) -> HttpResponse:
    return _proposed_entry_form_view(request, EntryKind.SUPPLIER, None, for_self=False)


@roles_required(Role.SUPPLIER)
def supplier_create_own(request: HttpRequest) -> HttpResponse:
    if Supplier.objects.filter(member=request.user).exists():
        return redirect("directory:my_profile")
    return _proposed_entry_form_view(request, EntryKind.SUPPLIER, None, for_self=True)


@directory_roles
def supplier_edit(request: HttpRequest, supplier_id: int) -> HttpResponse:
    supplier = selectors.supplier_get_for_viewer(viewer=request.user, supplier_id=supplier_id)
    permissions.check_can_edit_or_404(
        supplier is not None and permissions.can_edit_profile(request.user, supplier)
    )
    return _proposed_entry_form_view(request, EntryKind.SUPPLIER, supplier, for_self=False)


@roles_required(Role.STAFF)
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/review_queue.html", selectors.entry_list_awaiting_review())


@roles_required(Role.STAFF)
@require_POST
def review_entry(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    model = {"professional": Professional, "supplier": Supplier}.get(kind)
    if model is None:
        raise Http404
    obj = model.objects.filter(pk=object_id).first()
    if obj is None:
        raise Http404
    decision = request.POST.get("decision")
    if decision not in {"validate", "reject"}:
        messages.error(request, _("Choose to validate or to reject the entry."))
        return redirect("directory:review_queue")
    services.entry_review(actor=request.user, obj=obj, approve=decision == "validate")
    if decision == "validate":
        messages.success(request, _("“%(name)s” now appears in the directory.") % {"name": obj})
    else:
        messages.success(request, _("“%(name)s” has been rejected.") % {"name": obj})
    return redirect("directory:review_queue")


@roles_required(Role.STAFF)
@require_POST
def mark_verified(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    model = {"cafe": Cafe, "professional": Professional, "supplier": Supplier}.get(kind)
    obj = model.objects.filter(pk=object_id).first() if model else None
    if obj is None:
        raise Http404
    services.entry_mark_verified(actor=request.user, obj=obj)
    messages.success(request, _("Marked as verified today."))
    return redirect(obj.get_absolute_url())


@roles_required(Role.STAFF)
def entry_delete(request: HttpRequest, kind: str, object_id: int) -> HttpResponse:
    model = {"cafe": Cafe, "professional": Professional, "supplier": Supplier}.get(kind)
    obj = model.objects.filter(pk=object_id).first() if model else None
    if obj is None:
        raise Http404
    if request.method == "POST":
        name = str(obj)
        services.entry_delete(actor=request.user, obj=obj)
        messages.success(
            request, _("“%(name)s” has been removed from the directory.") % {"name": name}
        )
        return redirect("directory:search")
    return render(request, "directory/confirm_delete.html", {"obj": obj})
