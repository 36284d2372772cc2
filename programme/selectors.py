"""Reads for the programme's pages, narrowed to what the viewer may see."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from directory.models import Cafe, Commune
from directory.text import fold
from events.models import SessionStatus, TrainingSession
from network.models import Member, Role
from resources.models import ResourcePage
from resources.permissions import can_read_resource

from . import permissions
from .models import (
    CLOSED_ACTION_STATUSES,
    Action,
    ActionStatus,
    ActionUpdate,
    Application,
    ApplicationStatus,
    Cohort,
    FollowUp,
    SupportFile,
)

COMMUNE_SEARCH_LIMIT = 20


def commune_search(*, text: str, limit: int = COMMUNE_SEARCH_LIMIT) -> list[Commune]:
    """Communes whose name starts with the text (accents, case and hyphens ignored) or whose
    postal code starts with it; exact names first, then the most populous."""
    text = text.strip()
    if not text:
        return []
    communes = Commune.objects.select_related("departement__region")
    words = text.split()
    postal = next((w for w in words if w.isdigit()), None)
    name = fold(" ".join(w for w in words if w != postal))
    if postal:
        communes = communes.filter(
            Q(postal_codes__startswith=postal) | Q(postal_codes__contains=" " + postal)
        )
    if name:
        communes = communes.filter(search_name__startswith=name)
    if not postal and not name:
        return []
    found = list(communes.order_by("search_name", "insee_code")[: limit * 5])
    found.sort(key=lambda c: (c.search_name != name, -(c.population or 0)))
    return found[:limit]


def cafe_list_for_applicant(*, member: Member) -> QuerySet[Cafe]:
    return member.cafes.filter(is_active=True).select_related("commune").order_by("name")


def application_list_for_member(*, member: Member) -> QuerySet[Application]:
    """A manager's applications and those of the cafés they manage."""
    return (
        Application.objects.filter(Q(applicant=member) | Q(cafe__managers=member))
        .distinct()
        .select_related("cafe", "commune", "support_file")
        .order_by("-updated_at")
    )


