"""Pages of the projects area: a café's projects, its residents' ideas, the invitation.

A project, an idea or a café someone may not see answers 404 (never 403), so that a resident
of another café learns nothing of its existence.
"""

import segno
from allauth.account import app_settings as allauth_settings
from allauth.account.utils import complete_signup
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.models import Cafe

from ..models import IdeaComment, Member, ResidentInvitation, Role
from ..project_forms import (
    AnswerForm,
    CommentForm,
    IdeaFilterForm,
    IdeaForm,
    IdeaOnBehalfForm,
    ProjectForm,
    ReasonForm,
    ResidentSignupForm,
)
from ..project_permissions import (
    can_answer_idea,
    can_comment_idea,
    can_enter_idea_on_behalf,
    can_manage_cafe_projects,
    can_manage_project,
    can_moderate_project,
    can_post_idea,
    can_report_comment,
    can_report_idea,
    can_support_idea,
    can_use_projects,
    can_view_idea,
    get_idea_or_404,
    get_project_or_404,
    is_resident,
    managed_cafe_ids,
)
from ..selectors.projects import (
    comment_list_for_idea,
    idea_get_with_counts,
    idea_list_for_project,
    invitation_list_for_cafe,
    project_list_for_member,
    project_status_counts,
    report_list_for_project,
    resident_list_for_cafe,
)
from ..services.ideas import (
    IdeaError,
    idea_answer,
    idea_comment_hide,
    idea_comment_post,
    idea_comment_report,
    idea_enter_on_behalf,
    idea_hide,
    idea_post,
    idea_report,
    idea_support,
    idea_support_withdraw,
)
from ..services.projects import (
    ProjectError,
    invitation_check,
    invitation_create,
    invitation_revoke,
    project_create,
    project_update,
    resident_join,
    resident_leave,
    resident_remove,
)

# --- Helpers ----------------------------------------------------------------------------------


def _check_can_use_projects(member) -> None:
    if not can_use_projects(member):
        raise Http404


def _managed_cafe_or_404(member, cafe_id: int) -> Cafe:
    cafe = Cafe.objects.select_related("commune").filter(pk=cafe_id).first()
    if cafe is None or not can_manage_cafe_projects(member, cafe.pk):
        raise Http404
    return cafe


