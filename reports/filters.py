"""Filter forms of the report pages. The reports read their cleaned values and
pass them to the selectors; they never filter querysets themselves."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from accounts.api import Organization, bounded_int
from assignments.api import PersonAssignment
from certificates.api import Certificate, CertificationLevelPage
from classes.api import ClassSession
from courses.api import CoursePage, Enrollment
from exams.api import Attempt, ExamPage
from onboarding.api import Cohort, CohortMember

from .models import QuestionAnalysis
from .selectors import COMPLIANCE_DIMENSION_CHOICES, DIMENSION_CHOICES


class _BoundedChoiceField(django_filters.fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values and bounded_int(value) is None:
            return None  # an id no column holds: the filter is left empty
        return super().to_python(value)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A report filter by id; an id too large for a column selects nothing."""

    field_class = _BoundedChoiceField


def _period():
    return django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget
    )


def _organization():
    return ModelChoiceFilter(
        label=_("Organization"), queryset=Organization.objects.order_by("name")
    )


class CompletionFilterSet(WagtailFilterSet):
    by = django_filters.ChoiceFilter(
        label=_("Figures per"), choices=DIMENSION_CHOICES, empty_label=None
    )
    period = _period()
    course = ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.order_by("title")
    )
    organization = _organization()

    class Meta:
        model = Enrollment
        fields: list[str] = []


class CertificationFilterSet(WagtailFilterSet):
    period = _period()
    organization = _organization()

    class Meta:
        model = Certificate
        fields: list[str] = []


WINDOW_CHOICES = [
    ("30", _("30 days")),
    ("60", _("60 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("one year")),
]


class ExpiringFilterSet(WagtailFilterSet):
    within = django_filters.ChoiceFilter(
        label=_("Expiring within"), choices=WINDOW_CHOICES, empty_label=None
    )
    level = ModelChoiceFilter(
        label=_("Certification"),
        queryset=CertificationLevelPage.objects.order_by("path"),
    )
    organization = _organization()

    class Meta:
        model = Certificate
        fields: list[str] = []


class ExamFilterSet(WagtailFilterSet):
    period = _period()
    exam = ModelChoiceFilter(
        label=_("Exam"), queryset=ExamPage.objects.order_by("title")
    )
    organization = _organization()

    class Meta:
        model = Attempt
        fields: list[str] = []


class OnboardingFilterSet(WagtailFilterSet):
    cohort = ModelChoiceFilter(
        label=_("Cohort"), queryset=Cohort.objects.order_by("-start_date")
    )
    behind = django_filters.BooleanFilter(label=_("Behind schedule only"))

    class Meta:
        model = CohortMember
        fields: list[str] = []


class ClassFilterSet(WagtailFilterSet):
    period = _period()
    course = ModelChoiceFilter(
        label=_("Course"), queryset=CoursePage.objects.order_by("title")
    )

    class Meta:
        model = ClassSession
        fields: list[str] = []


class QuestionFilterSet(WagtailFilterSet):
    flagged = django_filters.BooleanFilter(label=_("Flagged only"))

    class Meta:
        model = QuestionAnalysis
        fields: list[str] = []


class ComplianceFilterSet(WagtailFilterSet):
    by = django_filters.ChoiceFilter(
        label=_("Figures per"), choices=COMPLIANCE_DIMENSION_CHOICES, empty_label=None
    )
    organization = _organization()

    class Meta:
        model = PersonAssignment
        fields: list[str] = []


class OverdueFilterSet(WagtailFilterSet):
    organization = _organization()

    class Meta:
        model = PersonAssignment
        fields: list[str] = []
