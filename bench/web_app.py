"""The app as gunicorn serves it in bench_web.py, plus the baseline: a bare endpoint on the
same server, workers and middleware that touches neither the database nor a template."""

from forum import create_app as create_forum_app


def create_app():
    app = create_forum_app()

    @app.route("/_bench/bare")
    def bare():
        return "ok"

    return app
