from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lms.loading import ContentInvalid, load_content


class Command(BaseCommand):
    help = (
        "Load the curriculum from PATH (default: content/) into pages and records. "
        "Idempotent; on any invalid file nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="folder to load (default content/)")

    def handle(self, *args, path=None, **options):
        try:
            report = load_content(Path(path).resolve() if path else None)
        except ContentInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(exc.errors)} problem(s) found; nothing was written."
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Content loaded: {report.total('created')} created, "
                f"{report.total('updated')} updated, "
                f"{report.total('unchanged')} unchanged."
            )
        )
