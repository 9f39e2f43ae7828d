from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from certificates.services import send_expiry_reminders
from lms.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_accounts
from lms.demo.analytics import seed_analytics
from lms.demo.api_clients import seed_api_client
from lms.demo.assignments import seed_assignments
from lms.demo.classes import seed_classes
from lms.demo.learning import seed_certificates, seed_learning
from lms.demo.onboarding import seed_onboarding
from lms.demo.practical import seed_practical
from lms.demo.provisioning import seed_provisioning
from lms.demo.workflow import seed_review_workflow
from reports.services import refresh_item_analysis


def refresh_demo_item_analyses() -> int:
    """The nightly item analysis, run now so the demo's report has figures."""
    from exams.models import Attempt

    exam_ids = set(
        Attempt.objects.filter(status="graded").values_list("exam_id", flat=True)
    )
    for exam_id in sorted(exam_ids):
        refresh_item_analysis(exam_id=exam_id)
    return len(exam_ids)


class Command(BaseCommand):
    help = "Create the demo accounts and demo data (development settings only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="allow running without DEBUG (for test or staging databases)",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password: it only runs "
                "with development settings (DEBUG on)."
            )
        with transaction.atomic():
            seed_accounts()
            learners = seed_learning()
            certificates = seed_certificates()
            hires = seed_onboarding()
            classes = seed_classes()
            practical = seed_practical()
            analytics = seed_analytics()
            assigned = seed_assignments()
            scim_token = seed_provisioning()
            client_id, client_secret = seed_api_client()
            reminders = send_expiry_reminders()
            analysed = refresh_demo_item_analyses()
            in_review = seed_review_workflow()
        self.stdout.write(
            f"Demo learners added: {learners}; certificates issued: {certificates}; "
            f"hires in cohorts: {hires}; classes: {classes}; "
            f"Expert attempts in practical grading: {practical}; "
            f"report learners: {analytics}; exams analysed: {analysed}; "
            f"assignments: {assigned}; changes waiting for review: {in_review}; "
            f"expiry reminders queued: {reminders} (delivered to var/mail/ by the worker)."
        )
        self.stdout.write(
            "SCIM token of the demo's identity-provider connection (Northwind "
            f"Logistics), shown this once: {scim_token}"
        )
        self.stdout.write(
            f"API client of the demo's support tool, shown this once: "
            f"CLIENT_ID={client_id} CLIENT_SECRET={client_secret}"
        )
        emails = ", ".join(account["email"] for account in DEMO_ACCOUNTS)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo accounts ready: {emails} (password {DEMO_PASSWORD})."
            )
        )
