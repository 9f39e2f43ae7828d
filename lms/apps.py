from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page, PageViewRestriction, Site, get_page_models
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from courses.api import content_changed

        from .page_cache import warm_after_change

        # Saves and deletes of pages only, of their privacy settings (set in the
        # editor without saving the page), of sites (where routing starts) and of
        # images and documents (a course's cover, a lesson's download, kept with
        # the pages): other models' saves, renditions made on a page view among
        # them, never call it.
        for model in {
            Page,
            PageViewRestriction,
            Site,
            get_image_model(),
            get_document_model(),
            *get_page_models(),
        }:
            for name, signal in (("saved", post_save), ("deleted", post_delete)):
                for receiver in (content_changed, warm_after_change):
                    signal.connect(
                        receiver,
                        sender=model,
                        dispatch_uid=f"{receiver.__name__}.{name}.{model._meta.label}",
                    )

        # Wagtail forgets its site root paths when a site is saved, before the
        # commit: a request in between may keep the old ones (an hour), and the
        # kept routes take them from there. Forgotten again once it commits.
        def site_root_paths_committed(**kwargs):
            transaction.on_commit(Site.clear_site_root_paths_cache, robust=True)

        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                site_root_paths_committed,
                sender=Site,
                weak=False,
                dispatch_uid=f"site_root_paths_committed.{name}",
            )

        # Groups given or taken from a page's privacy setting (once a change is
        # made: not before it).
        def privacy_groups_changed(action, **kwargs):
            if action.startswith("post_"):
                content_changed()
                warm_after_change()

        m2m_changed.connect(
            privacy_groups_changed,
            sender=PageViewRestriction.groups.through,
            weak=False,
            dispatch_uid="content_changed.privacy-groups",
        )
        for name, signal in (
            ("published", page_published),
            ("unpublished", page_unpublished),
            ("moved", post_page_move),
        ):
            for receiver in (content_changed, warm_after_change):
                signal.connect(receiver, dispatch_uid=f"{receiver.__name__}.{name}")
