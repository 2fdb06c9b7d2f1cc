"""Who may do what with stations. Object scope (a township, the manager's own stations, a
deputy's own records) is each model's `visible_to(user)`; services check both."""

from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import STAFF_ROLES, ConfigurationPermission, RolePermission

MANAGER_ROLES = STAFF_ROLES | {Role.STATION_MANAGER}

# Stations: staff and station managers see and edit (managers only their own); staff create.
view_stations = RolePermission("view_stations", MANAGER_ROLES)
edit_stations = RolePermission("edit_stations", MANAGER_ROLES)
create_stations = RolePermission("create_stations", STAFF_ROLES)
# Full visitor phone numbers (besides the deputy who recorded them).
see_visitor_phones = RolePermission("see_visitor_phones", STAFF_ROLES)

# Visits and receptions.
log_visits = RolePermission(
    "log_visits", {Role.DEPUTY}, message=_("只有人大代表可以登记进站履职。")
)
# A station manager records a guest deputy's visit to their own station (the service checks which).
record_guest_visits = RolePermission("record_guest_visits", {Role.STATION_MANAGER})
view_visits = RolePermission("view_visits", MANAGER_ROLES | {Role.DEPUTY})

# Duty (逢6进站).
view_my_duty = RolePermission("view_my_duty", {Role.DEPUTY}, message=_("只有人大代表有值班安排。"))
manage_duty = RolePermission("manage_duty", MANAGER_ROLES)
# Duty rules, holidays and the roster run are the owning congress's configuration
# (`ConfigurationPermission`): a township's staff read them and record their deputies' absences.
configure_duty = ConfigurationPermission("configure_duty", STAFF_ROLES)
view_duty_config = RolePermission("view_duty_config", STAFF_ROLES)
record_unavailability = RolePermission("record_unavailability", STAFF_ROLES)
view_duty_reports = RolePermission("view_duty_reports", STAFF_ROLES)

# Activities and learning materials.
view_activities = RolePermission("view_activities", MANAGER_ROLES | {Role.DEPUTY})
publish_activities = RolePermission("publish_activities", MANAGER_ROLES)
sign_up_activities = RolePermission(
    "sign_up_activities", {Role.DEPUTY}, message=_("只有人大代表可以报名参加活动。")
)
read_materials = RolePermission("read_materials", MANAGER_ROLES | {Role.DEPUTY})
publish_materials = ConfigurationPermission("publish_materials", STAFF_ROLES)
view_material_reads = RolePermission("view_material_reads", STAFF_ROLES)
# Categories of what the public raises (shared with opinions).
manage_categories = ConfigurationPermission("manage_categories", STAFF_ROLES)
view_categories = RolePermission("view_categories", STAFF_ROLES)
# Deputies who belong to no station (every active deputy should belong to one).
view_membership_gaps = RolePermission("view_membership_gaps", STAFF_ROLES)
# Duty shifts in lists and the API: staff, managers (their stations), deputies (their stations).
view_shifts = RolePermission("view_shifts", MANAGER_ROLES | {Role.DEPUTY})
