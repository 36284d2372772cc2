from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("sessions/<int:session_id>/", views.session_detail, name="session_detail"),
    path("sessions/<int:session_id>/agenda.ics", views.session_ical, name="session_ical"),
    path(
        "inscriptions/<int:registration_id>/annuler/",
        views.registration_cancel,
        name="registration_cancel",
    ),
]
