"""Administration: organizations, villages, people, roles and one-time account links."""
