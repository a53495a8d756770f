"""The one error of ingesting: a landing folder or file that cannot be loaded."""


class LandingError(Exception):
    """A landing folder or file that cannot be loaded; the message says which and what to do."""
