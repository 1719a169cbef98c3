"""Pages: my channels, following an organization, the proposer's opt-in, the link in every
message (what it is about, and stop), the officers' queue and the channel settings."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from forum.auth.models import Role
from forum.extensions import csrf, db, limiter
from forum.i18n import current_language
from forum.notify import delivery, subscriptions
from forum.notify.addresses import AddressError
from forum.notify.events import round_closing
from forum.notify.forms import FollowForm, MyChannelsForm, ProposerForm, SettingsForm
from forum.notify.links import reference_from
from forum.notify.models import (
    FAILED_STATUSES,
    Channel,
    Message,
    MessageStatus,
    NotifySettings,
)
from forum.notify.outbox import settings_for
from forum.organizations.access import get_organization, require_settings_keeper

bp = Blueprint("notify", __name__)

PAGE_SIZE = 50


def _private(response):
    """Pages reached by a message's link: never cached, never leaking the link onward."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- a person's own channels ----------------------------------------------------------------


@bp.route("/notifications/me", methods=["GET", "POST"])
@login_required
def my_channels():
    current = subscriptions.person_channels(current_user)
    form = MyChannelsForm()
    if request.method == "GET":
        for channel, field in ((Channel.EMAIL, form.email), (Channel.SMS, form.phone),
                               (Channel.LINE, form.line_id)):  # fmt: skip
            row = current.get(channel)
            field.data = row.address if row is not None and row.active else ""
        form.locale.data = current_user.locale or current_language()
    if form.validate_on_submit():
        subscriptions.set_person_channels(
            current_user,
            {Channel.EMAIL: form.email.data or None, Channel.SMS: form.phone.data or None,
             Channel.LINE: form.line_id.data or None},  # fmt: skip
            form.locale.data,
        )
        db.session.commit()
        flash(_("Your notification channels have been saved."), "success")
        return redirect(url_for(".my_channels"))
    return render_template("notify/me.html", form=form)


# --- following an organization --------------------------------------------------------------


def _channels_of(organization) -> list[Channel]:
    settings = settings_for(organization.id)
    return settings.enabled_channels() if settings is not None else []


@bp.route("/o/<slug>/follow", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def follow(slug: str):
    organization = get_organization(slug)
    channels = _channels_of(organization)
    form = FollowForm(channels=channels)
    if request.method == "GET":
        form.locale.data = current_language()
        if channels:
            form.channel.data = channels[0].value
    if channels and form.validate_on_submit():
        try:
            subscriptions.follow(organization, form.channel.data, form.address.data,
                                 form.locale.data)  # fmt: skip
        except AddressError as error:
            form.address.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Done: you will hear when the plan is announced or amended. Every message "
                    "has a link to stop."), "success")  # fmt: skip
            return redirect(url_for("organizations.show", slug=slug))
    return render_template("notify/follow.html", form=form, organization=organization,
                           channels=channels)  # fmt: skip


# --- the proposer ---------------------------------------------------------------------------


@bp.route("/notifications/proposal", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def proposer():
    from forum.proposals.models import Proposal, normalized_tracking_code, tracking_code_digest
    from forum.proposals.states import Status

    code = normalized_tracking_code(request.values.get("code"))
    starting = request.method == "POST" and request.form.get("start") == "1"
    proposal = None
    if code:
        proposal = db.session.scalar(
            select(Proposal).where(Proposal.tracking_code_hash == tracking_code_digest(code))
        )
        if proposal is not None and proposal.status == Status.DRAFT:
            proposal = None
    channels = _channels_of(proposal.organization) if proposal is not None else list(Channel)
    form = ProposerForm(channels=channels)
    if request.method == "GET" or starting:  # from the confirmation page: fill in, ask
        form.code.data = code
        form.locale.data = current_language()
        if Channel.SMS in channels:
            form.channel.data = Channel.SMS.value
    if starting:
        pass
    elif request.method == "POST" and proposal is None:
        form.validate()
        form.code.errors = [_("No proposal has this code. Check the code and try again.")]
    elif proposal is not None and not channels:
        form.code.errors = [_("This organization does not send notifications yet.")]
    elif form.validate_on_submit():
        try:
            subscriptions.opt_in_proposer(proposal, form.channel.data, form.address.data,
                                          form.locale.data)  # fmt: skip
        except AddressError as error:
            form.address.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Done: you will get a message at each change of the proposal's status."),
                  "success")  # fmt: skip
            return redirect(url_for("proposals.show", proposal_id=proposal.id))
    return _private(render_template("notify/proposer.html", form=form))


# --- the link in every message --------------------------------------------------------------


def _message_for(token: str) -> Message | None:
    reference = reference_from(token)
    if reference is None:
        return None
    return db.session.scalar(select(Message).where(Message.reference == reference))


def _invalid_link():
    return _private((render_template("notify/invalid_link.html"), 404))


@bp.route("/n/<token>")
def landing(token: str):
    message = _message_for(token)
    if message is None:
        return _invalid_link()
    return _private(render_template("notify/landing.html", message=message, token=token,
                                    body=_body_without_link(message)))  # fmt: skip


