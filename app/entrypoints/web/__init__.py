"""The Flask application: Twilio webhook and health."""
