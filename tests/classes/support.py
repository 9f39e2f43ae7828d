"""Helpers the tests here share."""

from __future__ import annotations

from django.urls import reverse

from classes import services as services

MEETING = "https://meet.example.com/secret-room"


RECORDING = "https://video.example.com/recording-42"


def detail_url(session) -> str:
    return reverse("classes:detail", args=[session.pk])


def book_url(session) -> str:
    return reverse("classes:book", args=[session.pk])


def cancel_url(session) -> str:
    return reverse("classes:cancel", args=[session.pk])
