"""Spanish template replies: the answer of last resort, always available."""
