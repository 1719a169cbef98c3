"""Meetings: village and subdistrict forums, development-committee meetings, council sessions."""
