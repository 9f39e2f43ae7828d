"""The course outline in the Wagtail admin: see and change a course in one place."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.defaults import permission_denied
from wagtail.models import Page

from accounts.api import bounded_int

from . import outline
from .models import CatalogPage, CoursePage

URL_NAME = "course_outline"


def _course_for(request, course_id) -> CoursePage:
    course = CoursePage.objects.filter(pk=bounded_int(course_id)).first()
    if course is None:
        raise Http404
    if not course.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return course


def outline_url(course) -> str:
    return reverse(URL_NAME, args=[course.pk])


@require_GET
def course_outline(request, course_id):
    try:
        course = _course_for(request, course_id)
    except PermissionDenied:
        return permission_denied(request, PermissionDenied())
    context = outline.course_outline(course)
    context["outline_url"] = outline_url(course)
    context["can_add"] = course.permissions_for_user(request.user).can_add_subpage()
    return render(request, "courses/admin/outline.html", context)


@require_POST
def add_to_course(request, course_id):
    try:
        course = _course_for(request, course_id)
    except PermissionDenied:
        return permission_denied(request, PermissionDenied())
    if not course.permissions_for_user(request.user).can_add_subpage():
        return permission_denied(request, PermissionDenied())
    try:
        page = outline.add_child(
            course,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            user=request.user,
        )
    except ValueError as refusal:
        messages.error(request, str(refusal))
        return redirect(outline_url(course))
    messages.success(
        request,
        _("“%(title)s” added as a draft: write it, then publish it.")
        % {"title": page.title},
    )
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    return redirect(f"{edit}?next={outline_url(course)}")


@require_POST
def move_in_course(request, course_id, page_id):
    try:
        course = _course_for(request, course_id)
    except PermissionDenied:
        return permission_denied(request, PermissionDenied())
    page = Page.objects.filter(pk=bounded_int(page_id)).first()
    if (
        page is None
        or not course.permissions_for_user(request.user).can_reorder_children()
    ):
        return permission_denied(request, PermissionDenied())
    try:
        moved = outline.move_child(
            course,
            page,
            direction=request.POST.get("direction", ""),
            position=bounded_int(request.POST.get("position"), maximum=10_000),
        )
    except ValueError as refusal:
        messages.error(request, str(refusal))
        return redirect(outline_url(course))
    if moved:
        messages.success(request, _("“%(title)s” moved.") % {"title": page.title})
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"moved": moved})
    return redirect(f"{outline_url(course)}#page-{page.pk}")


@require_http_methods(["GET", "POST"])
def course_list(request):
    """Every course an author can edit, each linked to its outline, and a new
    course in one step (it opens on its outline)."""
    catalog = CatalogPage.objects.first()
    can_add = (
        catalog is not None
        and catalog.permissions_for_user(request.user).can_add_subpage()
    )
    if request.method == "POST":
        if not can_add:
            return permission_denied(request, PermissionDenied())
        try:
            course = outline.new_course(
                catalog=catalog, title=request.POST.get("title", ""), user=request.user
            )
        except ValueError as refusal:
            messages.error(request, str(refusal))
            return redirect(reverse("course_list"))
        messages.success(
            request,
            _("“%(title)s” created as a draft. Add its lessons here.")
            % {"title": course.title},
        )
        return redirect(outline_url(course))
    courses = [
        course
        for course in CoursePage.objects.order_by("title")
        if course.permissions_for_user(request.user).can_edit()
    ]
    if not courses and not can_add:
        return permission_denied(request, PermissionDenied())
    paginator = Paginator(courses, 50)
    page = paginator.get_page(request.GET.get("p"))
    return render(
        request,
        "courses/admin/course_list.html",
        {"page": page, "can_add": can_add},
    )


def admin_urls() -> list:
    return [
        path("courses/", course_list, name="course_list"),
        path("courses/<str:course_id>/outline/", course_outline, name=URL_NAME),
        path(
            "courses/<str:course_id>/outline/add/",
            add_to_course,
            name="course_outline_add",
        ),
        path(
            "courses/<str:course_id>/outline/move/<str:page_id>/",
            move_in_course,
            name="course_outline_move",
        ),
    ]
