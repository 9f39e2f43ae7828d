"""Records about people (attempts, bookings, audit events…) are no longer in
Wagtail's reference index (see ``accounts.records.PersonRecord``): the rows
written for them before are removed, so no page or snippet lists them as usage."""

from django.db import migrations

RECORDS = [
    ("accounts", "auditevent"),
    ("certificates", "certificate"),
    ("certificates", "experienceattestation"),
    ("certificates", "externalcertification"),
    ("classes", "booking"),
    ("classes", "onsitetrainingrequest"),
    ("courses", "prerequisiteexemption"),
    ("exams", "accommodation"),
    ("exams", "attempt"),
    ("exams", "marking"),
    ("onboarding", "cohortmember"),
]


def forget_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    types = [
        pk
        for app_label, model in RECORDS
        for pk in ContentType.objects.filter(
            app_label=app_label, model=model
        ).values_list("pk", flat=True)
    ]
    ReferenceIndex.objects.filter(base_content_type_id__in=types).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_home_headline"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0008_outbound_email_unsent_index"),
        ("certificates", "0006_holder_erased_on"),
        ("classes", "0003_role_permissions"),
        ("courses", "0004_ticked_choices"),
        ("exams", "0004_lesson_naming"),
        ("onboarding", "0003_lesson_naming"),
    ]

    operations = [migrations.RunPython(forget_records, migrations.RunPython.noop)]