def application_get_for_viewer(*, viewer: Member, application_id: int) -> Application | None:
    application = (
        Application.objects.select_related(
            "cafe__commune", "commune__departement__region", "applicant", "reviewed_by"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or not permissions.can_view_application(viewer, application):
        return None
    return application


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    region: str = ""
    eligible: str = ""  # "yes", "no" or ""


def application_queue(*, viewer: Member, filters: QueueFilters) -> QuerySet[Application]:
    """Staff's queue: every application but the drafts, the ones waiting first."""
    if not permissions.can_review_applications(viewer):
        return Application.objects.none()
    applications = (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .select_related("cafe", "commune__departement__region", "applicant")
        .order_by("sent_at", "pk")
    )
    if filters.status:
        applications = applications.filter(status=filters.status)
    if filters.region:
        applications = applications.filter(commune__departement__region_id=filters.region)
    if filters.eligible == "yes":
        applications = applications.filter(is_eligible=True)
    elif filters.eligible == "no":
        applications = applications.filter(is_eligible=False)
    return applications


def cafe_list_other_open(*, application: Application) -> QuerySet[Cafe]:
    """The directory's cross-check of the "last café" rule: other open cafés of the commune."""
    return (
        Cafe.objects.filter(commune_id=application.commune_id, is_active=True)
        .exclude(pk=application.cafe_id)
        .order_by("name")
    )


def coach_list_eligible() -> QuerySet[Member]:
    return Member.objects.filter(
        Q(role__in=permissions.COACH_ROLES) | Q(is_superuser=True),
        status="approved",
        is_active=True,
    ).order_by("last_name", "first_name")


def cohort_list_open() -> QuerySet[Cohort]:
    return Cohort.objects.filter(is_open=True).order_by("-starts_on")


# --- Support files -------------------------------------------------------------------------------


def _support_files() -> QuerySet[SupportFile]:
    return SupportFile.objects.select_related(
        "cafe__commune__departement__region", "coach", "cohort", "application"
    )


def support_file_get_for_viewer(*, viewer: Member, file_id: int) -> SupportFile | None:
    support_file = _support_files().filter(pk=file_id).first()
    if support_file is None or not permissions.can_view_support_file(viewer, support_file):
        return None
    return support_file


def support_file_list_for_member(*, member: Member) -> QuerySet[SupportFile]:
    """The files a member follows: as one of the café's managers or as its coach, with their
    actions and follow-ups, so the page's queries do not grow with the number of cafés."""
    files = _support_files().prefetch_related(
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("owner")
            .prefetch_related(
                Prefetch(
                    "training_sessions",
                    queryset=TrainingSession.objects.select_related("training"),
                ),
                "resources",
            )
            .order_by("due_on", "pk"),
        ),
        "follow_ups",
    )
    if member.role == Role.MANAGER:
        return files.filter(cafe__managers=member).distinct()
    return files.filter(coach=member)


def action_list_for_file(*, support_file: SupportFile) -> QuerySet[Action]:
    return (
        support_file.actions.select_related("owner")
        .prefetch_related(
            Prefetch(
                "training_sessions",
                queryset=TrainingSession.objects.select_related("training", "commune"),
            ),
            "resources",
        )
        .order_by("due_on", "pk")
    )


def follow_up_list_for_file(*, support_file: SupportFile) -> QuerySet[FollowUp]:
    return support_file.follow_ups.select_related("recorded_by").prefetch_related(
        Prefetch("action_updates", queryset=ActionUpdate.objects.select_related("action"))
    )


def people_of_file(*, support_file: SupportFile) -> QuerySet[Member]:
    """Who may carry an action: the café's managers and its coach."""
    return (
        Member.objects.filter(Q(pk=support_file.coach_id) | Q(cafes=support_file.cafe_id))
        .distinct()
        .order_by("last_name", "first_name")
    )


def session_list_linkable(*, action: Action | None = None) -> QuerySet[TrainingSession]:
    """Sessions an action may recommend: those open and to come, plus those already linked."""
    sessions = Q(status=SessionStatus.OPEN, starts_at__gt=timezone.now())
    if action is not None and action.pk:
        sessions |= Q(programme_actions=action)
    return (
        TrainingSession.objects.filter(sessions)
        .select_related("training")
        .distinct()
        .order_by("starts_at")
    )


@dataclass
class Progress:
    total: int
    done: int
    overdue: int

    @property
    def percent(self) -> int:
        counted = self.total
        return round(100 * self.done / counted) if counted else 0


def progress_of(actions: list[Action]) -> Progress:
    today = timezone.localdate()
    live = [a for a in actions if a.status != ActionStatus.DROPPED]
    return Progress(
        total=len(live),
        done=sum(1 for a in live if a.status == ActionStatus.DONE),
        overdue=sum(1 for a in live if not a.is_closed and a.due_on < today),
    )


def next_visit_of(follow_ups: list[FollowUp]) -> date | None:
    """The next visit or call planned at the latest follow-up, if it is still to come."""
    today = timezone.localdate()
    if not follow_ups:
        return None
    latest = max(follow_ups, key=lambda f: (f.happened_on, f.pk)).next_visit_on
    return latest if latest and latest >= today else None


def resource_list_linkable(*, action: Action | None = None) -> QuerySet[ResourcePage]:
    """Published resources of the library, plus those the action already links."""
    resources = Q(live=True)
    if action is not None and action.pk:
        resources |= Q(programme_actions=action)
    return ResourcePage.objects.filter(resources).distinct().order_by("title")


def recommended_resources(actions: list[Action], *, member: Member) -> list[ResourcePage]:
    """Resources linked to the plan's open actions that the member may read."""
    found = {}
    for action in actions:
        if action.is_closed:
            continue
        for page in action.resources.all():
            if can_read_resource(member, page):
                found[page.pk] = page
    return sorted(found.values(), key=lambda page: page.title)


def recommended_sessions(actions: list[Action]) -> list[TrainingSession]:
    """Sessions linked to the plan's open actions that are still open for registration."""
    now = timezone.now()
    sessions = {}
    for action in actions:
        if action.is_closed:
            continue
        for session in action.training_sessions.all():
            if session.status == SessionStatus.OPEN and session.starts_at > now:
                sessions[session.pk] = session
    return sorted(sessions.values(), key=lambda s: s.starts_at)


@dataclass(frozen=True)
class TimelineEntry:
    when: date | datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""


def timeline_of(
    *, support_file: SupportFile, actions: list[Action], follow_ups: list[FollowUp]
) -> list[TimelineEntry]:
    """Everything that happened in the café's support, newest first. The titles are filled by
    the template from ``kind`` so they are written in the reader's language."""
    application = support_file.application
    entries = []
    if application.sent_at:
        entries.append(TimelineEntry(application.sent_at, "sent", application.cafe.name))
    if application.reviewed_at:
        entries.append(TimelineEntry(application.reviewed_at, "accepted", str(support_file.cohort)))
    diagnostic = getattr(support_file, "diagnostic", None)
    if diagnostic is not None:
        entries.append(TimelineEntry(diagnostic.carried_out_on, "diagnostic", ""))
    for action in actions:
        entries.append(TimelineEntry(action.created_at, "action", action.title))
        if action.done_on:
            entries.append(TimelineEntry(action.done_on, "action_done", action.title))
    if support_file.plan_agreed_on:
        entries.append(TimelineEntry(support_file.plan_agreed_on, "plan_agreed", ""))
    for follow_up in follow_ups:
        entries.append(
            TimelineEntry(follow_up.happened_on, follow_up.kind, follow_up.get_kind_display())
        )

    def sort_key(entry: TimelineEntry):
        when = entry.when
        if isinstance(when, datetime):
            return timezone.localtime(when).date(), 1
        return when, 0

    return sorted(entries, key=sort_key, reverse=True)


# --- Steering ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    by_status: list[tuple[str, str, int]]
    by_region: list[dict]
    cohorts: list[dict]
    actions_done: int
    actions_overdue: int
    actions_open: int
    weeks: int
    without_visit: list[dict] = field(default_factory=list)


def dashboard_figures(*, weeks: int) -> Dashboard:
    """The figures of the steering page, a few grouped queries whatever the cohort's size."""
    today = timezone.localdate()
    status_counts = dict(
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    by_status = [
        (value, label, status_counts.get(value, 0))
        for value, label in ApplicationStatus.choices
        if value != ApplicationStatus.DRAFT
    ]
    by_region_rows = (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .values("commune__departement__region__code", "commune__departement__region__name")
        .annotate(
            total=Count("pk"),
            waiting=Count(
                "pk",
                filter=Q(status__in=[ApplicationStatus.SENT, ApplicationStatus.INFO_REQUESTED]),
            ),
            accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)),
            refused=Count("pk", filter=Q(status=ApplicationStatus.REFUSED)),
        )
        .order_by("commune__departement__region__name")
    )
    by_region = [
        {
            "code": row["commune__departement__region__code"],
            "name": row["commune__departement__region__name"],
            "total": row["total"],
            "waiting": row["waiting"],
            "accepted": row["accepted"],
            "refused": row["refused"],
        }
        for row in by_region_rows
    ]
    cohorts = [
        {"cohort": cohort, "size": cohort.size, "target": cohort.target_size}
        for cohort in Cohort.objects.annotate(size=Count("support_files")).order_by("-starts_on")
    ]
    actions = Action.objects.exclude(status=ActionStatus.DROPPED).aggregate(
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("pk", filter=Q(due_on__lt=today) & ~Q(status__in=CLOSED_ACTION_STATUSES)),
        open=Count("pk", filter=~Q(status__in=CLOSED_ACTION_STATUSES)),
    )
    return Dashboard(
        by_status=by_status,
        by_region=by_region,
        cohorts=cohorts,
        actions_done=actions["done"],
        actions_overdue=actions["overdue"],
        actions_open=actions["open"],
        weeks=weeks,
        without_visit=support_file_list_without_visit(weeks=weeks),
    )


def support_file_list_without_visit(*, weeks: int) -> list[dict]:
    """Supported cafés with no visit or follow-up for more than ``weeks`` weeks (counted from
    their acceptance when they have had none yet), the longest-waiting first."""
    since = timezone.localdate() - timedelta(weeks=weeks)
    rows = []
    for support_file in support_file_list_for_steering():
        last = support_file.last_visit
        reference = last or timezone.localtime(support_file.created_at).date()
        if reference < since:
            rows.append({"file": support_file, "last_visit": last, "reference": reference})
    rows.sort(key=lambda row: row["reference"])
    return rows


def support_file_list_for_steering() -> QuerySet[SupportFile]:
    today = timezone.localdate()
    return _support_files().annotate(
        last_visit=Max("follow_ups__happened_on"),
        actions_done=Count("actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True),
        actions_overdue=Count(
            "actions",
            filter=Q(actions__due_on__lt=today) & ~Q(actions__status__in=CLOSED_ACTION_STATUSES),
            distinct=True,
        ),
        actions_total=Count(
            "actions", filter=~Q(actions__status=ActionStatus.DROPPED), distinct=True
        ),
    )
