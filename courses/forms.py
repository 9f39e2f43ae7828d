from django import forms
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Audience, Level, Role

DURATION_CHOICES = [
    ("", _("Any length")),
    ("short", _("Up to 4 hours")),
    ("medium", _("5 to 10 hours")),
    ("long", _("11 to 20 hours")),
    ("extended", _("More than 20 hours")),
]


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *Level.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=[
            ("", _("Anyone")),
            (Audience.CUSTOMERS, _("Customers")),
            (Audience.INTERNAL, _("Internal staff")),
        ],
        required=False,
    )
    duration = forms.ChoiceField(
        label=_("Duration"), choices=DURATION_CHOICES, required=False
    )

    def cleaned_filters(self) -> dict[str, str]:
        return {
            key: value.strip()
            for key, value in self.cleaned_data.items()
            if value and value.strip()
        }


_BLANK_FIELDS: dict[str, str] = {}


def blank_filter_fields() -> str:
    """The catalog filter's fields as nobody has filled them in: rendered once per
    language in each process, since they depend on nothing else (rendering a
    form's widgets is a quarter of the catalog's template)."""
    language = get_language()
    html = _BLANK_FIELDS.get(language)
    if html is None:
        html = render_to_string(
            "courses/includes/catalog_filter_fields.html",
            {"form": CatalogFilterForm()},
        )
        _BLANK_FIELDS[language] = html
    return html
