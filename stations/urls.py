from django.urls import path

from stations.views import activities, duty, stations, visits

app_name = "stations"

urlpatterns = [
    # Public: the page a station's QR code opens.
    path("s/<str:code>/", stations.station_page, name="public"),
    # Stations (staff, station managers).
    path("stations/", stations.station_list, name="list"),
    path("stations/new/", stations.station_create, name="create"),
    path("stations/unassigned/", stations.unassigned_deputies, name="unassigned"),
    path("stations/posters/", stations.township_posters, name="township_posters"),
    path("stations/categories/", stations.category_list, name="categories"),
    path("stations/categories/<int:pk>/edit/", stations.category_update, name="category_update"),
    path("stations/<int:pk>/", stations.station_detail, name="detail"),
    path("stations/<int:pk>/edit/", stations.station_update, name="update"),
    path("stations/<int:pk>/members/", stations.station_members, name="members"),
    path(
        "stations/<int:pk>/members/<int:membership_pk>/remove/", stations.member_remove, name="member_remove"
    ),
    path("stations/<int:pk>/qr.svg", stations.station_qr_svg, name="qr_svg"),
    path("stations/<int:pk>/qr.png", stations.station_qr_png, name="qr_png"),
    path("stations/<int:pk>/poster/", stations.station_poster, name="poster"),
    # Visits and receptions (进站履职).
    path("stations/visits/", visits.visit_list, name="visits"),
    path("stations/visits/new/", visits.visit_create, name="visit_create"),
    path("stations/visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("stations/receptions/<int:pk>/handling/", visits.reception_update, name="reception_update"),
    # Duty (逢6进站).
    path("stations/duty/", duty.roster, name="roster"),
    path("stations/duty/schedule/", duty.schedule_run, name="schedule_run"),
    path("stations/duty/assignments/<int:pk>/swap/", duty.assignment_swap, name="assignment_swap"),
    path("stations/duty/swaps/", duty.swap_requests, name="swap_requests"),
    path("stations/duty/swaps/<int:pk>/decide/", duty.swap_decide, name="swap_decide"),
    path("stations/duty/report/", duty.missed_report, name="missed_report"),
    path("stations/duty/rules/", duty.rule_list, name="rules"),
    path("stations/duty/rules/new/", duty.rule_edit, name="rule_create"),
    path("stations/duty/rules/<int:pk>/edit/", duty.rule_edit, name="rule_update"),
    path("stations/duty/holidays/", duty.holiday_list, name="holidays"),
    path("stations/duty/holidays/<int:pk>/remove/", duty.holiday_remove, name="holiday_remove"),
    path("stations/duty/unavailable/", duty.unavailability_list, name="unavailability"),
    path("stations/duty/feed/<str:token>.ics", duty.duty_feed, name="duty_feed"),
    path("stations/duty/feed/reset/<int:pk>/", duty.duty_feed_reset, name="duty_feed_reset"),
    path("stations/my-duty/", duty.my_duty, name="my_duty"),
    path("stations/my-duty/duty.ics", duty.my_duty_ics, name="my_duty_ics"),
    path("stations/my-duty/<int:pk>/swap/", duty.my_swap_request, name="my_swap_request"),
    path("stations/my-duty/swaps/<int:pk>/cancel/", duty.my_swap_cancel, name="my_swap_cancel"),
    path("stations/my-duty/unavailable/", duty.my_unavailability_add, name="my_unavailability_add"),
    # Activities and learning materials.
    path("stations/activities/", activities.activity_list, name="activities"),
    path("stations/activities/new/", activities.activity_edit, name="activity_create"),
    path("stations/activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("stations/activities/<int:pk>/edit/", activities.activity_edit, name="activity_update"),
    path("stations/activities/<int:pk>/cancel/", activities.activity_cancel, name="activity_cancel"),
    path("stations/activities/<int:pk>/sign-up/", activities.activity_sign_up, name="activity_sign_up"),
    path("stations/activities/<int:pk>/withdraw/", activities.activity_cancel_sign_up, name="activity_withdraw"),
    path("stations/activities/<int:pk>/attendance/", activities.activity_attendance, name="activity_attendance"),
    path("stations/materials/", activities.material_list, name="materials"),
    path("stations/materials/new/", activities.material_edit, name="material_create"),
    path("stations/materials/<int:pk>/", activities.material_detail, name="material_detail"),
    path("stations/materials/<int:pk>/edit/", activities.material_edit, name="material_update"),
]
