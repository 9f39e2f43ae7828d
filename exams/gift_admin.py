"""The Wagtail admin page that uploads a GIFT file into a question bank."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem

from accounts.api import BoundedModelChoiceField

from .gift_import import GiftImportError, import_gift
from .models import QuestionBank

PERMISSION = "exams.change_questionbank"
MAX_UPLOAD_BYTES = 1024 * 1024
EXTENSIONS = (".gift", ".txt")
URL_NAME = "exams_gift_import"


class GiftUploadForm(forms.Form):
    """Bank, file and dry-run choice; a valid ``gift_file`` is the decoded text."""

    bank = BoundedModelChoiceField(
        queryset=QuestionBank.objects.order_by("title"),
        label=_("Question bank"),
    )
    gift_file = forms.FileField(
        label=_("GIFT file"),
        help_text=_("A .gift or .txt file saved as UTF-8, at most 1 MB."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and show what would change, import nothing"),
        required=False,
        initial=True,
    )

    def clean_gift_file(self) -> str:
        upload = self.cleaned_data["gift_file"]
        if Path(upload.name).suffix.lower() not in EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a .gift or .txt file; “%(name)s” is neither."),
                params={"name": upload.name},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 1 MB. Split it into parts."),
                params={"size": filesizeformat(upload.size)},
            )
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise forms.ValidationError(
                _(
                    "The file is not UTF-8 text (first bad byte on line %(line)s). "
                    "Save it as UTF-8 and upload it again."
                ),
                params={"line": line},
            ) from exc


@require_http_methods(["GET", "POST"])
def gift_upload(request):
    """Upload a GIFT file: show the dry-run report, the errors, or the import.

    Without ``exams.change_questionbank`` the answer is a plain 403: raising
    ``PermissionDenied`` here would become Wagtail's redirect to the dashboard.
    """
    if not request.user.has_perm(PERMISSION):
        return permission_denied(request, PermissionDenied())
    report = bank = None
    errors = []
    if request.method == "POST":
        form = GiftUploadForm(request.POST, request.FILES)
        if form.is_valid():
            bank = form.cleaned_data["bank"]
            try:
                report = import_gift(
                    bank=bank,
                    text=form.cleaned_data["gift_file"],
                    dry_run=form.cleaned_data["dry_run"],
                    acting_user=request.user,
                )
            except GiftImportError as exc:
                errors = exc.errors
                messages.error(
                    request,
                    ngettext(
                        "The file has %(count)d problem; nothing was imported.",
                        "The file has %(count)d problems; nothing was imported.",
                        len(errors),
                    )
                    % {"count": len(errors)},
                )
            else:
                if not report.dry_run:
                    messages.success(
                        request,
                        _(
                            "Imported into “%(bank)s” and published: %(added)d "
                            "question(s) added, %(updated)d updated."
                        )
                        % {
                            "bank": bank,
                            "added": len(report.added),
                            "updated": len(report.updated),
                        },
                    )
    else:
        form = GiftUploadForm()
    return render(
        request,
        "exams/gift_upload.html",
        {"form": form, "bank": bank, "report": report, "errors": errors},
    )


class GiftImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


def admin_urls() -> list:
    return [path("exams/gift-import/", gift_upload, name=URL_NAME)]


def menu_item() -> MenuItem:
    return GiftImportMenuItem(
        _("Import GIFT questions"),
        reverse_lazy(URL_NAME),
        icon_name="upload",
        order=310,
    )
