"""Choosing a person in the admin: a searchable chooser (name or e-mail) instead
of a drop-down of every account, wherever a form picks a person."""

from __future__ import annotations

from django import forms
from django.db.models import ForeignKey, Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import BaseChooser

from .models import User

MAX_TERMS = 5  # words of a search; more are ignored


class PersonSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Name or e-mail"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Name or e-mail")}),
    )

    def filter(self, objects):
        query = (self.cleaned_data.get("q") if self.is_valid() else "") or ""
        for term in query.split()[:MAX_TERMS]:
            objects = objects.filter(
                Q(first_name__icontains=term)
                | Q(last_name__icontains=term)
                | Q(email__icontains=term)
            )
        self.is_searching = bool(query.strip())
        self.search_query = query
        return objects


def person_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


class PersonColumnsMixin:
    filter_form_class = PersonSearchForm

    def get_object_list(self):
        return User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "email"
        )

    @property
    def columns(self):
        return [self.title_column, Column("email", label=_("E-mail"))]


class ChoosePersonView(PersonColumnsMixin, chooser_views.ChooseView):
    pass


class ChoosePersonResultsView(PersonColumnsMixin, chooser_views.ChooseResultsView):
    pass


class ChosenPersonView(chooser_views.ChosenView):
    def get_display_title(self, instance):
        return person_label(instance)


class PersonChooserWidgetBase(BaseChooser):
    def get_display_title(self, instance):
        return person_label(instance)


class PersonChooserViewSet(ChooserViewSet):
    model = User
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    per_page = 20
    choose_view_class = ChoosePersonView
    choose_results_view_class = ChoosePersonResultsView
    chosen_view_class = ChosenPersonView
    base_widget_class = PersonChooserWidgetBase


person_chooser = PersonChooserViewSet("person_chooser")


def person_chooser_widget():
    """The chooser as a form widget, for forms that declare their widgets."""
    return person_chooser.widget_class()


class PersonChooserFields:
    """For an admin model form built from ``form_fields``: every field that
    picks a person uses the chooser."""

    def formfield_for_dbfield(self, db_field, **kwargs):
        if isinstance(db_field, ForeignKey) and db_field.related_model is User:
            kwargs["widget"] = person_chooser_widget()
        return super().formfield_for_dbfield(db_field, **kwargs)
