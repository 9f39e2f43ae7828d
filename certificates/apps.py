from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses.api import register_credential_provider
        from exams.api import register_eligibility_check

        from . import held, receivers
        from .selectors import experience_attestation_missing, held_level_codes

        receivers.connect()
        held.connect()
        # A valid certification can stand in for a prerequisite course.
        register_credential_provider(held_level_codes)
        # An exam may ask for approved experience before it starts.
        register_eligibility_check(experience_attestation_missing)
