from django.apps import AppConfig


class VolunteersConfig(AppConfig):
    label = "volunteers"
    verbose_name = "Volunteers: profiles, training, availability and assignments to families"
    name = "hearth.volunteers"
