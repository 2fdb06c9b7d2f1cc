from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("awards/", views.awards, name="awards"),
    path("awards/record/", views.award_record, name="award_record"),
    path("reports/annual/", views.annual_reports, name="annual"),
    path("reports/annual/<int:pk>/", views.annual_detail, name="annual_detail"),
    path("reports/annual/<int:pk>/status/", views.annual_status, name="annual_status"),
    path("reports/annual/<int:pk>/retry/", views.annual_retry, name="annual_retry"),
    path("reports/annual/<int:pk>/report.<str:kind>", views.annual_file, name="annual_file"),
]
