"""Keep every visitor's page in the cache now (after a deploy, or after the cache
was emptied), on the hosts visitors used and the Wagtail sites' own, or on the
hosts given."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Render every visitor's page once so that the first visitor gets a kept copy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--host",
            action="append",
            dest="hosts",
            help="a host visitors use, with its port if not 80 or 443 (repeatable)",
        )

    def handle(self, *args, hosts=None, **options):
        from lms.page_cache import warm

        done = warm(hosts)
        for host, outcomes in done["hosts"].items():
            self.stdout.write(
                f"{host}: {outcomes['kept']} of {done['addresses']} visitors' "
                f"addresses kept, {outcomes['shown, not kept']} shown but not kept, "
                f"{outcomes['not shown']} not shown to visitors"
            )
        if "stopped" in done:
            self.stdout.write(f"stopped early: {done['stopped']}")
