from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    label = "directory"
    verbose_name = "Directory: where to get equipment, paperwork help and services"
    name = "hearth.directory"
