from django.urls import path

from .views import channels, moderation

app_name = "network"

urlpatterns = [
    path("", channels.channel_list, name="channels"),
    path("canaux/nouveau/", channels.channel_create, name="channel_create"),
    path("canaux/<int:channel_id>/", channels.channel_detail, name="channel"),
    path("canaux/<int:channel_id>/suite/", channels.channel_poll, name="channel_poll"),
    path("canaux/<int:channel_id>/lu/", channels.channel_read, name="channel_read"),
    path("canaux/<int:channel_id>/rejoindre/", channels.channel_join, name="channel_join"),
    path("canaux/<int:channel_id>/quitter/", channels.channel_leave, name="channel_leave"),
    path("canaux/<int:channel_id>/archiver/", channels.channel_archive, name="channel_archive"),
    path("conversations/<int:member_id>/", channels.conversation_open, name="conversation_open"),
    path("messages/<int:message_id>/modifier/", channels.message_edit, name="message_edit"),
    path("messages/<int:message_id>/supprimer/", channels.message_delete, name="message_delete"),
    path("messages/<int:message_id>/signaler/", moderation.message_report, name="message_report"),
    path("messages/<int:message_id>/masquer/", moderation.message_hide, name="message_hide"),
    path("signalements/", moderation.report_list, name="reports"),
    path("recherche/", moderation.message_search, name="search"),
    path("notifications/", moderation.notification_settings, name="notification_settings"),
]
