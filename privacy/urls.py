from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.person, name="person"),
    path("privacy/erase/", views.erase, name="erase"),
]