def _comment_or_404(member, comment_id: int) -> IdeaComment:
    comment = (
        IdeaComment.objects.select_related("idea__project__cafe", "author")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or not can_view_idea(member, comment.idea):
        raise Http404
    if not comment.is_visible and not can_moderate_project(member, comment.idea.project):
        raise Http404
    return comment


def _invitation_url(request: HttpRequest, invitation: ResidentInvitation) -> str:
    return request.build_absolute_uri(invitation.get_absolute_url())


# --- Lists and projects -----------------------------------------------------------------------


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    member = request.user
    if is_resident(member) and member.resident_cafe_id is None:
        # Removed from their café, or left it: nothing to show but their account.
        return render(request, "network/projects/no_cafe.html", {})
    _check_can_use_projects(member)
    projects = list(project_list_for_member(member).order_by("cafe__name", "-created_at"))
    if member.is_programme_staff:
        cafes = []
    else:
        cafes = list(
            Cafe.objects.filter(pk__in=managed_cafe_ids(member))
            .select_related("commune")
            .order_by("name")
        )
    return render(
        request,
        "network/projects/project_list.html",
        {
            "projects": projects,
            "managed_cafes": cafes,
            "is_resident": is_resident(member),
            "resident_cafe": member.resident_cafe if is_resident(member) else None,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def project_create_view(request: HttpRequest, cafe_id: int) -> HttpResponse:
    cafe = _managed_cafe_or_404(request.user, cafe_id)
    form = ProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_create(
                actor=request.user,
                cafe=cafe,
                title=data["title"],
                description=data["description"],
                stage=data["stage"],
                ideas_deadline=data["ideas_deadline"],
                photo=data["photo_upload"],
                photo_alt=data["photo_alt"],
            )
        except ProjectError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The project is open. Its discussion channel is ready for the café's residents."),
            )
            return redirect(project)
    return render(
        request, "network/projects/project_form.html", {"form": form, "cafe": cafe, "project": None}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_or_404(request.user, project_id, manage=True)
    initial = {
        "title": project.title,
        "description": project.description,
        "stage": project.stage,
        "ideas_deadline": project.ideas_deadline,
        "photo_alt": project.photo_alt,
    }
    form = ProjectForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_update(
                actor=request.user,
                project=project,
                title=data["title"],
                description=data["description"],
                stage=data["stage"],
                ideas_deadline=data["ideas_deadline"],
                photo=data["photo_upload"],
                remove_photo=data["remove_photo"],
                photo_alt=data["photo_alt"],
            )
        except ProjectError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The project is saved."))
            return redirect(project)
    return render(
        request,
        "network/projects/project_form.html",
        {"form": form, "cafe": project.cafe, "project": project},
    )


@require_safe
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    member = request.user
    project = get_project_or_404(member, project_id)
    filters = IdeaFilterForm(request.GET or None)
    sort, status = filters.values()
    ideas = list(idea_list_for_project(member, project, sort=sort, status=status))
    return render(
        request,
        "network/projects/project_detail.html",
        {
            "project": project,
            "ideas": ideas,
            "filters": filters,
            "idea_form": IdeaForm() if can_post_idea(member, project) else None,
            "can_manage": can_manage_project(member, project),
            "can_enter_on_behalf": can_enter_idea_on_behalf(member, project),
            "can_support": project.accepts_ideas,
            "report_count": (
                report_list_for_project(project).count()
                if can_moderate_project(member, project)
                else 0
            ),
        },
    )


@require_safe
def project_summary(request: HttpRequest, project_id: int) -> HttpResponse:
    """A page to print for a village meeting: the ideas, their supports and the answers."""
    member = request.user
    project = get_project_or_404(member, project_id)
    ideas = [
        idea for idea in idea_list_for_project(member, project, sort="support") if idea.is_visible
    ]
    return render(
        request,
        "network/projects/project_summary.html",
        {
            "project": project,
            "ideas": ideas,
            "status_counts": project_status_counts(project),
            "support_total": sum(idea.support_count for idea in ideas),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def idea_create(request: HttpRequest, project_id: int) -> HttpResponse:
    member = request.user
    project = get_project_or_404(member, project_id)
    return _idea_form_page(
        request,
        project,
        IdeaForm(request.POST or None),
        save=lambda data: idea_post(
            author=member, project=project, title=data["title"], body=data["body"]
        ),
        done=_("Thank you: your idea is posted."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def idea_create_on_behalf(request: HttpRequest, project_id: int) -> HttpResponse:
    member = request.user
    project = get_project_or_404(member, project_id, manage=True)
    return _idea_form_page(
        request,
        project,
        IdeaOnBehalfForm(request.POST or None),
        save=lambda data: idea_enter_on_behalf(
            actor=member,
            project=project,
            title=data["title"],
            body=data["body"],
            resident_name=data["resident_name"],
        ),
        done=_("The idea is entered on behalf of the resident."),
        on_behalf=True,
    )


def _idea_form_page(
    request: HttpRequest, project, form, *, save, done: str, on_behalf: bool = False
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            idea = save(form.cleaned_data)
        except IdeaError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect(idea)
    return render(
        request,
        "network/projects/idea_form.html",
        {
            "form": form,
            "project": project,
            "on_behalf": on_behalf,
            "closed": not project.accepts_ideas,
        },
    )


# --- Ideas ------------------------------------------------------------------------------------


@require_safe
def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    return _idea_page(request, get_idea_or_404(request.user, idea_id))


def _idea_page(
    request: HttpRequest,
    idea,
    *,
    comment_form: CommentForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    """The idea's page; a form sent back with errors is shown again with what was typed."""
    member = request.user
    idea = idea_get_with_counts(member, idea)
    project = idea.project
    if comment_form is None and can_comment_idea(member, idea):
        comment_form = CommentForm()
    if answer_form is None and can_answer_idea(member, idea):
        answer_form = AnswerForm(initial={"status": idea.status, "answer": idea.answer})
    return render(
        request,
        "network/projects/idea_detail.html",
        {
            "idea": idea,
            "project": project,
            "comments": [
                {
                    "comment": comment,
                    "can_report": can_report_comment(member, comment),
                    "can_hide": comment.is_visible and can_moderate_project(member, project),
                }
                for comment in comment_list_for_idea(member, idea)
            ],
            "comment_form": comment_form,
            "answer_form": answer_form,
            "can_support": can_support_idea(member, idea),
            "can_report": can_report_idea(member, idea),
            "can_hide": idea.is_visible and can_moderate_project(member, project),
        },
    )


def _back_to_idea(request: HttpRequest, idea) -> HttpResponse:
    """Back where the visitor clicked (the project's list or the idea's page)."""
    target = request.POST.get("next", "")
    if target == "project":
        return redirect(idea.project)
    return redirect(idea)


@require_POST
def idea_support_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_idea_or_404(request.user, idea_id)
    try:
        idea_support(member=request.user, idea=idea)
    except IdeaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You support this idea."))
    return _back_to_idea(request, idea)


@require_POST
def idea_support_withdraw_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_idea_or_404(request.user, idea_id)
    try:
        idea_support_withdraw(member=request.user, idea=idea)
    except IdeaError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your support is withdrawn."))
    return _back_to_idea(request, idea)


@require_POST
def idea_comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_idea_or_404(request.user, idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            idea_comment_post(author=request.user, idea=idea, body=form.cleaned_data["body"])
        except IdeaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your comment is posted."))
    else:
        return _idea_page(request, idea, comment_form=form)
    return redirect(idea)


@require_POST
def idea_answer_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_idea_or_404(request.user, idea_id)
    if not can_answer_idea(request.user, idea):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            idea_answer(
                actor=request.user,
                idea=idea,
                status=form.cleaned_data["status"],
                answer=form.cleaned_data["answer"],
            )
        except IdeaError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The answer is saved; the author is told by e-mail."))
    else:
        return _idea_page(request, idea, answer_form=form)
    return redirect(idea)


def _reason_page(
    request: HttpRequest,
    *,
    title: str,
    intro: str,
    submit: str,
    back_url: str,
    action,
    done_message: str,
    done_url: str,
) -> HttpResponse:
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data["reason"])
        except IdeaError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    return render(
        request,
        "network/projects/reason_form.html",
        {"form": form, "title": title, "intro": intro, "submit": submit, "back_url": back_url},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def idea_report_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_idea_or_404(request.user, idea_id)
    return _reason_page(
        request,
        title=_("Report an idea"),
        intro=_("The café's manager and the programme team will look at it."),
        submit=_("Send the report"),
        back_url=idea.get_absolute_url(),
        action=lambda reason: idea_report(reporter=request.user, idea=idea, reason=reason),
        done_message=_("Thank you: your report has been sent."),
        done_url=idea.get_absolute_url(),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def idea_hide_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = get_idea_or_404(request.user, idea_id)
    if not can_moderate_project(request.user, idea.project):
        raise Http404
    return _reason_page(
        request,
        title=_("Hide an idea"),
        intro=_("The idea is no longer shown to residents. The reason stays on record."),
        submit=_("Hide the idea"),
        back_url=idea.get_absolute_url(),
        action=lambda reason: idea_hide(actor=request.user, idea=idea, reason=reason),
        done_message=_("The idea is hidden."),
        done_url=idea.project.get_absolute_url(),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_report_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(request.user, comment_id)
    return _reason_page(
        request,
        title=_("Report a comment"),
        intro=_("The café's manager and the programme team will look at it."),
        submit=_("Send the report"),
        back_url=comment.idea.get_absolute_url(),
        action=lambda reason: idea_comment_report(
            reporter=request.user, comment=comment, reason=reason
        ),
        done_message=_("Thank you: your report has been sent."),
        done_url=comment.idea.get_absolute_url(),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_hide_view(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_or_404(request.user, comment_id)
    if not can_moderate_project(request.user, comment.idea.project):
        raise Http404
    return _reason_page(
        request,
        title=_("Hide a comment"),
        intro=_("The comment is no longer shown to residents. The reason stays on record."),
        submit=_("Hide the comment"),
        back_url=comment.idea.get_absolute_url(),
        action=lambda reason: idea_comment_hide(actor=request.user, comment=comment, reason=reason),
        done_message=_("The comment is hidden."),
        done_url=comment.idea.get_absolute_url(),
    )


@require_safe
def project_reports(request: HttpRequest, project_id: int) -> HttpResponse:
    project = get_project_or_404(request.user, project_id, manage=True)
    return render(
        request,
        "network/projects/report_list.html",
        {"project": project, "reports": list(report_list_for_project(project))},
    )


# --- Residents and invitations ----------------------------------------------------------------


@require_safe
def cafe_residents(request: HttpRequest, cafe_id: int) -> HttpResponse:
    cafe = _managed_cafe_or_404(request.user, cafe_id)
    invitations = [
        {"invitation": invitation, "url": _invitation_url(request, invitation)}
        for invitation in invitation_list_for_cafe(cafe.pk)
    ]
    return render(
        request,
        "network/projects/residents.html",
        {
            "cafe": cafe,
            "residents": list(resident_list_for_cafe(cafe.pk)),
            "invitations": invitations,
        },
    )


@require_POST
def invitation_create_view(request: HttpRequest, cafe_id: int) -> HttpResponse:
    cafe = _managed_cafe_or_404(request.user, cafe_id)
    invitation = invitation_create(actor=request.user, cafe=cafe)
    messages.success(
        request, _("A new invitation link is ready; print its poster for the counter.")
    )
    return redirect("projects:invitation_poster", invitation_id=invitation.pk)


@require_POST
def invitation_revoke_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(ResidentInvitation, pk=invitation_id)
    if not can_manage_cafe_projects(request.user, invitation.cafe_id):
        raise Http404
    invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(
        request, _("The invitation link is withdrawn: nobody can join through it any more.")
    )
    return redirect("projects:residents", cafe_id=invitation.cafe_id)


@require_safe
def invitation_poster(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """An A4 poster for the counter, with the link as a QR code; printed from the browser."""
    invitation = get_object_or_404(
        ResidentInvitation.objects.select_related("cafe__commune"), pk=invitation_id
    )
    if not can_manage_cafe_projects(request.user, invitation.cafe_id):
        raise Http404
    url = _invitation_url(request, invitation)
    qr = segno.make(url, error="m")
    # segno writes the SVG itself from the URL's bits: no text of ours goes into it.
    qr_svg = mark_safe(qr.svg_inline(scale=8, border=2, title=_("QR code of the invitation link")))  # noqa: S308
    return render(
        request,
        "network/projects/poster.html",
        {"invitation": invitation, "cafe": invitation.cafe, "url": url, "qr_svg": qr_svg},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def resident_remove_view(request: HttpRequest, cafe_id: int, member_id: int) -> HttpResponse:
    """Asks first (a mis-tap on a phone must not remove a neighbour), then removes."""
    cafe = _managed_cafe_or_404(request.user, cafe_id)
    resident = get_object_or_404(Member, pk=member_id, resident_cafe=cafe, role=Role.RESIDENT)
    if request.method != "POST":
        return render(
            request, "network/projects/resident_remove.html", {"cafe": cafe, "resident": resident}
        )
    try:
        resident_remove(actor=request.user, resident=resident)
    except ProjectError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s is no longer a resident of the café.") % {"name": resident.get_full_name()},
        )
    return redirect("projects:residents", cafe_id=cafe.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_join(request: HttpRequest, token: str) -> HttpResponse:
    """The page the invitation link and QR code open: a resident's sign-up for the café."""
    try:
        invitation = invitation_check(token)
    except ProjectError as error:
        return render(
            request,
            "network/projects/invitation_invalid.html",
            {"reason": error.message},
            status=404,
        )
    cafe = invitation.cafe
    if request.user.is_authenticated:
        member = request.user
        # A resident who left (or was removed) comes back through a new invitation.
        may_rejoin = is_resident(member) and member.resident_cafe_id is None
        if request.method == "POST" and may_rejoin:
            try:
                resident_join(member=member, invitation=invitation)
            except ProjectError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("Welcome back to the projects of %(cafe)s.") % {"cafe": cafe.name},
                )
                return redirect("projects:list")
        return render(
            request,
            "network/projects/invitation_signed_in.html",
            {
                "cafe": cafe,
                "is_resident_here": member.resident_cafe_id == cafe.pk,
                "may_rejoin": may_rejoin,
            },
        )
    form = ResidentSignupForm(request.POST or None, commune_name=cafe.commune.name)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user, response = form.try_save(request)
                if response is not None:  # the address has an account: allauth tells its owner
                    return response
                resident_join(member=user, invitation=invitation)
        except ProjectError as error:  # withdrawn meanwhile: no account is left behind
            return render(
                request,
                "network/projects/invitation_invalid.html",
                {"reason": error.message},
                status=404,
            )
        return complete_signup(
            request,
            user,
            allauth_settings.EMAIL_VERIFICATION,
            reverse("projects:list"),
        )
    return render(request, "network/projects/invitation_join.html", {"form": form, "cafe": cafe})


# --- A resident's own account -----------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def resident_account(request: HttpRequest) -> HttpResponse:
    """A resident's account: leave the café's projects here; download their data or erase
    their account on the members' data pages, as every member does."""
    member = request.user
    if not is_resident(member):
        raise Http404
    if request.method == "POST" and request.POST.get("action") == "leave":
        try:
            resident_leave(member=member)
        except ProjectError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You have left the café's projects."))
        return redirect("projects:account")
    return render(request, "network/projects/account.html", {"cafe": member.resident_cafe})
