"""A small seeded Comptoir for the role × route matrix (test_role_route_matrix.py).

Two cafés (A and B) with their managers, residents, projects, ideas and project channels; the
professional network's channels (topic, région, private, a direct conversation) with reported
messages; trainings with sessions and registrations; the library with a published resource and
a contribution in review; programme applications and support files. Objects are made through the
services, as the site makes them, by the factory fixtures of tests/conftest.py.

Private texts carry *canaries*: distinctive strings the matrix looks for in every answer, with
the roles that may read each one (``World.canaries``).
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from network.models import Role

# The walking visitors. "manager" runs café A, "coach" is the professional who coaches café A
# in the programme; "professional" is another independent professional (not a coach);
# "trainer" runs training T1 (another trainer, not walking, runs T2).
ROLES = (
    "anonymous",
    "pending",
    "resident_a",
    "resident_b",
    "manager",
    "professional",
    "coach",
    "supplier",
    "trainer",
    "staff",
)


@dataclass(frozen=True)
class Canary:
    text: str
    may_see: frozenset[str]
    what: str


@dataclass
class World:
    members: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    canaries: dict[str, Canary] = field(default_factory=dict)
    page_urls: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.objects[name]

    def canary(self, name: str, text: str, may_see: str, what: str) -> str:
        self.canaries[name] = Canary(text=text, may_see=frozenset(may_see.split()), what=what)
        return text


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def build_world(
    *,
    member_factory,
    cafe_factory,
    supplier_factory,
    professional_factory,
    staff_member,
    geography,
) -> World:
    from wagtail.documents.models import Document
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    from comptoir.models import StandardPage
    from comptoir.services import site_tree_ensure
    from directory.models import Commune, PopulationBand, Visibility
    from directory.text import fold
    from events.models import Registration, SessionStatus
    from events.services.feeds import calendar_feed_renew
    from events.services.registrations import registration_cancel, registration_create
    from events.services.sessions import session_create, training_create
    from network.models import ChannelKind, MembershipStatus
    from network.services.channels import (
        channel_create,
        direct_conversation_open,
        message_post,
        message_report,
        region_channel_ensure,
    )
    from network.services.ideas import (
        idea_comment_post,
        idea_enter_on_behalf,
        idea_hide,
        idea_post,
        idea_report,
    )
    from network.services.projects import invitation_create, project_create
    from programme.models import Cohort
    from programme.services import (
        action_save,
        application_accept,
        application_refuse,
        application_save,
        application_send,
        diagnostic_save,
        follow_up_record,
    )
    from resources.models import ResourceCategoryPage
    from resources.services import (
        contribution_submit,
        library_ensure,
        resource_create,
        resource_file_add,
    )

    world = World()
    home = site_tree_ensure()
    today = timezone.localdate()
    now = timezone.now()

    # --- People ------------------------------------------------------------------------------
    make = member_factory
    manager = make(role=Role.MANAGER, first_name="Gaëlle", last_name="Gérante")
    manager_b = make(role=Role.MANAGER, first_name="Bruno", last_name="Gérant")
    professional = make(role=Role.PROFESSIONAL, first_name="Paula", last_name="Pro")
    coach = make(role=Role.PROFESSIONAL, first_name="Karim", last_name="Coach")
    coach_b = make(role=Role.PROFESSIONAL, first_name="Inès", last_name="Coach")
    supplier = make(
        role=Role.SUPPLIER,
        first_name="Fanny",
        last_name="Fournisseuse",
        email=world.canary(
            "supplier_account_email",
            "canari.compte.fanny@exemple.fr",
            "supplier trainer staff",
            "a member's own e-mail address, shown to the trainers of her session",
        ),
    )
    trainer = make(
        role=Role.PROFESSIONAL, is_trainer=True, first_name="Théo", last_name="Formateur"
    )
    other_trainer = make(
        role=Role.PROFESSIONAL, is_trainer=True, first_name="Olga", last_name="Formatrice"
    )
    staff = staff_member
    pending = make(role=Role.MANAGER, status=MembershipStatus.PENDING)

    # Communes the programme rules accept (villages under 3,500 inhabitants).
    lhuis = Commune.objects.create(
        insee_code="01216",
        name="Lhuis",
        departement_id="01",
        population=900,
        population_band=PopulationBand.for_population(900),
        postal_codes="01680",
        search_name=fold("Lhuis"),
    )
    geography["Lhuis"] = lhuis

    cafe_a_phone = world.canary(
        "cafe_a_phone", "0677665544", "manager staff", "café A's phone, shown to staff only"
    )
    cafe_a = cafe_factory(
        name="Café A",
        commune="Lhuis",
        managers=[manager],
        phone=cafe_a_phone,
        phone_visibility=Visibility.STAFF,
        is_last_cafe=True,
    )
    cafe_b = cafe_factory(
        name="Café B", commune="Sulignat", managers=[manager_b], is_last_cafe=True
    )
    # Closed: it stays on record for its managers and staff but leaves the directory.
    cafe_closed = cafe_factory(name="Café fermé", managers=[manager_b], is_active=False)
    cafe_c = cafe_factory(
        name="Café C", commune="Lagrasse", managers=[manager_b], is_last_cafe=True
    )
    resident_a = make(
        role=Role.RESIDENT,
        resident_cafe=cafe_a,
        first_name="Alice",
        last_name="Habitante",
        email=world.canary(
            "resident_email",
            "canari.alice@exemple.fr",
            "resident_a staff",
            "a resident's e-mail address",
        ),
    )
    resident_a2 = make(
        role=Role.RESIDENT, resident_cafe=cafe_a, first_name="Aimé", last_name="Habitant"
    )
    resident_b = make(
        role=Role.RESIDENT, resident_cafe=cafe_b, first_name="Basile", last_name="Habitant"
    )

    world.members = {
        "anonymous": None,
        "pending": pending,
        "resident_a": resident_a,
        "resident_b": resident_b,
        "manager": manager,
        "professional": professional,
        "coach": coach,
        "supplier": supplier,
        "trainer": trainer,
        "staff": staff,
    }
    world.objects.update(
        manager_b=manager_b,
        coach_b=coach_b,
        other_trainer=other_trainer,
        resident_a2=resident_a2,
        cafe_a=cafe_a,
        cafe_b=cafe_b,
        cafe_c=cafe_c,
        cafe_closed=cafe_closed,
    )

    # --- Directory ---------------------------------------------------------------------------
    supplier_phone = world.canary(
        "supplier_phone", "0699887766", "supplier staff", "a supplier's phone, for staff only"
    )
    supplier_email = world.canary(
        "supplier_email",
        "canari.fournisseuse@exemple.fr",
        "supplier staff",
        "a supplier's e-mail, for staff only",
    )
    world.objects["supplier_entry"] = supplier_factory(
        name="Boissons Fanny",
        member=supplier,
        phone=supplier_phone,
        phone_visibility=Visibility.STAFF,
        email=supplier_email,
        email_visibility=Visibility.STAFF,
    )
    world.objects["professional_entry"] = professional_factory(
        name="Paula Conseil", member=professional
    )
    # Proposed by the supplier, not validated yet: its proposer and staff see it.
    from directory.services import professional_save

    world.objects["proposed_entry"] = professional_save(
        actor=supplier, fields={"name": "Comptable proposé", "commune": geography["Sulignat"]}
    )
    from directory.services import manager_profile_save

    world.objects["manager_profile"] = manager_profile_save(
        actor=manager, member=manager, fields={"can_share": "La tenue de caisse."}
    )
    world.objects["manager_b_profile"] = manager_profile_save(
        actor=manager_b, member=manager_b, fields={"can_share": "Les animations."}
    )

    # --- Projects ----------------------------------------------------------------------------
    project_a = project_create(
        actor=manager, cafe=cafe_a, title="Projet du café A", description="Un four à pain."
    )
    project_b = project_create(
        actor=manager_b, cafe=cafe_b, title="Projet du café B", description="Une bibliothèque."
    )
    idea_a = idea_post(
        author=resident_a,
        project=project_a,
        title="Idée du café A",
        body=world.canary(
            "idea_a",
            "CANARI-IDEE-A",
            "resident_a manager coach staff",
            "an idea of café A's project",
        ),
    )
    idea_a_by_neighbour = idea_enter_on_behalf(
        actor=manager,
        project=project_a,
        title="Idée saisie pour un voisin",
        body="Un marché le dimanche.",
        resident_name="Voisin",
    )
    idea_report(
        reporter=resident_a,
        idea=idea_a_by_neighbour,
        reason=world.canary(
            "idea_report",
            "CANARI-SIGNALEMENT-IDEE",
            "manager staff",
            "a resident's report of an idea",
        ),
    )
    hidden_idea = idea_post(
        author=resident_a2,
        project=project_a,
        title="Idée masquée",
        body=world.canary(
            "hidden_idea", "CANARI-IDEE-MASQUEE", "manager staff", "an idea hidden by moderation"
        ),
    )
    idea_hide(actor=manager, idea=hidden_idea, reason="Hors sujet")
    comment_a = idea_comment_post(author=manager, idea=idea_a, body="Bonne idée, on en parle.")
    idea_b = idea_post(
        author=resident_b,
        project=project_b,
        title="Idée du café B",
        body=world.canary(
            "idea_b", "CANARI-IDEE-B", "resident_b staff", "an idea of café B's project"
        ),
    )
    comment_b = idea_comment_post(author=manager_b, idea=idea_b, body="Merci pour l'idée.")
    invitation_a = invitation_create(actor=manager, cafe=cafe_a)
    invitation_b = invitation_create(actor=manager_b, cafe=cafe_b)
    world.canary(
        "invitation_token",
        invitation_a.token,
        "manager staff",
        "the secret of café A's invitation link",
    )
    world.objects.update(
        project_a=project_a,
        project_b=project_b,
        idea_a=idea_a,
        idea_b=idea_b,
        hidden_idea=hidden_idea,
        comment_a=comment_a,
        comment_b=comment_b,
        invitation_a=invitation_a,
        invitation_b=invitation_b,
    )

    # --- Programme ---------------------------------------------------------------------------
    cohort = Cohort.objects.create(
        name="Cohorte",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=330),
    )
    fields = {
        "current_operation": "Ouvert six jours sur sept.",
        "needs": ["new_services"],
        "needs_details": "Un relais colis.",
        "declares_last_cafe": True,
        "declares_dedicated_space": True,
        "explanation": "Nous appliquons malgré tout.",
    }
    refused = application_send(
        applicant=manager,
        application=application_save(applicant=manager, cafe=cafe_a, commune=lhuis, fields=fields),
    )
    application_refuse(
        actor=staff,
        application=refused,
        reason=world.canary(
            "refusal", "CANARI-REFUS", "manager staff", "the reason an application was refused"
        ),
    )
    accepted = application_send(
        applicant=manager,
        application=application_save(
            applicant=manager,
            cafe=cafe_a,
            commune=lhuis,
            fields={
                **fields,
                "needs_details": world.canary(
                    "application",
                    "CANARI-CANDIDATURE",
                    "manager staff",
                    "what a manager wrote in their application",
                ),
            },
        ),
    )
    file_a = application_accept(actor=staff, application=accepted, coach=coach, cohort=cohort)
    application_b = application_send(
        applicant=manager_b,
        application=application_save(
            applicant=manager_b, cafe=cafe_b, commune=geography["Sulignat"], fields=fields
        ),
    )
    file_b = application_accept(
        actor=staff, application=application_b, coach=coach_b, cohort=cohort
    )
    sent_c = application_send(
        applicant=manager_b,
        application=application_save(
            applicant=manager_b, cafe=cafe_c, commune=geography["Lagrasse"], fields=fields
        ),
    )
    diagnostic_save(
        actor=coach,
        support_file=file_a,
        fields={
            "carried_out_on": today - timedelta(days=10),
            "weaknesses": world.canary(
                "diagnostic",
                "CANARI-DIAGNOSTIC",
                "manager coach staff",
                "the weaknesses a coach noted in a café's diagnostic",
            ),
        },
    )
    action_a = action_save(
        actor=coach,
        support_file=file_a,
        fields={
            "title": "Installer le relais colis",
            "category": "new_services",
            "owner": manager,
            "due_on": today + timedelta(days=30),
        },
    )
    action_b = action_save(
        actor=coach_b,
        support_file=file_b,
        fields={
            "title": "Ouvrir une bibliothèque",
            "category": "new_services",
            "owner": manager_b,
            "due_on": today + timedelta(days=30),
        },
    )
    follow_up_record(
        actor=coach,
        support_file=file_a,
        fields={
            "kind": "visit",
            "happened_on": today - timedelta(days=3),
            "people": "Gaëlle, Karim",
            "notes": world.canary(
                "follow_up", "CANARI-VISITE", "manager coach staff", "the notes of a coach's visit"
            ),
        },
    )
    world.objects.update(
        refused_application=refused,
        application_a=accepted,
        application_b=application_b,
        application_c=sent_c,
        file_a=file_a,
        file_b=file_b,
        action_a=action_a,
        action_b=action_b,
    )

    # --- Channels ----------------------------------------------------------------------------
    topic = channel_create(actor=staff, kind=ChannelKind.TOPIC, name="Entraide")
    region = region_channel_ensure(region=cafe_a.commune.departement.region)
    private = channel_create(
        actor=staff, kind=ChannelKind.PRIVATE, name="Groupe restreint", members=[professional]
    )
    dm = direct_conversation_open(member=manager, other=supplier)
    topic_message, _ = message_post(author=supplier, channel=topic, body="Bonjour à tous !")
    message_report(
        reporter=professional,
        message=topic_message,
        reason=world.canary(
            "message_report",
            "CANARI-SIGNALEMENT-MESSAGE",
            "professional staff",
            "why a member reported a message",
        ),
    )
    region_message, _ = message_post(author=manager, channel=region, body="Salut la région.")
    private_message, _ = message_post(
        author=staff,
        channel=private,
        body=world.canary(
            "private_channel",
            "CANARI-CANAL-PRIVE",
            "professional staff",
            "a message of a private channel",
        ),
    )
    dm_message, _ = message_post(
        author=manager,
        channel=dm,
        body=world.canary(
            "direct", "CANARI-CONVERSATION", "manager supplier", "a direct conversation"
        ),
    )
    project_message, _ = message_post(
        author=resident_a,
        channel=project_a.channel,
        body=world.canary(
            "project_channel",
            "CANARI-CANAL-PROJET-A",
            "resident_a manager coach staff",
            "a message of café A's project channel",
        ),
    )
    project_b_message, _ = message_post(
        author=resident_b, channel=project_b.channel, body="Bonjour le café B."
    )
    world.objects.update(
        topic=topic,
        region=region,
        private=private,
        dm=dm,
        project_channel_a=project_a.channel,
        project_channel_b=project_b.channel,
        topic_message=topic_message,
        region_message=region_message,
        private_message=private_message,
        dm_message=dm_message,
        project_message=project_message,
        project_b_message=project_b_message,
    )

    # --- Trainings ---------------------------------------------------------------------------
    training_1 = training_create(actor=trainer, title="Tenir sa trésorerie")
    training_2 = training_create(actor=other_trainer, title="Hygiène en cuisine")
    starts = now + timedelta(days=14)
    session_1 = session_create(
        actor=trainer,
        training=training_1,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        is_online=True,
        online_link=world.canary(
            "online_link",
            "https://visio.exemple.fr/CANARI-VISIO",
            "supplier trainer staff",
            "the link of an online session, for its participants",
        ),
        capacity=1,
        status=SessionStatus.OPEN,
    )
    session_2 = session_create(
        actor=other_trainer,
        training=training_2,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Salle des fêtes",
        commune=geography["Sulignat"],
        capacity=10,
        status=SessionStatus.OPEN,
    )
    draft_session = session_create(
        actor=trainer,
        training=training_1,
        starts_at=starts + timedelta(days=7),
        ends_at=starts + timedelta(days=7, hours=3),
        place="Mairie",
        capacity=10,
        status=SessionStatus.DRAFT,
    )
    registration = registration_create(member=supplier, session=session_1, cafe=None)
    # The session is full: the coach waits for a place; the professional gave theirs up. Neither
    # is shown the link.
    registration_create(member=coach, session=session_1)
    registration_cancel(
        registration=registration_create(member=professional, session=session_1),
        actor=professional,
    )
    registration_2 = registration_create(member=manager, session=session_2, cafe=cafe_a)
    # Presence recorded, so that an attestation exists.
    Registration.objects.filter(pk=registration.pk).update(attended=True, checked_in_at=now)
    feed = calendar_feed_renew(member=supplier)
    world.canary("feed_token", feed.token, "supplier", "the secret of a member's calendar feed")
    world.objects.update(
        training_1=training_1,
        training_2=training_2,
        session_1=session_1,
        session_2=session_2,
        draft_session=draft_session,
        registration=registration,
        registration_2=registration_2,
        feed=feed,
    )

    # --- Library -----------------------------------------------------------------------------
    library = library_ensure()
    category = ResourceCategoryPage.objects.get(slug="gestion-et-comptabilite")
    resource = resource_create(
        category=category,
        title="Tableau de trésorerie",
        summary="Suivre ses entrées et sorties.",
        resource_type="spreadsheet",
    )
    published_file = resource_file_add(
        actor=staff,
        page=resource,
        title="Modèle",
        upload=SimpleUploadedFile("modele.txt", b"Colonnes: date, montant", "text/plain"),
    )
    contribution = contribution_submit(
        contributor=professional,
        category=category,
        title="Ma fiche de caisse",
        summary=world.canary(
            "draft_resource",
            "CANARI-BROUILLON",
            "professional staff",
            "a resource proposed by a member, in review",
        ),
        resource_type="template",
        uploads=[SimpleUploadedFile("caisse.txt", b"Fond de caisse", "text/plain")],
    )
    draft = contribution.page
    draft_file = draft.files.first()
    world.objects.update(
        library=library,
        category=category,
        resource=resource,
        published_file=published_file,
        draft=draft,
        draft_file=draft_file,
    )

    # --- Wagtail pages, documents, uploads ---------------------------------------------------
    protected = home.add_child(
        instance=StandardPage(title="Espace protégé", slug="espace-protege", intro="Protégé.")
    )
    page_restriction = PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    private_collection = Collection.get_first_root_node().add_child(name="Documents protégés")
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="secret",
    )
    document = Document(title="Charte du réseau")
    document.file.save("charte.txt", ContentFile(b"Charte du reseau"), save=False)
    document.save()
    world.objects.update(
        home=home,
        protected=protected,
        page_restriction=page_restriction,
        collection_restriction=collection_restriction,
        document=document,
    )
    from django.core.files.storage import default_storage

    world.objects["media_path"] = default_storage.save("projets/affiche.png", ContentFile(_png()))

    # Every live page of the tree, named "<type>/<slug>" (the matrix states a rule per type).
    from wagtail.models import Page

    world.page_urls = {
        f"{type(page).__name__}/{page.slug}": page.url
        for page in Page.objects.live().filter(depth__gt=1).specific()
    }
    # A resource in review has no public page yet: its path answers 404 to everyone.
    world.page_urls["draft resource"] = f"{category.url}{draft.slug}/"

    # --- Account secrets (allauth) -----------------------------------------------------------
    from allauth.account.forms import default_token_generator
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC
    from allauth.account.utils import user_pk_to_url_str

    unconfirmed = make(role=Role.MANAGER, verified=False)
    world.objects["email_key"] = EmailConfirmationHMAC(
        EmailAddress.objects.get(user=unconfirmed)
    ).key
    world.objects["reset_uid"] = user_pk_to_url_str(unconfirmed)
    world.objects["reset_key"] = default_token_generator.make_token(unconfirmed)
    return world
