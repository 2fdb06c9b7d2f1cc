"""The request (and so the user) on whose behalf the current code runs."""

from contextlib import contextmanager
from contextvars import ContextVar

from core.http import client_ip

_current_request = ContextVar("audit_current_request", default=None)
_current_actor = ContextVar("audit_current_actor", default=None)


def current_actor():
    actor = _current_actor.get()
    if actor is not None:
        return actor
    request = _current_request.get()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def current_request():
    return _current_request.get()


def current_ip():
    request = _current_request.get()
    return client_ip(request) or None if request is not None else None


@contextmanager
def acting_as(user):
    """For tasks and commands: record changes made inside the block as `user`'s."""
    token = _current_actor.set(user)
    try:
        yield
    finally:
        _current_actor.reset(token)


@contextmanager
def request_context(request):
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)
