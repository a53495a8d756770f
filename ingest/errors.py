"""The one error of ingesting: a landing folder or file that cannot be loaded."""

from lib.errors import UserError


class LandingError(UserError):
    """A landing folder or file that cannot be loaded; the message says which and what to do."""
