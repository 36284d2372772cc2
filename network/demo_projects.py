"""Demo data of the projects area for `make run`: the demo manager's café with its resident,
two projects, ideas with supports, a comment and an answer. Safe to run again."""

from django.db import transaction

from directory.models import Cafe

from .models import IdeaStatus, Member, Project, ProjectStage, ResidentInvitation, Role
from .services.channels import message_post
from .services.ideas import idea_answer, idea_comment_post, idea_enter_on_behalf, idea_post
from .services.ideas import idea_support as support
from .services.projects import (
    cafe_project_channels_sync,
    invitation_create,
    project_create,
    resident_join,
)

DEMO_CAFE = "Le Comptoir de Sulignat"


@transaction.atomic
def demo_projects_ensure(*, manager: Member, resident: Member) -> None:
    cafe = Cafe.objects.filter(name=DEMO_CAFE, managers=manager).first()
    if cafe is None:  # the directory demo did not run
        return
    invitation = ResidentInvitation.objects.filter(
        cafe=cafe, revoked_at__isnull=True
    ).first() or invitation_create(actor=manager, cafe=cafe)
    if resident.role == Role.RESIDENT and resident.resident_cafe_id != cafe.pk:
        resident_join(member=resident, invitation=invitation)
        resident.refresh_from_db()
    if Project.objects.filter(cafe=cafe).exists():
        cafe_project_channels_sync(cafe=cafe)  # a coach assigned since the last run joins
        return
    bread = project_create(
        actor=manager,
        cafe=cafe,
        title="Un dépôt de pain au café",
        description=(
            "La boulangerie la plus proche est à 9 km. Le café pourrait recevoir le pain "
            "chaque matin : quels jours, quelles commandes, quel boulanger ?"
        ),
    )
    idea = idea_post(
        author=resident,
        project=bread,
        title="Le pain du dimanche matin",
        body="Le dimanche, c'est le jour où tout le monde passe au café.",
    )
    paper = idea_enter_on_behalf(
        actor=manager,
        project=bread,
        title="Des viennoiseries pour l'école",
        resident_name="Mme Blanc",
    )
    support(member=manager, idea=paper)
    idea_comment_post(author=manager, idea=idea, body="Bonne idée, j'en parle au boulanger.")
    idea_answer(
        actor=manager,
        idea=idea,
        status=IdeaStatus.UNDER_STUDY,
        answer="Le boulanger de Neuville peut livrer le dimanche à 8 h : on fait un essai.",
    )
    # The project's channel, where the manager and the residents talk it over.
    for author, body in (
        (manager, "Bienvenue à tous ! Ici on organise ensemble le dépôt de pain."),
        (resident, "Merci ! Je peux tenir le dépôt le dimanche matin si besoin."),
    ):
        message_post(author=author, channel=bread.channel, body=body)
    project_create(
        actor=manager,
        cafe=cafe,
        title="Une soirée réparation par mois",
        description="Un vendredi par mois, on répare ensemble petits appareils et vélos.",
        stage=ProjectStage.IN_PROGRESS,
    )
