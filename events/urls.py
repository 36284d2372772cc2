from django.urls import path

from .views import dashboard, manage, member, sessions

app_name = "events"

urlpatterns = [
    # Members: the calendar, a session, their registrations.
    path("", sessions.calendar, name="calendar"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/agenda.ics", sessions.session_ical, name="session_ical"),
    path(
        "inscriptions/<int:registration_id>/annuler/",
        sessions.registration_cancel,
        name="registration_cancel",
    ),
    path("mes-formations/", member.my_trainings, name="my_trainings"),
    path("mes-formations/agenda/renouveler/", member.feed_renew, name="feed_renew"),
    path("mes-formations/agenda/supprimer/", member.feed_revoke, name="feed_revoke"),
    # Read by calendar apps, which send no cookie: the secret token is the credential.
    path("agenda/<str:token>.ics", member.calendar_feed, name="calendar_feed"),
    path(
        "inscriptions/<int:registration_id>/attestation.pdf",
        dashboard.attestation,
        name="attestation",
    ),
    # Trainers (and staff): schedule and run.
    path("animer/", manage.trainer_home, name="trainer_home"),
    path("animer/formations/nouvelle/", manage.training_create, name="training_create"),
    path("animer/formations/<int:training_id>/", manage.training_edit, name="training_edit"),
    path(
        "animer/formations/<int:training_id>/sessions/nouvelle/",
        manage.session_create,
        name="session_create",
    ),
    path("animer/sessions/<int:session_id>/modifier/", manage.session_edit, name="session_edit"),
    path("animer/sessions/<int:session_id>/annuler/", manage.session_cancel, name="session_cancel"),
    path("animer/sessions/<int:session_id>/", dashboard.session_dashboard, name="dashboard"),
    path(
        "animer/sessions/<int:session_id>/participants.csv",
        dashboard.participants_csv,
        name="participants_csv",
    ),
    path(
        "animer/inscriptions/<int:registration_id>/presence/",
        dashboard.attendance_record,
        name="attendance_record",
    ),
]
