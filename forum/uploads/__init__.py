"""Uploaded files (proposal photos, import files): checked by content, stored outside the web
root under generated names, images re-encoded, never overwritten. See ``store.UploadStore``."""

from forum.uploads.store import StoredUpload, UploadRejected, UploadStore, current_store

__all__ = ["StoredUpload", "UploadRejected", "UploadStore", "current_store"]
