"""The admin's sidebar in groups: Learning, Assessment, Certification, People.

Each app registers its own menu entries; this is the one place that says which
group an entry belongs to (by its name). Wagtail's own entries (pages, images,
documents, reports, settings, help) stay where they are.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import Menu, SubmenuMenuItem

GROUPS = [
    (
        "learning",
        _("Learning"),
        "list-ul",
        210,
        ["courses", "exemptions", "classes", "onboarding"],
    ),
    (
        "assessment",
        _("Assessment"),
        "tasks",
        220,
        [
            "question-banks",
            "import-gift-questions",
            "grading-queue",
            "practical-grades",
            "exam-attempts",
            "accommodations",
        ],
    ),
    (
        "certification",
        _("Certification"),
        "tick-inverse",
        230,
        [
            "certificates",
            "certification-reviews",
            "experience-to-review",
            "external-certifications",
        ],
    ),
    (
        "people",
        _("People"),
        "group",
        240,
        ["import-people", "organisations", "audit-log"],
    ),
]


def group_menu(request, menu_items: list) -> None:
    """``construct_main_menu``: move each known entry into its group, in the
    group's order; a group with nothing the person may open is not shown."""
    by_name = {item.name: item for item in menu_items}
    grouped = set()
    groups = []
    for name, label, icon, order, members in GROUPS:
        found = [by_name[member] for member in members if member in by_name]
        if not found:
            continue
        grouped.update(item.name for item in found)
        items = []
        for item in found:  # an app's own submenu opens into the group
            if isinstance(item, SubmenuMenuItem):
                items.extend(item.menu.menu_items_for_request(request))
            else:
                items.append(item)
        groups.append(
            SubmenuMenuItem(
                label, Menu(items=items), name=name, icon_name=icon, order=order
            )
        )
    menu_items[:] = [item for item in menu_items if item.name not in grouped]
    menu_items.extend(groups)
    menu_items.sort(key=lambda item: item.order)
