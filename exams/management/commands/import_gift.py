from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug

from exams.gift_import import GiftImportError, import_gift
from exams.models import QuestionBank


class Command(BaseCommand):
    help = (
        "Import Moodle GIFT questions from FILE into the question bank whose key is "
        "BANK. Questions are matched by key and updated; on any error nothing is "
        "written."
    )

    def add_arguments(self, parser):
        parser.add_argument("bank", help="the question bank's key")
        parser.add_argument("file", help="a GIFT file, UTF-8 encoded")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, writing nothing",
        )
        parser.add_argument(
            "--create",
            action="store_true",
            help="create the bank if no bank has the key BANK",
        )
        parser.add_argument(
            "--title", help="title of a bank made by --create (default: from BANK)"
        )

    def handle(self, *args, bank, file, dry_run, create, title, **options):
        text = self._read(file)
        question_bank = QuestionBank.objects.filter(key=bank).first()
        if question_bank is None:
            if not create:
                raise CommandError(
                    f"No question bank has the key '{bank}'. Check the key in the "
                    "admin, or add --create --title 'Bank title' to create it."
                )
            try:
                validate_slug(bank)
            except ValidationError as exc:
                raise CommandError(
                    f"'{bank}' cannot be a bank key: use letters, numbers, hyphens "
                    "and underscores."
                ) from exc
            question_bank = QuestionBank(
                key=bank, title=title or bank.replace("-", " ").capitalize()
            )
        try:
            report = import_gift(bank=question_bank, text=text, dry_run=dry_run)
        except GiftImportError as exc:
            for error in exc.errors:
                self.stderr.write(f"{file}:{error.line}: {error.message}")
            raise CommandError(
                f"{len(exc.errors)} problem(s) found; nothing was written."
            ) from exc
        for warning in report.warnings:
            self.stderr.write(f"{file}:{warning.line}: warning: {warning.message}")
        for line in report.count_lines():
            self.stdout.write(f"  {line}")
        summary = (
            f"{len(report.added)} question(s) added, "
            f"{len(report.updated)} updated in bank '{report.bank_key}'"
        )
        if report.dry_run:
            for key in report.added:
                self.stdout.write(f"  would add {key}")
            for key in report.updated:
                self.stdout.write(f"  would update {key}")
            self.stdout.write(f"Dry run, nothing written: {summary} if imported.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported: {summary}; published."))

    def _read(self, file: str) -> str:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.") from exc
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CommandError(
                f"{file}:{line}: the file is not UTF-8 text; save it as UTF-8 and "
                "try again."
            ) from exc
