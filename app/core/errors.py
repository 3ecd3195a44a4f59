"""Errors that the user caused and can fix, as opposed to bugs."""


class UserFacingError(Exception):
    """An error to show the user as it is: one sentence that says what to do.

    Anything that is not a UserFacingError is a bug: logged with its traceback and reported as
    such.
    """


class WrongKeyError(UserFacingError):
    """The database could not be opened with the key or passphrase given."""
