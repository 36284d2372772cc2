from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .permissions import can_review_members
from .views import privacy

admin_urlpatterns = [
    path("", admin_views.pending_members, name="pending_members"),
    path("<int:member_id>/approve/", admin_views.approve_member, name="approve_member"),
    path("<int:member_id>/refuse/", admin_views.refuse_member, name="refuse_member"),
]


privacy_admin_urlpatterns = [
    path("", privacy.staff_member_list, name="members"),
    path("<int:member_id>/archive/", privacy.staff_member_download, name="download"),
    path("<int:member_id>/effacer/", privacy.staff_member_erase, name="erase"),
]


@hooks.register("register_admin_urls")
def register_membership_review_urls():
    return [path("adhesions/", include((admin_urlpatterns, "network_admin")))]


@hooks.register("register_admin_urls")
def register_privacy_urls():
    return [path("donnees-membres/", include((privacy_admin_urlpatterns, "privacy_admin")))]


class MembershipRequestsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return can_review_members(request.user)


@hooks.register("register_admin_menu_item")
def register_membership_requests_menu_item():
    return MembershipRequestsMenuItem(
        _("Membership requests"),
        reverse("network_admin:pending_members"),
        icon_name="user",
        order=150,
    )


@hooks.register("register_admin_menu_item")
def register_privacy_menu_item():
    return MembershipRequestsMenuItem(
        _("Members' data"),
        reverse("privacy_admin:members"),
        icon_name="lock",
        order=151,
    )
