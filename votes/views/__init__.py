"""Pages of the votes app: public (views.public), staff (views.staff), deputies and
departments (views.participants), elected projects (views.projects)."""

from django.core.exceptions import ValidationError

from core.exceptions import DomainError


def attempt(form, action):
    """Run a service for a valid form; a refusal becomes the form's error (nothing saved).
    Returns the service's result, or None when it was refused."""
    try:
        return action()
    except DomainError as exc:
        form.add_error(None, exc.message)
        form.refusal_status = exc.status_code
    except ValidationError as exc:
        form.add_error(None, exc.messages)
    return None


def status_for(form):
    """200 for a fresh form; for one with errors, the refusal's status (409, 429) or 400."""
    if form.is_bound and form.errors:
        return getattr(form, "refusal_status", 400)
    return 200
