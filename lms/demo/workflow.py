"""The demo's moderation workflow: course and question-bank changes go from their
author to a training admin's review before they are published, and one change
waits for review, so the admin home and Wagtail's review screens have something
true to show. Idempotent."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from wagtail.models import (
    GroupApprovalTask,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from accounts import roles
from accounts.models import User
from courses.models import CatalogPage, CoursePage
from exams.models import QuestionBank

WORKFLOW = "Course and question review"
TASK = "Review by a training admin"
AUTHOR = "mentor@example.com"  # a mentor who drafts course changes
IN_REVIEW = "fundamentals"  # the course whose draft waits for review


def seed_review_workflow() -> int:
    """Set up the workflow; returns how many changes wait for review."""
    catalog = CatalogPage.objects.first()
    if catalog is None:
        return 0
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK)
    task.groups.set([Group.objects.get(name=roles.TRAINING_ADMINS)])
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0}
    )
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(QuestionBank),
        defaults={"workflow": workflow},
    )
    course = CoursePage.objects.filter(slug=IN_REVIEW).first()
    author = User.objects.filter(email=AUTHOR).first()
    if course is not None and author is not None:
        if not course.workflow_in_progress:
            draft = course.get_latest_revision_as_object()
            draft.summary = (
                "Learn how the platform protects your estate, in six short lessons."
            )
            draft.save_revision(user=author, log_action=True)
            workflow.start(course, author)
    return WorkflowState.objects.active().count()
