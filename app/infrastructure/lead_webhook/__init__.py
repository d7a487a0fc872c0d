"""Lead events delivered to the sales team's tools: a signed HTTP POST per event, through the queue."""
