"""Errors adapters raise so that use cases can react without knowing the driver."""

from __future__ import annotations

from app.domain.ai import AIFailure, AIUsage


class StoreUnavailableError(Exception):
    """A data store (database, file system) could not be reached or answered too slowly."""


class AIUnavailableError(Exception):
    """The AI service failed, timed out, or answered something unusable.

    `reason` says which (for logs and counters, never for the student); `usage` is what the
    failed attempt still cost, so that calls and tokens are counted even when it failed.
    """

    def __init__(
        self, reason: AIFailure = AIFailure.UNEXPECTED, detail: str = "", usage: AIUsage | None = None
    ) -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail
        self.usage = usage or AIUsage()


class DeliveryError(Exception):
    """A reply (part) could not be handed to the messaging provider; `code` is the
    provider's error code when it gave one (Twilio's 63016, 21610, ...)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class TransientDeliveryError(DeliveryError):
    """The provider or the network failed in a way that a later attempt may not (5xx, timeouts)."""


class DeliveryNotSettledError(TransientDeliveryError):
    """A part's earlier request may still be created by the provider (it timed out, or its
    worker died, moments ago): neither found nor resent before `retry_in_seconds`."""

    def __init__(self, message: str, retry_in_seconds: float) -> None:
        super().__init__(message)
        self.retry_in_seconds = retry_in_seconds


class PermanentDeliveryError(DeliveryError):
    """The provider refused the message (4xx: an invalid number, say); retrying cannot help."""
