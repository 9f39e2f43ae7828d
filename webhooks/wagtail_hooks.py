from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.api import TrainingAdminMenuItem, TrainingAdminPolicy

from . import views
from .models import Subscription

register_permission_policy(Subscription, TrainingAdminPolicy(Subscription))


@hooks.register("register_admin_viewset")
def register_subscriptions():
    return views.SubscriptionViewSet("webhooks")


@hooks.register("register_admin_urls")
def register_delivery_urls():
    return [
        path("webhook-deliveries/", views.deliveries, name="webhooks_deliveries"),
        path(
            "webhook-deliveries/<id:delivery_id>/replay/",
            views.replay,
            name="webhooks_replay",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_delivery_log():
    return TrainingAdminMenuItem(
        _("Webhook deliveries"),
        reverse("webhooks_deliveries"),
        icon_name="list-ul",
        order=721,
    )
