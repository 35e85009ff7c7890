from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    label = "notifications"
    verbose_name = "Notifications: contact points, the outbox and its delivery log"
    name = "hearth.notifications"
