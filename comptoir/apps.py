from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComptoirConfig(AppConfig):
    name = "comptoir"
    verbose_name = _("Comptoir site")
