"""Trainers (and staff) schedule trainings and sessions from the site, and cancel sessions."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Registration, SessionStatus, Training, TrainingSession
from events.services import registration_create
from events.services.sessions import SessionError, session_update
from network.models import Role


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def local(value) -> str:
    """What a browser's date and time picker sends, in the site's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def trainer(member_factory):
    return member_factory(role=Role.PROFESSIONAL, is_trainer=True, first_name="Aline")


@pytest.fixture
def other_trainer(member_factory):
    return member_factory(role=Role.PROFESSIONAL, is_trainer=True, first_name="Bruno")


@pytest.fixture
def training_of():
    def make(trainer, title="Tenir sa trésorerie"):
        training = Training.objects.create(title=title)
        training.trainers.add(trainer)
        return training

    return make


@pytest.fixture
def session_of():
    def make(training, *, capacity=3, status=SessionStatus.OPEN, starts_in=timedelta(days=10)):
        starts_at = timezone.now() + starts_in
        return TrainingSession.objects.create(
            training=training,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            place="Salle des fêtes",
            capacity=capacity,
            registration_deadline=starts_at,
            status=status,
        )

    return make


def session_data(**overrides) -> dict:
    starts_at = (timezone.now() + timedelta(days=20)).replace(hour=9, minute=0)
    data = {
        "starts_at": local(starts_at),
        "ends_at": local(starts_at + timedelta(hours=3, minutes=30)),
        "mode": "in_person",
        "place": "Café du Centre, 2 place de l'Église",
        "commune": "01400 Sulignat",
        "online_link": "",
        "capacity": "8",
        "registration_deadline": "",
        "status": "open",
    }
    data.update(overrides)
    return data


