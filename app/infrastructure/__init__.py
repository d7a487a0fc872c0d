"""Adapters: PostgreSQL, JSON files, OpenAI, Twilio, templates."""
