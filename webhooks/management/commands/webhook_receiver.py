"""``manage.py webhook_receiver [--port 9000] [--secret whsec_…]``: a receiver on
127.0.0.1 that prints each delivery and whether its signature verifies."""

import json
import signal
import threading

from django.core.management.base import BaseCommand

from webhooks.receiver import LocalReceiver


class Command(BaseCommand):
    help = "Receive webhooks on 127.0.0.1 and print them (development)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=9000)
        parser.add_argument("--secret", default="", help="the subscription's secret")

    def handle(self, *args, port, secret, **options):
        def show(entry):
            mark = (
                "signature ok" if entry["verified"] else "signature NOT checked/valid"
            )
            self.stdout.write(
                f"{entry['headers'].get('webhook-id')} {mark}\n"
                + json.dumps(entry["payload"], indent=2)
            )

        receiver = LocalReceiver(secret, port=port, on_receive=show).start()
        self.stdout.write(f"Receiving webhooks at {receiver.url} (Ctrl-C stops).")
        stop = threading.Event()
        signal.signal(signal.SIGINT, lambda *a: stop.set())
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        stop.wait()
        receiver.close()
