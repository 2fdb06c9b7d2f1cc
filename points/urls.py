from django.urls import path

from points import views

app_name = "points"

urlpatterns = [
    path("points/", views.home, name="home"),
    path("points/ranking/", views.ranking, name="ranking"),
    path("points/ranking/export.xlsx", views.ranking_export, name="ranking_export"),
    path("points/rules/", views.rules, name="rules"),
    path("points/deputies/<int:pk>/", views.deputy_points, name="deputy"),
    path("points/deputies/<int:pk>/dossier/", views.dossier_page, name="dossier"),
    path("points/deputies/<int:pk>/dossier.docx", views.dossier_download, name="dossier_docx"),
    path("points/groups/<int:pk>/", views.group_points, name="group"),
]
