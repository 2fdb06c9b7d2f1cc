"""Domain errors raised by services; views turn them into 4xx responses or form messages."""


class DomainError(Exception):
    """A rule of the domain refused the request. The message is shown to the user."""

    status_code = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class TransitionNotAllowed(DomainError):
    """The record is not in a state that allows this step (HTTP 409)."""

    status_code = 409


class Conflict(DomainError):
    """The request collides with what is already recorded (HTTP 409)."""

    status_code = 409


class RateLimited(DomainError):
    """Too many requests from one client (HTTP 429)."""

    status_code = 429
