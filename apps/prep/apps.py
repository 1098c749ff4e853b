from django.apps import AppConfig


class PrepConfig(AppConfig):
    name = "apps.prep"
    label = "prep"
    verbose_name = "Interview prep"
