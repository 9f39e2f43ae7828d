"""On PostgreSQL, an attempt's paper is compressed with LZ4 (a start writes
some 30 KB of frozen questions for an 80-question exam)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL storage setting"
)
def test_the_papers_columns_are_compressed_with_lz4():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute "
            "WHERE attrelid = 'exams_attemptpaper'::regclass AND attnum > 0 "
            "AND NOT attisdropped AND atttypid = 'jsonb'::regtype ORDER BY attname"
        )
        columns = dict(cursor.fetchall())
    assert sorted(columns) == [
        "answered_at",
        "flags",
        "points",
        "questions",
        "responses",
    ]
    assert set(columns.values()) == {"l"}
