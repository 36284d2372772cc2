"""Staff create and close cohorts in the Wagtail admin (Snippets > Cohorts)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Cohort


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    add_to_admin_menu = True
    menu_order = 160
    list_display = ["name", "starts_on", "ends_on", "target_size", "is_open"]


register_snippet(CohortViewSet)
