from wagtail.admin.forms import WagtailAdminPageForm

from .prerequisites import prerequisite_problem


class CoursePageForm(WagtailAdminPageForm):
    """Refuses prerequisites that would form a cycle, before anything is saved."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("prerequisite_links")
        if formset is None or not formset.is_valid():
            return cleaned
        required_ids = [
            form.cleaned_data["required_course"].pk
            for form in formset.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("required_course")
        ]
        course = self.instance
        course.title = cleaned.get("title") or course.title
        problem = prerequisite_problem(course=course, required_ids=required_ids)
        if problem:
            self.add_error(None, problem)
        return cleaned
