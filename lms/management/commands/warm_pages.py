"""Keep every visitor's page in the cache now (after every deploy, or after the
cache was emptied), on the hosts visitors used and the site's own, or on the hosts
given. Whatever was kept before (pages, routes, courses' shared parts) is dropped
first: a deploy may render pages differently."""

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
        from courses.api import content_changed
        from lms.page_cache import warm

        # A deploy may render pages differently, or rename what a kept route
        # names: nothing kept before it is used again.
        content_changed()
        done = warm(hosts)
        for host, outcomes in done["hosts"].items():
            self.stdout.write(
                f"{host}: {outcomes['kept']} of {done['addresses']} visitors' "
                f"addresses kept, {outcomes['shown, not kept']} shown but not kept, "
                f"{outcomes['not shown']} not shown to visitors"
            )
        if "stopped" in done:
            self.stdout.write(f"stopped early: {done['stopped']}")