def data_of(session, **overrides) -> dict:
    data = {
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "mode": "online" if session.is_online else "in_person",
        "place": session.place,
        "commune": "",
        "online_link": session.online_link,
        "capacity": str(session.capacity),
        "registration_deadline": local(session.registration_deadline),
        "status": session.status,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_trainer_creates_a_training_then_a_session_and_sees_them(
    client_for, trainer, other_trainer, manager, geography
):
    client = client_for(trainer)

    response = client.post(
        "/formations/animer/formations/nouvelle/",
        {
            "title": "Tenir sa caisse",
            "description": "Les bases de la caisse.",
            "objectives": "Clôturer une journée sans écart.",
            "audience": "Gérants de café",
            "tags_text": "trésorerie, caisse",
            "trainers": [other_trainer.pk],
        },
    )

    training = Training.objects.get()
    assert response.status_code == 302
    assert set(training.trainers.all()) == {trainer, other_trainer}
    assert sorted(tag.name for tag in training.tags.all()) == ["caisse", "trésorerie"]
    assert "La formation a été enregistrée." in text(client.get(response["Location"]))

    data = session_data()
    response = client.post(f"/formations/animer/formations/{training.pk}/sessions/nouvelle/", data)

    session = TrainingSession.objects.get()
    assert response.status_code == 302
    assert local(session.starts_at) == data["starts_at"]  # read in the site's time zone
    assert session.registration_deadline == session.starts_at  # the default
    assert session.commune == geography["Sulignat"]
    assert session.status == SessionStatus.OPEN
    home = text(client.get("/formations/animer/"))
    assert "Formations que j'anime" in home
    assert "Tenir sa caisse" in home
    assert "Ouverte aux inscriptions" in home
    assert "0 place prise sur 8" in home
    assert "Tenir sa caisse" in text(client_for(manager).get("/formations/"))


@pytest.mark.django_db
def test_a_draft_session_is_seen_by_its_trainers_only(
    client_for, trainer, manager, training_of, session_of
):
    session = session_of(training_of(trainer), status=SessionStatus.DRAFT)

    assert "Brouillon" in text(client_for(trainer).get("/formations/animer/"))
    assert client_for(manager).get(session.get_absolute_url()).status_code == 404
    assert "Tenir sa trésorerie" not in text(client_for(manager).get("/formations/"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.MANAGER, Role.PROFESSIONAL, Role.SUPPLIER])
def test_members_who_run_no_training_are_refused_in_french(
    client_for, member_factory, role, training_of, trainer
):
    client = client_for(member_factory(role=role))
    training = training_of(trainer)

    for url in [
        "/formations/animer/",
        "/formations/animer/formations/nouvelle/",
        f"/formations/animer/formations/{training.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 403
        assert "Vous ne pouvez pas ouvrir cette page" in text(response)
    response = client.post("/formations/animer/formations/nouvelle/", {"title": "Pirate"})
    assert response.status_code == 403
    assert Training.objects.count() == 1


@pytest.mark.django_db
def test_a_trainer_cannot_change_a_colleagues_training_or_session(
    client_for, trainer, other_trainer, training_of, session_of
):
    training = training_of(trainer)
    session = session_of(training)
    intruder = client_for(other_trainer)

    responses = [
        intruder.get(f"/formations/animer/formations/{training.pk}/"),
        intruder.post(
            f"/formations/animer/formations/{training.pk}/",
            {"title": "Détournée", "trainers": []},
        ),
        intruder.post(
            f"/formations/animer/formations/{training.pk}/sessions/nouvelle/", session_data()
        ),
        intruder.post(
            f"/formations/animer/sessions/{session.pk}/modifier/", data_of(session, capacity="50")
        ),
        intruder.post(f"/formations/animer/sessions/{session.pk}/annuler/", {"reason": "Non"}),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert "Vous ne pouvez pas ouvrir cette page" in text(responses[0])
    training.refresh_from_db()
    session.refresh_from_db()
    assert training.title == "Tenir sa trésorerie"
    assert list(training.trainers.all()) == [trainer]
    assert (session.capacity, session.status) == (3, SessionStatus.OPEN)
    assert TrainingSession.objects.count() == 1
    assert "Tenir sa trésorerie" not in text(client_for(other_trainer).get("/formations/animer/"))


@pytest.mark.django_db
def test_staff_edit_anyones_training_and_choose_its_trainers(
    client_for, staff_member, trainer, other_trainer, training_of
):
    training = training_of(trainer)

    page = text(client_for(staff_member).get("/formations/animer/"))
    response = client_for(staff_member).post(
        f"/formations/animer/formations/{training.pk}/",
        {"title": "Trésorerie, niveau 2", "tags_text": "", "trainers": [other_trainer.pk]},
    )

    assert "Tenir sa trésorerie" in page
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.title == "Trésorerie, niveau 2"
    assert list(training.trainers.all()) == [other_trainer]


@pytest.mark.django_db
def test_only_network_trainers_can_be_chosen(client_for, trainer, manager):
    response = client_for(trainer).post(
        "/formations/animer/formations/nouvelle/", {"title": "Caisse", "trainers": [manager.pk]}
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not Training.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: {"ends_at": d["starts_at"]},
            "La session doit se terminer après son début.",
        ),
        (
            lambda d: {"registration_deadline": d["ends_at"]},
            "La date limite d'inscription ne peut pas être postérieure au début de la session.",
        ),
        (
            lambda d: {
                "starts_at": local(timezone.now() - timedelta(days=1)),
                "ends_at": local(timezone.now() - timedelta(hours=20)),
            },
            "La session doit commencer à une date à venir.",
        ),
        (
            lambda d: {"mode": "online", "online_link": ""},
            "Pour une session en ligne, indiquez le lien pour la rejoindre.",
        ),
        (
            lambda d: {"place": "", "commune": ""},
            "Pour une session en présentiel, indiquez le lieu ou la commune.",
        ),
        (lambda d: {"commune": "99999 Nullepart"}, "Aucune commune ne correspond"),
        (lambda d: {"starts_at": "demain matin"}, "Saisissez une date et une heure valides."),
        (lambda d: {"capacity": "0"}, "supérieure ou égale à 1"),
        (lambda d: {"status": "cancelled"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_session_input_is_refused_in_french(
    client_for, trainer, training_of, geography, change, message
):
    training = training_of(trainer)
    data = session_data()
    data.update(change(data))

    response = client_for(trainer).post(
        f"/formations/animer/formations/{training.pk}/sessions/nouvelle/", data
    )

    assert response.status_code == 200
    assert message in text(response)
    assert not TrainingSession.objects.exists()


@pytest.mark.django_db
def test_an_online_session_keeps_its_link_and_no_address(client_for, trainer, training_of):
    training = training_of(trainer)

    client_for(trainer).post(
        f"/formations/animer/formations/{training.pk}/sessions/nouvelle/",
        session_data(mode="online", online_link="https://visio.example/salle", commune=""),
    )

    session = TrainingSession.objects.get()
    assert session.is_online
    assert (session.online_link, session.place) == ("https://visio.example/salle", "")


@pytest.mark.django_db
def test_capacity_below_the_places_taken_is_refused_and_nothing_changes(
    client_for, trainer, member_factory, training_of, session_of
):
    session = session_of(training_of(trainer), capacity=4)
    for _ in range(3):
        registration_create(member=member_factory(), session=session)
    url = f"/formations/animer/sessions/{session.pk}/modifier/"

    response = client_for(trainer).post(
        url, data_of(session, capacity="2", place="Autre salle", status="open")
    )

    assert response.status_code == 200
    assert "3 places sont déjà prises : la capacité ne peut pas être inférieure." in text(response)
    session.refresh_from_db()
    assert (session.capacity, session.place) == (4, "Salle des fêtes")


@pytest.mark.django_db
def test_more_places_promote_the_waiting_list_in_order_and_mail_them(
    client_for,
    trainer,
    member_factory,
    training_of,
    session_of,
    django_capture_on_commit_callbacks,
):
    session = session_of(training_of(trainer), capacity=1)
    first, second, third = (member_factory() for _ in range(3))
    for member in (first, second, third):
        registration_create(member=member, session=session)
    mail.outbox.clear()
    client = client_for(trainer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/formations/animer/sessions/{session.pk}/modifier/", data_of(session, capacity="2")
        )

    assert response.status_code == 302
    statuses = dict(Registration.objects.values_list("member_id", "status"))
    assert statuses == {first.pk: "registered", second.pk: "registered", third.pk: "waiting"}
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Une place s'est libérée" in mail.outbox[0].subject
    page = text(client.get(response["Location"]))
    assert "1 membre de la liste d'attente est désormais inscrit" in page


@pytest.mark.django_db
def test_cancelling_mails_registered_and_waiting_members_once(
    client_for,
    trainer,
    member_factory,
    training_of,
    session_of,
    django_capture_on_commit_callbacks,
):
    session = session_of(training_of(trainer), capacity=1)
    registered, waiting, left = (member_factory() for _ in range(3))
    english = member_factory(language="en")
    for member in (registered, waiting, left, english):
        registration_create(member=member, session=session)
    gone = Registration.objects.get(member=left)
    gone.status = "cancelled"
    gone.save()
    mail.outbox.clear()
    url = f"/formations/animer/sessions/{session.pk}/annuler/"
    client = client_for(trainer)

    confirm = text(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "Le formateur est souffrant."})

    assert "1 membre inscrit" in confirm
    assert "2 membres en liste d'attente" in confirm
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert session.cancelled_at is not None
    assert session.cancellation_reason == "Le formateur est souffrant."
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == sorted([registered.email, waiting.email, english.email])
    french = by_recipient[waiting.email]
    assert "Session annulée : Tenir sa trésorerie" in french.subject
    assert "pour laquelle vous étiez en liste d'attente, a été annulée" in french.body
    assert "Le formateur est souffrant." in french.body
    assert "à laquelle vous étiez inscrit" in by_recipient[registered.email].body
    assert "Session cancelled: Tenir sa trésorerie" in by_recipient[english.email].subject
    assert "has been cancelled" in by_recipient[english.email].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"reason": "Encore"}, follow=True)

    assert "Cette session est déjà annulée." in text(again)
    assert mail.outbox == []
    session.refresh_from_db()
    assert session.cancellation_reason == "Le formateur est souffrant."

    detail = text(client_for(registered).get(session.get_absolute_url()))
    assert "Cette session a été annulée." in detail
    assert "Le formateur est souffrant." in detail


@pytest.mark.django_db
def test_a_cancelled_session_cannot_be_edited(client_for, trainer, training_of, session_of):
    session = session_of(training_of(trainer))
    session.status = SessionStatus.CANCELLED
    session.save()
    url = f"/formations/animer/sessions/{session.pk}/modifier/"

    response = client_for(trainer).post(url, data_of(session, capacity="9"), follow=True)

    assert "Cette session est annulée ou terminée : elle ne peut plus être modifiée." in text(
        response
    )
    session.refresh_from_db()
    assert (session.capacity, session.status) == (3, SessionStatus.CANCELLED)


@pytest.mark.django_db
def test_a_session_with_registrations_cannot_go_back_to_draft(
    client_for, trainer, manager, training_of, session_of
):
    session = session_of(training_of(trainer))
    registration_create(member=manager, session=session)

    response = client_for(trainer).post(
        f"/formations/animer/sessions/{session.pk}/modifier/", data_of(session, status="draft")
    )

    assert "Des membres se sont inscrits : la session ne peut plus repasser en brouillon." in text(
        response
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


@pytest.mark.django_db
def test_the_session_page_offers_its_trainers_to_manage_it(
    client_for, trainer, manager, training_of, session_of
):
    session = session_of(training_of(trainer))

    for_trainer = text(client_for(trainer).get(session.get_absolute_url()))
    for_manager = text(client_for(manager).get(session.get_absolute_url()))

    assert "Vous animez cette session" in for_trainer
    assert f"/formations/animer/sessions/{session.pk}/modifier/" in for_trainer
    assert f"/formations/animer/sessions/{session.pk}/annuler/" in for_trainer
    assert f"/formations/animer/sessions/{session.pk}/" in for_trainer
    assert "/formations/animer/" not in for_manager


@pytest.mark.django_db
def test_the_calendar_says_full_and_links_the_trainers_pages(
    client_for, trainer, manager, member_factory, training_of, session_of
):
    session = session_of(training_of(trainer), capacity=1)
    registration_create(member=member_factory(), session=session)

    for_manager = text(client_for(manager).get("/formations/"))
    for_trainer = text(client_for(trainer).get("/formations/"))

    assert "Complet" in for_manager
    assert "Mes formations" in for_manager
    assert "Formations que j'anime" not in for_manager
    assert "Formations que j'anime" in for_trainer
    assert "Complet" in text(client_for(trainer).get("/formations/animer/"))


@pytest.mark.django_db
def test_the_trainers_page_queries_do_not_grow_with_the_sessions(
    client_for,
    trainer,
    other_trainer,
    member_factory,
    training_of,
    session_of,
    django_assert_max_num_queries,
):
    client = client_for(trainer)
    first = training_of(trainer)
    session_of(first)
    client.get("/formations/animer/")  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get("/formations/animer/")

    for number in range(4):
        training = training_of(trainer, title=f"Formation {number}")
        training.trainers.add(other_trainer)
        training.tags.add("caisse")
        for days in (5, 6, 7):
            session = session_of(training, starts_in=timedelta(days=days))
            registration_create(member=member_factory(), session=session)

    with django_assert_max_num_queries(len(one)):
        page = text(client.get("/formations/animer/"))
    assert page.count("1 place prise sur 3") == 12


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_capacity_cut_racing_registrations_never_overbooks(trainer, member_factory, training_of):
    """Ten registrations race a trainer lowering the places from 10 to 5: whichever wins,
    the registered places never exceed the capacity left."""
    assert connection.vendor == "postgresql"
    training = training_of(trainer)
    starts_at = timezone.now() + timedelta(days=10)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        place="Salle des fêtes",
        capacity=10,
        registration_deadline=starts_at,
        status=SessionStatus.OPEN,
    )
    members = [member_factory() for _ in range(10)]
    start = threading.Barrier(11)

    def register(member):
        start.wait()
        try:
            return registration_create(member=member, session=session).status
        finally:
            connections.close_all()

    def cut():
        start.wait()
        try:
            session_update(
                actor=trainer,
                session=session,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=session.place,
                capacity=5,
                registration_deadline=session.registration_deadline,
                status=SessionStatus.OPEN,
            )
            return "cut"
        except SessionError as error:
            return error.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=11) as pool:
        cutting = pool.submit(cut)
        list(pool.map(register, members))
        outcome = cutting.result()

    session.refresh_from_db()
    registered = Registration.objects.filter(session=session, status="registered").count()
    assert registered <= session.capacity
    assert Registration.objects.filter(session=session).count() == 10
    if outcome == "cut":
        assert (session.capacity, registered) == (5, 5)
    else:
        assert session.capacity == 10
        assert "places sont déjà prises" in outcome


@pytest.mark.django_db
def test_moving_a_session_tells_registered_and_waiting_members_and_resets_reminders(
    client_for,
    trainer,
    member_factory,
    training_of,
    session_of,
    django_capture_on_commit_callbacks,
):
    session = session_of(training_of(trainer), capacity=1)
    registered, waiting = member_factory(), member_factory()
    for member in (registered, waiting):
        registration_create(member=member, session=session)
    Registration.objects.filter(member=registered).update(reminded_day_before_at=timezone.now())
    mail.outbox.clear()
    new_start = (session.starts_at + timedelta(days=2)).replace(hour=8, minute=0)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(trainer).post(
            f"/formations/animer/sessions/{session.pk}/modifier/",
            data_of(
                session,
                starts_at=local(new_start),
                ends_at=local(new_start + timedelta(hours=2)),
                registration_deadline=local(new_start),
                place="Mairie, salle du conseil",
            ),
        )

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([registered.email, waiting.email])
    by_member = {m.to[0]: m for m in mail.outbox}
    moved = by_member[registered.email]
    assert "Session modifiée" in moved.subject
    assert timezone.localtime(new_start).strftime("%H:%M") in moved.body
    assert "Mairie, salle du conseil" in moved.body
    assert "liste d'attente" in by_member[waiting.email].body
    assert Registration.objects.get(member=registered).reminded_day_before_at is None


@pytest.mark.django_db
def test_changing_only_the_capacity_mails_nobody(
    client_for, trainer, member_factory, training_of, session_of, django_capture_on_commit_callbacks
):
    session = session_of(training_of(trainer), capacity=3)
    registration_create(member=member_factory(), session=session)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(trainer).post(
            f"/formations/animer/sessions/{session.pk}/modifier/", data_of(session, capacity="4")
        )

    assert TrainingSession.objects.get(pk=session.pk).capacity == 4
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_trainer_id_too_big_for_the_database_is_an_invalid_choice(client_for, trainer):
    """Found by tests/comptoir/test_form_fuzz.py: an id over 2**63 in the list of trainers was
    a server error on SQLite (OverflowError)."""
    response = client_for(trainer).post(
        "/formations/animer/formations/nouvelle/",
        {"title": "Tenir sa caisse", "trainers": ["99999999999999999999"]},
    )

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in text(response)
    assert not Training.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides",
    [
        {"registration_deadline": "0001-01-01T00:00"},
        {"starts_at": "9999-12-31T20:00", "ends_at": "9999-12-31T23:59"},
    ],
)
def test_a_date_out_of_the_calendar_is_refused_in_french(
    client_for, trainer, training_of, geography, overrides
):
    """Found by tests/comptoir/test_form_fuzz.py: the first day of the calendar, read in the
    site's time zone, cannot be converted to UTC: saving it was a server error."""
    training = training_of(trainer)

    response = client_for(trainer).post(
        f"/formations/animer/formations/{training.pk}/sessions/nouvelle/", session_data(**overrides)
    )

    assert response.status_code == 200
    assert "Saisissez une date entre 2000 et 2100." in text(response)
    assert not TrainingSession.objects.exists()
