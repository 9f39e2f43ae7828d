"""An attempt's questions and answers move into one row (``AttemptPaper``);
hand-ins name their attempt and the task's position. The data moves in 0008,
the old rows go in 0009 (three migrations, so that no table is altered in the
transaction that rewrites its rows)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0006_attempt_pages_fixed"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttemptPaper",
            fields=[
                (
                    "attempt",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="paper",
                        serialize=False,
                        to="exams.attempt",
                    ),
                ),
                (
                    "questions",
                    models.JSONField(
                        default=list,
                        help_text="The questions drawn, in position order: position, section index and title, the bank question's id and its frozen snapshot.",
                    ),
                ),
                (
                    "responses",
                    models.JSONField(default=dict, help_text="Answers by position."),
                ),
                (
                    "answered_at",
                    models.JSONField(
                        default=dict,
                        help_text="When each position was last answered.",
                    ),
                ),
                (
                    "flags",
                    models.JSONField(default=dict, help_text="Flags by position."),
                ),
                (
                    "points",
                    models.JSONField(
                        default=dict,
                        help_text="Points by position, set by the grading.",
                    ),
                ),
            ],
            options={
                "verbose_name": "attempt paper",
            },
        ),
        # Nullable while the data moves (and when it moves back).
        migrations.AlterField(
            model_name="attemptfile",
            name="question",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="files",
                to="exams.attemptquestion",
            ),
        ),
        migrations.AddField(
            model_name="attemptfile",
            name="attempt",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="files",
                to="exams.attempt",
            ),
        ),
        migrations.AddField(
            model_name="attemptfile",
            name="position",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="The position of the practical task it answers.",
                verbose_name="task",
            ),
            preserve_default=False,
        ),
    ]
