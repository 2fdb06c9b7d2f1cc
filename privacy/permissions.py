from accounts.permissions import STAFF_ROLES, RolePermission

manage_personal_data = RolePermission("manage_personal_data", STAFF_ROLES)
