from django.urls import path

from ambassadors import views

app_name = "ambassadors"
urlpatterns = [
    path("ambassadors/", views.directory, name="directory"),
    path("recognition/", views.recognition, name="recognition"),
]
