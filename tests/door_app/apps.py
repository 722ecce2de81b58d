from django.apps import AppConfig


class DoorAppConfig(AppConfig):
    name = "tests.door_app"
    label = "door_app"
