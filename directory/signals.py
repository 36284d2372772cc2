"""Whatever deletes a profile (a service, an account deletion cascading, the admin), its
search entry goes with it."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Cafe, ManagerProfile, Professional, Supplier


@receiver(post_delete, sender=Cafe)
@receiver(post_delete, sender=ManagerProfile)
@receiver(post_delete, sender=Professional)
@receiver(post_delete, sender=Supplier)
def remove_directory_entry(sender, instance, **kwargs) -> None:
    from .indexing import directory_entry_remove

    directory_entry_remove(instance)
