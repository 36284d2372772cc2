"""The record of account erasures: who erased which account, when, and why (no personal data:
the erased member is a tombstone by then, and only its id is kept)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberErasure(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased member"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The staff member who erased the account on request; empty when the member did it.
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_member = models.BooleanField(_("erased by the member"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"#{self.member_id} ({self.erased_at:%Y-%m-%d})"
