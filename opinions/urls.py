from django.urls import path

from opinions import views

app_name = "opinions"

urlpatterns = [
    # Public (no account): submit from the station page, success, tracking and rating.
    path("s/<str:code>/opinion/", views.submit, name="submit"),
    path("track/", views.track_form, name="track_form"),
    path("track/<str:code>/", views.track, name="track"),
    path("track/<str:code>/submitted/", views.submitted, name="submitted"),
    path("track/<str:code>/rate/", views.rate, name="rate"),
    # Signed in: deputies, units, station managers and staff.
    path("opinions/", views.OpinionListView.as_view(), name="list"),
    path("opinions/export.xlsx", views.export, name="export"),
    path("opinions/bulk-refer/", views.bulk_refer, name="bulk_refer"),
    path("opinions/<int:pk>/", views.opinion_detail, name="detail"),
    path("opinions/<int:pk>/<slug:step>/", views.opinion_step, name="step"),
]
