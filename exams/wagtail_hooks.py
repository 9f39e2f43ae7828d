from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.api import PersonChooserFields, ViewOnlyPolicy

from . import blueprint, services
from .models import Accommodation, Attempt, ExamPage, Marking, QuestionBank


class WarnAboutShortExams:
    """After a bank is published (or unpublished), name the live exams it leaves
    unable to draw their sections, with the counts: learners would be refused at
    "Start the exam"."""

    def run_after_hook(self):
        response = super().run_after_hook()
        if not self.expects_json_response:
            warn_about_short_exams(self.request, self.object)
        return response


def warn_about_short_exams(request, bank) -> None:
    for exam, problems in blueprint.live_exams_short_of_questions(bank_id=bank.pk):
        messages.warning(
            request,
            _("The live exam “%(exam)s” can no longer be started: %(problems)s")
            % {"exam": exam.title, "problems": " ".join(problems)},
        )


class ReturnToNext:
    """A bank opened from somewhere else (a course outline) goes back there once
    saved: ``next`` rides along in the form's address. The outline opens it in a
    dialog, so the admin itself may frame it (the admin's policy already allows
    only its own origin as a frame's parent)."""

    @method_decorator(xframe_options_sameorigin)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def next_url(self):
        return get_valid_next_url_from_request(self.request)

    def get_success_url(self):
        return self.next_url() or super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if (next_url := self.next_url()) and context.get("action_url"):
            context["action_url"] = set_query_params(
                context["action_url"], {"next": next_url}
            )
        return context


