from accounts.permissions import STAFF_ROLES, RolePermission

view_deputies = RolePermission("view_deputies", STAFF_ROLES)
manage_deputies = RolePermission("manage_deputies", STAFF_ROLES)
