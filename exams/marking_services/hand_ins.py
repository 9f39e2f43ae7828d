"""Hand-ins: a candidate's files for a practical task, checked for type, content and size, kept in private storage."""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import grading
from ..models import (
    Attempt,
    AttemptFile,
    AttemptQuestion,
)
from .common import GradingError

# The first bytes a file of each type starts with; text types must decode as UTF-8.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".zip": (b"PK\x03\x04",),
}
TEXT_TYPES = {".txt", ".log", ".md", ".csv", ".json", ".yaml", ".yml", ".conf"}


# --- hand-ins ----------------------------------------------------------------------------


def _practical_question(attempt: Attempt, position: int) -> AttemptQuestion:
    served = attempt.served_questions([position])
    question = served[0] if served else None
    if question is None or question.qtype not in grading.MANUAL_TYPES:
        raise GradingError(_("That question does not take files."))
    if not question.snapshot["public"].get("accepts_files"):
        raise GradingError(_("This task takes a written answer, not files."))
    return question


def _read_limited(upload, limit: int) -> bytes:
    """The upload's bytes, stopping one byte past ``limit`` (sizes can lie)."""
    chunks, total = [], 0
    for chunk in upload.chunks():
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            break
    return b"".join(chunks)


def _content_matches(suffix: str, data: bytes) -> bool:
    if suffix in SIGNATURES:
        return data.startswith(SIGNATURES[suffix])
    if suffix in TEXT_TYPES:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return True


def upload_hand_in(*, attempt: Attempt, position: int, upload, now=None) -> AttemptFile:
    """Keep one file a candidate hands in for the practical task at ``position``.

    Refused with :class:`GradingError` (and nothing stored) when the task takes no
    files, the name's type is not accepted, the content does not match the type,
    the file is empty or larger than the task allows, the task already has its
    most files, or the attempt no longer accepts answers (the deadline applies to
    hand-ins as to every answer). The attempt row is locked, so a hand-in and a
    submit never interleave.
    """
    now = now or timezone.now()
    question = _practical_question(attempt, position)
    public = question.snapshot["public"]
    name = PurePosixPath(str(upload.name or "").replace("\\", "/")).name[:200]
    suffix = PurePosixPath(name).suffix.lower()
    accepted = public.get("file_types") or []
    if not name or suffix not in accepted:
        raise GradingError(
            _("“%(name)s” is not an accepted file type. Accepted: %(types)s.")
            % {"name": name or _("The file"), "types": ", ".join(accepted)}
        )
    limit = int(public["max_file_mb"]) * 1024 * 1024
    too_big = _("“%(name)s” is larger than the %(mb)s MB limit.") % {
        "name": name,
        "mb": public["max_file_mb"],
    }
    if upload.size is not None and upload.size > limit:
        raise GradingError(too_big)
    data = _read_limited(upload, limit)
    if len(data) > limit:
        raise GradingError(too_big)
    if not data:
        raise GradingError(_("“%(name)s” is empty.") % {"name": name})
    if not _content_matches(suffix, data):
        raise GradingError(
            _("“%(name)s” does not contain what a %(type)s file should.")
            % {"name": name, "type": suffix}
        )
    record = AttemptFile(
        attempt=attempt,
        position=question.position,
        original_name=name,
        content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now,
    )
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.accepts_answers(now):
            raise GradingError(
                _(
                    "Time is up: the file was not handed in. What you saved before counts."
                )
            )
        held = AttemptFile.objects.filter(attempt=attempt, position=question.position)
        if held.count() >= public["max_files"]:
            raise GradingError(
                _("This task takes at most %(n)s files: remove one first.")
                % {"n": public["max_files"]}
            )
        record.file.save(name, ContentFile(data), save=False)
        try:
            with transaction.atomic():
                record.save()
        except Exception:
            # No row, no file: a failed hand-in leaves nothing behind.
            record.file.delete(save=False)
            raise
    return record


def remove_hand_in(*, attempt: Attempt, file_id: int, now=None) -> None:
    """Remove a handed-in file while the attempt still accepts answers."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if not locked.accepts_answers(now):
            raise GradingError(_("Time is up: hand-ins can no longer change."))
        record = AttemptFile.objects.filter(pk=file_id, attempt=attempt).first()
        if record is None:
            raise GradingError(_("That file is not part of this attempt."))
        name, storage = record.file.name, record.file.storage
        record.delete()
        transaction.on_commit(lambda: storage.delete(name))
