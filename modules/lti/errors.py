"""Domain errors of the LTI feature. ``message`` is Norwegian and shown to users."""


class LtiError(Exception):
    def __init__(self, message: str, *, code: str = "error"):
        super().__init__(message)
        self.message = message
        self.code = code


class LaunchError(LtiError):
    """A launch or login initiation was refused; no session is started."""


class CookiesBlockedError(LaunchError):
    """The state cookie did not come back (third-party cookies blocked); the
    launch can be retried in a new window with the stored login parameters."""

    def __init__(self, message: str, *, state: str):
        super().__init__(message, code="cookies_blocked")
        self.state = state


class DeliveryError(LtiError):
    """A call to the platform (token, score, roster) failed."""
