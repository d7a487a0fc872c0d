"""Twilio: webhook signature checks and TwiML replies."""
