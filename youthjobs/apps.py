from django.apps import AppConfig


class YouthjobsConfig(AppConfig):
    name = "youthjobs"
    verbose_name = "Boston summer jobs"
