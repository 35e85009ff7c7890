from django.apps import AppConfig


class TeamConfig(AppConfig):
    label = "team"
    verbose_name = "Team support: continuing education, wellbeing check-ins, case-load, debriefs"
    name = "hearth.team"
