"""Static files with long-lived caching: every ``url_for('static', ...)`` carries ``?v=`` with a
hash of the file's content, and responses to such versioned URLs may be cached for a year.

A new release changes the hash, so browsers fetch the new file at once; unversioned URLs
keep Flask's default (revalidate every time). Hashes are computed once per file and process,
or on every request in debug mode, so an edited file shows up without a restart.
"""

import hashlib
from pathlib import Path

from flask import Flask, redirect, request, url_for

ONE_YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    hashes: dict[str, str] = {}

    def version_of(filename: str) -> str | None:
        if filename not in hashes or app.debug:
            path = Path(app.static_folder or "") / filename
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            except OSError:
                return None
            hashes[filename] = digest
        return hashes[filename]

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = version_of(values["filename"])
            if version:
                values["v"] = version

    @app.route("/favicon.ico")
    def favicon():
        """Browsers ask for /favicon.ico whatever the page says: send them to the SVG icon."""
        return redirect(url_for("static", filename="favicon.svg"), code=301)

    @app.after_request
    def cache_versioned_static(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code in (
            200,
            304,
        ):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
