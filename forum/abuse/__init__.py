"""Abuse limits on the public writes (the proposal form, withdrawal with a tracking code,
tracking look-ups): rate limits per address and per organization, a honeypot field and a minimum
fill time on the public form, a daily photo-storage quota per organization. Marking proposals
as spam is the office's part: forum.proposals.spam."""
