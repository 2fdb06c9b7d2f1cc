from django.urls import path

from suggestions import views

app_name = "suggestions"

urlpatterns = [
    path("suggestions/", views.suggestion_list, name="list"),
    path("suggestions/new/", views.suggestion_create, name="create"),
    path("suggestions/review/", views.review, name="review"),
    path("suggestions/figures/", views.figures, name="figures"),
    path("suggestions/figures/export.xlsx", views.figures_export, name="figures_export"),
    path("suggestions/export.xlsx", views.suggestion_export, name="export"),
    path("suggestions/public/", views.public_list, name="public_list"),
    path("suggestions/public/<int:reply_id>/", views.public_detail, name="public_detail"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="detail"),
    path("suggestions/<int:pk>/files/<int:attachment_id>/", views.attachment_file, name="attachment"),
    path("suggestions/<int:pk>/replies/<int:round>/file/", views.reply_file, name="reply_file"),
    path("suggestions/<int:pk>/<slug:name>/", views.step_view, name="step"),
]
