"""The question rows are gone: every attempt keeps its questions in its paper."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0008_attempt_paper_data"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="attemptfile",
            name="question",
        ),
        migrations.AlterField(
            model_name="attemptfile",
            name="attempt",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="files",
                to="exams.attempt",
            ),
        ),
        migrations.AddIndex(
            model_name="attemptfile",
            index=models.Index(
                fields=["attempt", "position"], name="exams_attem_attempt_de9fae_idx"
            ),
        ),
        migrations.DeleteModel(
            name="AttemptQuestion",
        ),
    ]
