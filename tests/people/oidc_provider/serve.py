"""Run the test OpenID provider: ``python -m tests.people.oidc_provider.serve``.

Reads its set-up from the environment (database file, RSA key, one client and its
redirect URI, people as ``username:password:email:first:last`` separated by
``;``), migrates, then serves on 127.0.0.1 and prints ``ready <port>``.
"""

import os
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.people.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    for entry in filter(None, os.environ["IDP_PEOPLE"].split(";")):
        username, password, email, first, last = entry.split(":")
        User.objects.create_user(
            username, email, password, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Academy",
        client_id=os.environ["IDP_CLIENT_ID"],
        client_secret=os.environ["IDP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["IDP_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
        hash_client_secret=False,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    sys.stdout.write(f"ready {server.server_port}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
