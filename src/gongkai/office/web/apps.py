from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "gongkai.office.web"
    label = "web"
    verbose_name = "工作台"
