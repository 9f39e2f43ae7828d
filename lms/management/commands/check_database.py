"""Refuse, with a clear message, a database made by an earlier layout of the apps.

The apps' migrations were regenerated before the first release (see CHANGELOG.md):
a development database from before then records migrations that no longer exist,
and ``migrate`` would fail on it half-way. ``make run`` calls this first.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.loader import MigrationLoader

PROJECT_APPS = {
    "accounts",
    "lms",
    "courses",
    "classes",
    "onboarding",
    "exams",
    "certificates",
    "reports",
}


def unknown_migrations() -> list[tuple[str, str]]:
    """Migrations of this project's apps recorded in the database but not in the code."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(
        key
        for key in loader.applied_migrations
        if key[0] in PROJECT_APPS and key not in loader.graph.nodes
    )


class Command(BaseCommand):
    help = "Check that the database was made by this layout of the apps."

    def handle(self, *args, **options):
        unknown = unknown_migrations()
        if unknown:
            listed = ", ".join(f"{app}.{name}" for app, name in unknown[:5])
            raise CommandError(
                "This database was made by an earlier version of the project, whose "
                f"migrations no longer exist ({listed}). It holds only demo data: "
                "remove the var/ directory (rm -rf var) and run `make run` again, "
                "or point DATABASE_URL at an empty database."
            )
        self.stdout.write("The database matches this version's migrations.")
