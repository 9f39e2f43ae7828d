"""``manage.py import_people FILE --as admin@example.com``: the same import as the
admin's "Import people", from the command line. Shows the preview; writes only
with ``--apply`` (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.api import User, is_training_admin
from people.importing import ImportOptions, apply, preview
from people.importing.applying import ImportRefused


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX file (preview, then --apply)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="actor",
            required=True,
            help="The e-mail of the training admin the import is done as.",
        )
        parser.add_argument("--apply", action="store_true", help="Write the import.")
        parser.add_argument(
            "--create-organizations",
            action="store_true",
            help="Create organisations the file names that do not exist yet.",
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="E-mail new people a link to choose their password.",
        )

    def handle(self, *args, file: Path, actor: str, **options):
        person = User.objects.filter(email__iexact=actor, is_active=True).first()
        if person is None or not is_training_admin(person):
            raise CommandError(f"{actor} is not an active training admin.")
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        choices = ImportOptions(
            create_organizations=options["create_organizations"],
            send_invitations=options["invite"],
        )
        data = file.read_bytes()
        plan = preview(data, file.name, choices)
        self._report(plan)
        if plan.problems:
            raise CommandError(
                f"{len(plan.problems)} problem(s): nothing was imported."
            )
        if not options["apply"]:
            self.stdout.write("Preview only: run again with --apply to import.")
            return
        try:
            apply(data, file.name, choices, actor=person)
        except ImportRefused as refused:
            self._report(refused.plan)
            raise CommandError(
                "The data changed meanwhile: nothing was imported."
            ) from None
        self.stdout.write(self.style.SUCCESS("Imported."))

    def _report(self, plan) -> None:
        self.stdout.write(
            f"{plan.created} to create, {plan.updated} to update, "
            f"{plan.unchanged} unchanged"
            + (
                f", {len(plan.duplicates)} duplicate row(s) ignored"
                if plan.duplicates
                else ""
            )
            + (
                f"; new organisations: {', '.join(plan.new_organizations)}"
                if plan.new_organizations
                else ""
            )
        )
        if plan.unknown_headers:
            self.stdout.write(f"Columns left out: {', '.join(plan.unknown_headers)}")
        for problem in plan.problems:
            where = f"line {problem.line}" if problem.line else "file"
            column = f", {problem.column}" if problem.column else ""
            self.stderr.write(f"{where}{column}: {problem.message}")
