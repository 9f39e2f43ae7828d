from wagtail import hooks

from . import page_cache

hooks.register("before_serve_page", page_cache.mark_if_visitor_page)


@hooks.register("construct_main_menu")
def group_admin_menu(request, menu_items):
    from .admin_menu import group_menu

    group_menu(request, menu_items)


@hooks.register("construct_homepage_panels")
def what_needs_doing(request, panels):
    """The admin home starts with what waits for this person."""
    from reports.home import WaitingWorkPanel

    panels.insert(0, WaitingWorkPanel(request.user))


@hooks.register("insert_editor_js")
def editor_labels():
    """Rich-text editors named after their field's label."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html(
        '<script src="{}"></script>', static("lms/admin/editor_labels.js")
    )
