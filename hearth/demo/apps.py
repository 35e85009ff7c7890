from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: the demo only writes through the other apps' services."""

    label = "demo"
    verbose_name = "Demo: the demo service's people and patients' stories"
    name = "hearth.demo"
