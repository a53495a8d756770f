"""The one error the renderer raises."""


class ReportError(Exception):
    """A page, source or component could not be rendered; the message says which."""
