import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

application = get_wsgi_application()

# What is loaded by now (modules, settings, apps, models) lives as long as the
# process: frozen, the cyclic garbage collector no longer walks it on every
# full collection, which requests would otherwise pay for.
gc.collect()
gc.freeze()
