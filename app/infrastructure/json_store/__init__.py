"""File-based fallbacks: the bundled catalogue, user memory and the inbound log as JSON."""
