from django.urls import path

from .views import sessions

app_name = "events"

urlpatterns = [
    path("", sessions.calendar, name="calendar"),
    path("sessions/<int:session_id>/", sessions.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/agenda.ics", sessions.session_ical, name="session_ical"),
    path(
        "inscriptions/<int:registration_id>/annuler/",
        sessions.registration_cancel,
        name="registration_cancel",
    ),
]
