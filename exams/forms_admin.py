"""Admin forms for exams: a blueprint that can't be drawn is not published."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from accounts.api import kept_forms

from . import blueprint


class ExamPageForm(WagtailAdminPageForm):
    """Publishing (or submitting for review) checks that every section can be
    drawn from the banks' live questions; a draft may be saved as it is."""

    def clean(self):
        cleaned = super().clean()
        if self.is_deferred_validation:
            return cleaned
        formset = self.formsets.get("sections")
        if formset is None or not formset.is_valid():
            return cleaned
        plans = [
            blueprint.SectionPlan(
                title=form.cleaned_data.get("title") or "",
                bank_id=form.cleaned_data["bank"].pk,
                topic=form.cleaned_data.get("topic") or "",
                count=form.cleaned_data.get("count") or 0,
            )
            for form in kept_forms(formset)
            if form.cleaned_data.get("bank")
        ]
        pools = blueprint.live_pools(plan.bank_id for plan in plans)
        for problem in blueprint.problems(plans, pools):
            self.add_error(None, problem)
        return cleaned