class QuestionBankCreateView(
    ReturnToNext, WarnAboutShortExams, snippet_views.CreateView
):
    """A new bank is saved when its author saves it, not by the editor's autosave.

    Autosave on a create form creates the bank, then moves the form to the edit
    address when the answer comes back. A "Publish" clicked while that first
    autosave is in flight still posts to the create address and creates a second
    bank with the same key ("Question bank with this Key already exists", or a
    silent twin once keys are generated). Autosave starts once the bank exists.
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.autosave_enabled = False

    def post(self, request, *args, **kwargs):
        # An autosave from an editor page loaded before this change (or any
        # script) would still create a twin: only an author's save creates.
        if self.expects_json_response:
            return self.json_error_response(
                "not_saved_until_created",
                _("A new bank is saved when you save or publish it."),
            )
        return super().post(request, *args, **kwargs)


class QuestionBankEditView(ReturnToNext, WarnAboutShortExams, snippet_views.EditView):
    pass


class QuestionBankUnpublishView(snippet_views.UnpublishView):
    def unpublish(self):
        response = super().unpublish()
        warn_about_short_exams(self.request, self.object)
        return response


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "help"
    menu_label = _("Question banks")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["title", "key", "live"]
    search_fields = ["title", "key"]
    add_view_class = QuestionBankCreateView
    edit_view_class = QuestionBankEditView
    unpublish_view_class = QuestionBankUnpublishView


register_snippet(QuestionBankViewSet)


class SaveAccommodationThroughService:
    """The admin's accommodation forms save through ``set_accommodation``; what
    it refuses comes back as a form error and nothing is saved."""

    def is_valid(self, form):
        if not super().is_valid(form):
            return False
        data = form.cleaned_data
        try:
            services.check_accommodation(
                user=data["user"],
                set_by=self.request.user,
                extra_time_percent=data["extra_time_percent"] or 0,
                extra_attempts=data["extra_attempts"] or 0,
            )
        except (ValueError, PermissionDenied) as refusal:
            form.add_error(None, refusal.args[0] if refusal.args else str(refusal))
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return False
        return True

    def save_instance(self):
        data = self.form.cleaned_data
        return services.set_accommodation(
            user=data["user"],
            exam=data["exam"],
            set_by=self.request.user,
            extra_time_percent=data["extra_time_percent"],
            extra_attempts=data["extra_attempts"],
            extended_closes_at=data["extended_closes_at"],
            note=data["note"],
        )


class AccommodationCreateView(SaveAccommodationThroughService, generic.CreateView):
    pass


class AccommodationEditView(SaveAccommodationThroughService, generic.EditView):
    pass


class AccommodationViewSet(PersonChooserFields, ModelViewSet):
    model = Accommodation
    icon = "time"
    menu_label = _("Accommodations")
    add_to_admin_menu = True
    menu_order = 320
    form_fields = services.ACCOMMODATION_EDITABLE_FIELDS
    list_display = ["user", "exam", "extra_time_percent", "extra_attempts", "set_by"]
    copy_view_enabled = False
    add_view_class = AccommodationCreateView
    edit_view_class = AccommodationEditView


class BlindSearchIndexView(generic.IndexView):
    """A list that can be searched by the candidate's name or e-mail, except
    that a search never picks out an attempt whose grading is blind: finding it
    by name would tell who the numbered candidate is."""

    attempt_field = "pk"  # the listed model's field that holds its attempt

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        blind = Attempt.objects.blind().values("pk")
        return super().search_queryset(
            queryset.exclude(**{f"{self.attempt_field}__in": blind})
        )


class AttemptIndexView(BlindSearchIndexView):
    attempt_field = "pk"


class MarkingIndexView(BlindSearchIndexView):
    attempt_field = "attempt"


class AttemptViewSet(ModelViewSet):
    """Examiners see every attempt; attempts are changed only by the exam itself."""

    model = Attempt
    icon = "doc-full-inverse"
    menu_label = _("Exam attempts")
    add_to_admin_menu = True
    menu_order = 330
    form_fields = ["status"]
    list_display = [
        "candidate_label",
        "exam",
        "number",
        "status",
        "percent",
        "passed",
        "started_at",
    ]
    list_filter = ["status", "passed", "exam"]
    search_fields = ["user__email", "user__last_name"]
    index_view_class = AttemptIndexView
    inspect_view_enabled = True
    # The candidate is shown as blind grading allows, never as the raw user.
    inspect_view_fields = [
        "candidate_label",
        "exam",
        "number",
        "status",
        "started_at",
        "deadline",
        "submitted_at",
        "graded_at",
        "percent",
        "passed",
    ]
    copy_view_enabled = False

    def get_queryset(self, request):
        return Attempt.objects.select_related("user", "exam")


register_permission_policy(Attempt, ViewOnlyPolicy(Attempt))


class MarkingViewSet(ModelViewSet):
    """Every grade ever given, read-only: markings are changed only by grading."""

    model = Marking
    icon = "list-ul"
    menu_label = _("Practical grades")
    add_to_admin_menu = True
    menu_order = 306
    form_fields = ["feedback"]
    list_display = [
        "attempt",
        "role",
        "examiner",
        "percent",
        "created_at",
        "submitted_at",
    ]
    list_filter = ["role", "attempt__exam"]
    search_fields = ["attempt__user__email", "examiner__email"]
    index_view_class = MarkingIndexView
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Marking.objects.select_related(
            "attempt__user", "attempt__exam", "examiner"
        )


register_permission_policy(Marking, ViewOnlyPolicy(Marking))


@hooks.register("register_admin_viewset")
def register_exam_viewsets():
    return [
        AccommodationViewSet("accommodations"),
        AttemptViewSet("attempts"),
        MarkingViewSet("practical-grades"),
    ]


@hooks.register("register_admin_urls")
def register_gift_import_url():
    from .gift_admin import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_gift_import_menu_item():
    from .gift_admin import menu_item

    return menu_item()


@hooks.register("register_admin_urls")
def register_grading_urls():
    from .marking_admin import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    from .marking_admin import menu_item

    return menu_item()


@hooks.register("register_admin_urls")
def register_outline_urls():
    from .outline import admin_urls

    return admin_urls()


@hooks.register("register_admin_urls")
def register_trial_urls():
    from .trial_views import admin_urls

    return admin_urls()


@hooks.register("register_page_header_buttons")
def try_exam_header_button(page, user, view_name=None, next_url=None):
    """ "Try this exam" in an exam editor's header (see ``exams.trial``)."""
    from wagtail.admin.widgets import Button

    model = page.specific_class
    if model is None or not issubclass(model, ExamPage):
        return []
    if not page.permissions_for_user(user).can_edit():
        return []
    url = set_query_params(
        reverse("exams_try", args=[page.pk]),
        {"next": reverse("wagtailadmin_pages:edit", args=[page.pk])},
    )
    return [Button(_("Try this exam"), url, icon_name="view", priority=6)]
