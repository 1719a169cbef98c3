"""Notifications: who is told what, through which channel, and the outbox that delivers it.

Events (``forum.notify.events``) are called from the services at their choke points and write
outbox rows (``Message``) in the same transaction as the change they announce; the job worker
(``forum.jobs.worker``) delivers them (``forum.notify.delivery``), one attempt row per try.
"""
