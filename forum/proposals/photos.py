"""Photos of a proposal: files in the upload store (forum.uploads), rows in proposal_photo.

The files are written before the request's transaction commits, so a request that fails after
storing them (a refused photo among several, a database error) removes what it stored: no file
is left that no row refers to.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.datastructures import FileStorage

from forum.extensions import db
from forum.proposals.models import Proposal, ProposalPhoto
from forum.uploads import StoredUpload, UploadRejected, current_store


@contextmanager
def stored_photos(files: list[FileStorage]) -> Iterator[list[StoredUpload]]:
    """Store each file as a photo (UploadRejected, naming the file, on the first that is not
    one); if that or the body of the ``with`` raises, the stored files are removed again."""
    store = current_store()
    stored: list[StoredUpload] = []
    try:
        for upload in files:
            try:
                stored.append(store.save_image(upload.stream))
            except UploadRejected as rejected:
                raise UploadRejected(f"{upload.filename}: {rejected.message}") from rejected
        yield stored
    except BaseException:
        for upload in stored:
            store.discard(upload.kind, upload.name)
        raise


def attach_photos(proposal: Proposal, stored: list[StoredUpload]) -> None:
    """Record stored photos as the proposal's, in the order they were chosen. Flushes."""
    start = len(proposal.photos)
    for position, upload in enumerate(stored, start=start + 1):
        proposal.photos.append(
            ProposalPhoto(
                position=position,
                stored_name=upload.name,
                media_type=upload.media_type,
                size=upload.size,
            )
        )
    db.session.flush()


def get_photo(proposal: Proposal, name: str) -> ProposalPhoto | None:
    return next((p for p in proposal.photos if p.stored_name == name), None)
