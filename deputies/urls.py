from django.urls import path

from deputies import views

app_name = "deputies"

urlpatterns = [
    path("", views.DeputyListView.as_view(), name="list"),
    path("new/", views.deputy_create, name="create"),
    path("import/", views.deputy_import, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.xlsx", views.deputy_export, name="export"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("<int:pk>/", views.DeputyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.deputy_update, name="update"),
]
