"""Errors adapters raise so that use cases can react without knowing the driver."""


class StoreUnavailableError(Exception):
    """A data store (database, file system) could not be reached or answered too slowly."""


class AIUnavailableError(Exception):
    """The AI service failed, timed out, or answered something unusable."""
