"""Each person's home after log-in: their organizations and what waits for them there."""
