"""An attempt's paper is compressed with LZ4 on PostgreSQL 14 and later: a
start writes its frozen questions (some 30 KB of JSON for 80 questions) in
about half the database time of the default compression. Papers written
before keep theirs until they are written again; a server built without LZ4
keeps the default."""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("questions", "responses", "answered_at", "flags", "points")


def _compression(apps, schema_editor, method: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    table = connection.ops.quote_name("exams_attemptpaper")
    alter = ", ".join(
        f"ALTER COLUMN {connection.ops.quote_name(column)} SET COMPRESSION {method}"
        for column in COLUMNS
    )
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute(f"ALTER TABLE {table} {alter}")
    except DatabaseError:
        pass  # built without LZ4: the default stays


def lz4(apps, schema_editor):
    _compression(apps, schema_editor, "lz4")


def default(apps, schema_editor):
    _compression(apps, schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0009_remove_attempt_question"),
    ]

    operations = [migrations.RunPython(lz4, default)]