def _body_without_link(message: Message) -> str:
    return message.text.rsplit(" ", 1)[0] if " " in message.text else ""


@bp.route("/n/<token>/stop", methods=["POST"])
@csrf.exempt  # the signed link is the credential; mail programs POST here (RFC 8058)
def stop(token: str):
    message = _message_for(token)
    if message is None:
        return _invalid_link()
    subscription = message.subscription
    stopped = subscription is not None and subscriptions.stop(subscription)
    db.session.commit()
    return _private(render_template("notify/stopped.html", message=message, stopped=stopped,
                                    token=token))  # fmt: skip


# --- the officers' queue --------------------------------------------------------------------


@bp.route("/o/<slug>/notifications")
@login_required
def queue(slug: str):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    show = request.args.get("show", "problems")
    query = select(Message).where(Message.organization_id == organization.id)
    if show == "problems":
        query = query.where(Message.status.in_([str(s) for s in FAILED_STATUSES]))
    elif show in {s.value for s in MessageStatus}:
        query = query.where(Message.status == show)
    messages = db.session.scalars(query.order_by(Message.id.desc()).limit(PAGE_SIZE)).all()
    counts = dict(db.session.execute(
        select(Message.status, func.count())
        .where(Message.organization_id == organization.id)
        .group_by(Message.status)
    ).all())  # fmt: skip
    return render_template(
        "notify/queue.html", organization=organization, messages=messages, counts=counts,
        statuses=list(MessageStatus), show=show, body_of=_body_without_link,
    )


def _queue_message(organization, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.organization_id != organization.id:
        abort(404)
    return message


@bp.route("/o/<slug>/notifications/<int:message_id>/retry", methods=["POST"])
@login_required
def retry(slug: str, message_id: int):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    message = _queue_message(organization, message_id)
    if message.status not in (MessageStatus.DEAD, MessageStatus.UNKNOWN, MessageStatus.CANCELLED,
                              MessageStatus.RETRY):  # fmt: skip
        flash(_("This message is not waiting for a decision."), "error")
    else:
        delivery.retry_now(message, current_user, settings_for(organization.id))
        db.session.commit()
        flash(_("The message will be sent again."), "success")
    return redirect(url_for(".queue", slug=slug, show=request.args.get("show", "problems")))


@bp.route("/o/<slug>/notifications/<int:message_id>/cancel", methods=["POST"])
@login_required
def cancel(slug: str, message_id: int):
    organization = get_organization(slug)
    require_settings_keeper(current_user, organization)
    message = _queue_message(organization, message_id)
    if message.status in (MessageStatus.SENT, MessageStatus.SENDING, MessageStatus.CANCELLED):
        flash(_("This message can no longer be cancelled."), "error")
    else:
        delivery.cancel(message, current_user)
        db.session.commit()
        flash(_("The message was cancelled."), "success")
    return redirect(url_for(".queue", slug=slug, show=request.args.get("show", "problems")))


# --- channel settings -----------------------------------------------------------------------


@bp.route("/o/<slug>/notifications/settings", methods=["GET", "POST"])
@login_required
def settings(slug: str):
    organization = get_organization(slug)
    if not current_user.has_role(organization.id, Role.ADMIN):
        abort(403)
    row = settings_for(organization.id)
    if row is None:
        row = NotifySettings(organization_id=organization.id, smtp_port=587,
                             smtp_security="starttls", sms_encoding="form",
                             line_base_url="https://api.line.me", max_attempts=6)  # fmt: skip
    form = SettingsForm(obj=row)
    if request.method == "GET":
        for name in SettingsForm.SECRETS:
            getattr(form, name).data = ""
    if form.validate_on_submit():
        for name, field in form._fields.items():
            if name == "csrf_token" or (name in SettingsForm.SECRETS and not field.data):
                continue
            value = field.data.strip() if isinstance(field.data, str) else field.data
            setattr(row, name, value if value != "" else None)
        row.line_base_url = row.line_base_url or "https://api.line.me"
        row.updated_by_id = current_user.id
        db.session.add(row)
        db.session.commit()
        flash(_("The notification settings have been saved."), "success")
        return redirect(url_for(".settings", slug=slug))
    return render_template("notify/settings.html", form=form, organization=organization,
                           row=row)  # fmt: skip


# --- a ballot round's reminder --------------------------------------------------------------


@bp.route("/rounds/<int:round_id>/remind", methods=["POST"])
@login_required
def remind(round_id: int):
    from forum.voting.models import BallotRound

    ballot_round = db.get_or_404(BallotRound, round_id)
    if not ballot_round.can_manage(current_user):
        abort(403)
    if not ballot_round.is_open:
        flash(_("This round is closed."), "error")
    else:
        count = round_closing(ballot_round)
        db.session.commit()
        flash(_("%(count)s reminders are on their way to the members who have not voted.",
                count=count), "success")  # fmt: skip
    return redirect(url_for("voting.show", round_id=round_id))
