"""Make a new issuer key for credentials: it signs from now on; the old keys stay
published so credentials they signed keep verifying."""

from django.core.management.base import BaseCommand

from certificates.credentials import keys


class Command(BaseCommand):
    help = "Make a new Ed25519 key that signs credentials from now on."

    def handle(self, *args, **options):
        key = keys.new_key()
        published = len(keys.published_keys())
        self.stdout.write(
            f"New signing key {key.kid} ({key.name}); {published} key(s) published."
        )
