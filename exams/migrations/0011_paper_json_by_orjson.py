from django.db import migrations

import accounts.json_field


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0010_attempt_paper_lz4"),
    ]

    # The same columns (jsonb, text with a JSON check on SQLite): only the code
    # that dumps and loads them changes, so nothing is run on the database (SQLite
    # would otherwise copy the whole table once per column).
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attemptpaper",
                    name="answered_at",
                    field=accounts.json_field.FastJSONField(
                        default=dict, help_text="When each position was last answered."
                    ),
                ),
                migrations.AlterField(
                    model_name="attemptpaper",
                    name="flags",
                    field=accounts.json_field.FastJSONField(
                        default=dict, help_text="Flags by position."
                    ),
                ),
                migrations.AlterField(
                    model_name="attemptpaper",
                    name="points",
                    field=accounts.json_field.FastJSONField(
                        default=dict,
                        help_text="Points by position, set by the grading.",
                    ),
                ),
                migrations.AlterField(
                    model_name="attemptpaper",
                    name="questions",
                    field=accounts.json_field.FastJSONField(
                        default=list,
                        help_text="The questions drawn, in position order: position, section index and title, the bank question's id and its frozen snapshot.",
                    ),
                ),
                migrations.AlterField(
                    model_name="attemptpaper",
                    name="responses",
                    field=accounts.json_field.FastJSONField(
                        default=dict, help_text="Answers by position."
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
