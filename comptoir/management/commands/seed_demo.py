from django.core.management.base import BaseCommand

from comptoir.demo import DEMO_PASSWORD, demo_members_ensure
from comptoir.services import site_tree_ensure
from directory.demo import demo_directory_ensure
from events.demo import demo_trainings_ensure
from network.demo import demo_channels_ensure
from network.demo_projects import demo_projects_ensure
from programme.demo import demo_programme_ensure
from resources.demo import demo_library_ensure


class Command(BaseCommand):
    help = "Create the demo site: public pages and one account per role. Safe to run again."

    def handle(self, *args, **options) -> None:
        site_tree_ensure()
        members = demo_members_ensure()
        demo_directory_ensure(staff=next(m for m in members if m.is_superuser))
        by_email = {member.email: member for member in members}
        demo_trainings_ensure(
            trainer=by_email["pro@comptoir.example"], manager=by_email["gerante@comptoir.example"]
        )
        demo_library_ensure(
            staff=by_email["equipe@comptoir.example"],
            voters=[by_email["gerante@comptoir.example"], by_email["pro@comptoir.example"]],
        )
        demo_programme_ensure(
            staff=by_email["equipe@comptoir.example"],
            manager=by_email["gerante@comptoir.example"],
            coach=by_email["pro@comptoir.example"],
        )
        # After the programme's: the café's coach joins the project channels.
        demo_projects_ensure(
            manager=by_email["gerante@comptoir.example"],
            resident=by_email["habitant@comptoir.example"],
        )
        demo_channels_ensure(
            staff=next(m for m in members if m.is_superuser),
            people={
                "manager": by_email["gerante@comptoir.example"],
                "professional": by_email["pro@comptoir.example"],
                "supplier": by_email["fournisseur@comptoir.example"],
            },
        )
        self.stdout.write(self.style.SUCCESS("Demo site ready. Demo accounts (password for all):"))
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        for member in members:
            self.stdout.write(
                f"  {member.email:<32} {member.get_role_display()} ({member.get_status_display()})"
            )
