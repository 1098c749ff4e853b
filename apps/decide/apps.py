from django.apps import AppConfig


class DecideConfig(AppConfig):
    name = "apps.decide"
    label = "decide"
    verbose_name = "Choosing between offers"
