"""Command-line interface: chat, database and report commands."""
