from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from accounts.api import kept_forms

from .prerequisites import path_order_problems, prerequisite_problem


class CoursePageForm(WagtailAdminPageForm):
    """Refuses prerequisites that would form a cycle, before anything is saved,
    and publishing a course that has no published lesson."""

    def clean(self):
        cleaned = super().clean()
        self._check_lessons()
        formset = self.formsets.get("prerequisite_links")
        if formset is None or not formset.is_valid():
            return cleaned
        required_ids = [
            form.cleaned_data["required_course"].pk
            for form in kept_forms(formset)
            if form.cleaned_data.get("required_course")
        ]
        course = self.instance
        course.title = cleaned.get("title") or course.title
        problem = prerequisite_problem(course=course, required_ids=required_ids)
        if problem:
            self.add_error(None, problem)
        return cleaned

    def _check_lessons(self) -> None:
        if self.is_deferred_validation:
            return  # a draft may be saved before its lessons are written
        from .models import ModulePage

        course = self.instance
        if course.pk and ModulePage.objects.child_of(course).live().exists():
            return
        self.add_error(
            None,
            _(
                "A course needs at least one published lesson before it is "
                "published: save it as a draft, add its lessons from the course "
                "outline, then publish."
            ),
        )


class LearningPathForm(WagtailAdminPageForm):
    """Refuses steps that repeat a course or come before a course they require."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("steps")
        if formset is None or not formset.is_valid():
            return cleaned
        steps = [
            form.cleaned_data["course"]
            for form in kept_forms(formset)
            if form.cleaned_data.get("course")
        ]
        for problem in path_order_problems(steps):
            self.add_error(None, problem)
        return cleaned
