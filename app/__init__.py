"""WhatsApp course advisor for an AI and technology school."""
