from accounts.permissions import STAFF_ROLES, RolePermission

# Handling units have no page of their own (the admin keeps them); staff import them.
import_units = RolePermission("import_units", STAFF_ROLES)
