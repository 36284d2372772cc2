"""Demo programme for `make run`: a cohort, the demo manager's café accepted and followed by the
demo professional (diagnostic, action plan, a visit), and one application waiting for staff."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from directory.models import Cafe
from events.models import SessionStatus, TrainingSession
from network.models import Member, MembershipStatus, Role
from resources.models import ResourcePage

from .models import Application, Cohort, FollowUpKind, SupportFile
from .services import (
    action_save,
    application_accept,
    application_save,
    application_send,
    diagnostic_save,
    follow_up_record,
    plan_agree,
)

COHORT_NAME = "Promotion 2026-2027"
WAITING_MANAGER = "gerant-perouges@comptoir.example"


def _cohort() -> Cohort:
    today = timezone.localdate()
    cohort, _created = Cohort.objects.get_or_create(
        name=COHORT_NAME,
        defaults={
            "starts_on": today - timedelta(days=90),
            "ends_on": today + timedelta(days=275),
            "target_size": 100,
        },
    )
    return cohort


@transaction.atomic
def demo_programme_ensure(*, staff: Member, manager: Member, coach: Member) -> None:
    cafe = Cafe.objects.filter(name="Le Comptoir de Sulignat", managers=manager).first()
    if cafe is None or Application.objects.filter(cafe=cafe).exists():
        return
    cohort = _cohort()
    today = timezone.localdate()
    application = application_save(
        applicant=manager,
        cafe=cafe,
        commune=cafe.commune,
        fields={
            "current_operation": (
                "Ouvert du mardi au dimanche. Café, épicerie de dépannage, dépôt de pain et "
                "relais colis. Une salariée à mi-temps l'été."
            ),
            "needs": ["new_services", "skills", "residents"],
            "needs_details": "Tenir la trésorerie l'hiver et proposer des repas le midi.",
            "declares_last_cafe": True,
            "declares_dedicated_space": True,
        },
    )
    application_send(applicant=manager, application=application)
    support_file = application_accept(
        actor=staff, application=application, coach=coach, cohort=cohort
    )
    # The demo café has been followed for three months: its timeline starts then.
    now = timezone.now()
    Application.objects.filter(pk=application.pk).update(
        created_at=now - timedelta(days=80),
        sent_at=now - timedelta(days=78),
        reviewed_at=now - timedelta(days=70),
    )
    SupportFile.objects.filter(pk=support_file.pk).update(created_at=now - timedelta(days=70))
    support_file.refresh_from_db()
    diagnostic_save(
        actor=coach,
        support_file=support_file,
        fields={
            "carried_out_on": today - timedelta(days=60),
            "activity": "Une cinquantaine de passages par jour, le double l'été.",
            "finances": "Chiffre d'affaires stable, trésorerie tendue de janvier à mars.",
            "services": "Café, épicerie, pain, relais colis.",
            "town_hall": "La commune est propriétaire des murs ; loyer modéré.",
            "associations": "Le comité des fêtes y tient ses réunions.",
            "producers": "Fromages et miel de deux fermes voisines.",
            "other_shops": "Boulangerie la plus proche à 8 km.",
            "strengths": "Seul lieu de rencontre du village ; terrasse.",
            "weaknesses": "Pas de repas ; horaires réduits l'hiver.",
            "opportunities": "Demande de repas le midi des artisans ; marché d'été.",
        },
    )
    session = (
        TrainingSession.objects.filter(status=SessionStatus.OPEN, starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    treasury = action_save(
        actor=coach,
        support_file=support_file,
        fields={
            "title": "Construire un plan de trésorerie sur douze mois",
            "category": "skills",
            "owner": manager,
            "due_on": today + timedelta(days=30),
            "status": "in_progress",
        },
        training_sessions=[session] if session else [],
        resources=list(
            ResourcePage.objects.live().filter(title__icontains="trésorerie").order_by("pk")[:1]
        ),
    )
    action_save(
        actor=coach,
        support_file=support_file,
        fields={
            "title": "Proposer un plat du jour le midi",
            "category": "new_services",
            "owner": manager,
            "due_on": today + timedelta(days=90),
            "status": "todo",
        },
    )
    action_save(
        actor=coach,
        support_file=support_file,
        fields={
            "title": "Réunir les habitants pour préparer le marché d'été",
            "category": "residents",
            "owner": coach,
            "due_on": today - timedelta(days=5),
            "status": "todo",
        },
    )
    support_file.actions.update(created_at=now - timedelta(days=50))
    plan_agree(actor=coach, support_file=support_file, agreed_on=today - timedelta(days=45))
    follow_up_record(
        actor=coach,
        support_file=support_file,
        fields={
            "kind": FollowUpKind.VISIT,
            "happened_on": today - timedelta(days=14),
            "people": "Sophie Bernard (gérante), Karim Haddad (accompagnateur)",
            "notes": "Point sur la trésorerie, visite de la cuisine.",
            "decisions": "Tester le plat du jour deux midis par semaine.",
            "next_steps": "Chiffrer le coût matière d'un plat du jour.",
            "next_visit_on": today + timedelta(days=14),
        },
        action_statuses={treasury.pk: "in_progress"},
    )
    _waiting_application(manager_email=WAITING_MANAGER)


def _waiting_application(*, manager_email: str) -> None:
    """A second café whose application waits in staff's queue; its commune has fewer than
    3,500 inhabitants, but it is not the last café there, which the manager explains."""
    cafe = Cafe.objects.filter(name="Café de la Place").first()
    if cafe is None:
        return
    manager = Member.objects.filter(email=manager_email).first()
    if manager is None:
        manager = Member.objects.create_user(
            email=manager_email,
            password=None,
            first_name="Julien",
            last_name="Perrin",
            role=Role.MANAGER,
            status=MembershipStatus.APPROVED,
        )
    cafe.managers.add(manager)
    application = application_save(
        applicant=manager,
        cafe=cafe,
        commune=cafe.commune,
        fields={
            "current_operation": "Restaurant et café sur la place, ouvert à l'année.",
            "needs": ["networking", "tools"],
            "declares_last_cafe": False,
            "declares_dedicated_space": True,
            "explanation": (
                "Un second bar existe mais n'ouvre que l'été pour les touristes ; l'hiver, "
                "nous sommes seuls."
            ),
        },
    )
    application_send(applicant=manager, application=application)
