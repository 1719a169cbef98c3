"""Settings come from the defaults, then instance/config.py, then the environment."""

from forum import create_app
from tests.conftest import base_config


def test_prefixed_environment_variables_override_the_defaults(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("PRACHAKHOM_PROPOSALS_PER_PAGE", "7")
    monkeypatch.setenv("PRACHAKHOM_UPLOAD_DIR", str(tmp_path / "shared-uploads"))
    app = create_app(base_config(database_url))
    assert app.config["PROPOSALS_PER_PAGE"] == 7  # parsed as JSON: a number, not "7"
    assert app.config["UPLOAD_DIR"] == str(tmp_path / "shared-uploads")
    monkeypatch.delenv("PRACHAKHOM_PROPOSALS_PER_PAGE")
    assert create_app(base_config(database_url)).config["PROPOSALS_PER_PAGE"] == 25


def test_mail_settings_come_from_the_usual_environment_names(monkeypatch, database_url):
    monkeypatch.setenv("MAIL_SERVER", "smtp.example.go.th")
    monkeypatch.setenv("MAIL_PORT", "465")
    monkeypatch.setenv("MAIL_FROM", "plan@example.go.th")
    app = create_app(base_config(database_url))
    with app.app_context():
        from forum.notify.server_mail import server_smtp

        smtp = server_smtp()
    assert (smtp.smtp_host, smtp.smtp_port, smtp.smtp_from) == (
        "smtp.example.go.th", 465, "plan@example.go.th")
    monkeypatch.delenv("MAIL_SERVER")
    with create_app(base_config(database_url)).app_context():
        assert server_smtp() is None


def test_a_misspelt_mail_security_stops_the_app_instead_of_sending_in_clear(
    monkeypatch, database_url
):
    import pytest

    monkeypatch.setenv("MAIL_SERVER", "smtp.example.go.th")
    monkeypatch.setenv("MAIL_SECURITY", "tls")
    with pytest.raises(RuntimeError, match="MAIL_SECURITY"):
        create_app(base_config(database_url))
    monkeypatch.setenv("MAIL_SECURITY", "STARTTLS")
    assert create_app(base_config(database_url)).config["MAIL_SECURITY"] == "starttls"
