"""``make bench``: load and speed benchmarks against baselines taken in the same run.

Nothing in the apps imports this package: it is loaded only through
``DJANGO_SETTINGS_MODULE=bench.settings``, which is what exposes the baseline views.
"""
