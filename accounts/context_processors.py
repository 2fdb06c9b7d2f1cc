from accounts.permissions import PermissionFlags


def permissions(request):
    """`can.<permission>` in templates, e.g. {% if can.manage_deputies %} (navigation by role)."""
    return {"can": PermissionFlags(getattr(request, "user", None))}
