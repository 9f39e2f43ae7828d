"""What a save or a submit writes, read from its SQL: the tables each write
statement updates.

On PostgreSQL a counted save is one statement (the attempt's conditional update
with its answers, joined in a ``WITH``); elsewhere the same two updates are two
statements of one transaction.
"""

import re

from django.db import connection

from tests.factories import make_bank, make_exam

_UPDATED = re.compile(r'UPDATE ("\w+")')


def writes(statements: list[str]) -> list[list[str]]:
    """For each statement that writes, the tables it updates, in order."""
    return [
        _UPDATED.findall(sql)
        for sql in statements
        if sql.startswith(("UPDATE", "WITH", "INSERT", "DELETE"))
    ]


def a_save() -> list[list[str]]:
    """``writes`` of a save that counts."""
    if connection.vendor == "postgresql":
        return [['"exams_attempt"', '"exams_attemptpaper"']]
    return [['"exams_attempt"'], ['"exams_attemptpaper"']]


def a_result() -> list[list[str]]:
    """``writes`` of a submit's result: the paper's points and the attempt."""
    if connection.vendor == "postgresql":
        return [['"exams_attemptpaper"', '"exams_attempt"']]
    return [['"exams_attemptpaper"'], ['"exams_attempt"']]


def short_answer_exam(**fields):
    """An exam of 8 short-answer questions, 4 to a page (free navigation)."""
    return make_exam(
        bank=make_bank(questions=8, types=("short_answer",)),
        count=8,
        questions_per_page=4,
        **fields,
    )


def signed_in_sitting(user_factory, questions: int):
    """(the learner's browser, signed in; their attempt) at an exam of
    ``questions`` short answers, ten a page."""
    from django.test import Client

    from exams import services

    exam = make_exam(
        bank=make_bank(questions=questions, types=("short_answer",)),
        count=questions,
        questions_per_page=10,
    )
    learner = user_factory()
    attempt = services.start_attempt(user=learner, exam=exam)
    client = Client()
    client.force_login(learner)
    return client, attempt
