from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("compte/", include("allauth.urls")),
    path("adhesion/", views.membership_status, name="membership_status"),
    path("espace/", views.members_home, name="members_home"),
    path("espace/mes-donnees/", include("network.privacy_urls")),
    path("annuaire/", include("directory.urls")),
    path("formations/", include("events.urls")),
    path("reseau/", include("network.urls")),
    path("projets/", include("network.project_urls")),
    path("ressources/", include("resources.urls")),
    path("accompagnement/", include("programme.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    ]

# Wagtail's page tree comes last: it answers every path left.
urlpatterns += [path("", include(wagtail_urls))]
