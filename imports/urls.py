from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("batches/<int:pk>/", views.preview, name="preview"),
    path("batches/<int:pk>/undo/", views.undo, name="undo"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/template.xlsx", views.template, name="template"),
]
