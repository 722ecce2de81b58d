"""The portal's Slack app: requests are verified here, then Bolt routes them to listeners.

Listeners stay thin: they call services. Each installed app that has a `slack` module
registers its listeners there with `register(app)`; `slack_modules` finds them and the app is
built with all of them.

A request to `/slack/events` goes through three gates, so that nothing a stranger sends can
make the endpoint answer 500:

1. `verify_slack_request` checks Slack's signature over the raw bytes before anything parses
   the body (Bolt's adapter parses first and verifies afterwards, so an unsigned body it
   cannot parse used to crash it). Unverifiable requests are refused with 401.
2. `read_slack_request` builds the `BoltRequest` and reads its payload the way Bolt's
   listeners will; a signed body Bolt cannot read is answered 400.
3. Bolt dispatches. Its own signature check still runs (defence in depth); a request no
   listener handles is acknowledged with 200, since Slack retries anything else.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib
import importlib.util
import logging
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.django import SlackRequestHandler
from slack_bolt.adapter.django.handler import to_bolt_request, to_django_response
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.listener.listener_error_handler import CustomListenerErrorHandler
from slack_bolt.request.payload_utils import (
    to_action,
    to_command,
    to_event,
    to_message,
    to_options,
    to_shortcut,
    to_step,
    to_view,
)
from slack_sdk.signature import SignatureVerifier

from portal.slack import home
from portal.slack.client import slack_client

logger = logging.getLogger(__name__)

# Slack's timestamps are Unix seconds; anything longer is not one (and int() refuses
# strings of more than 4300 digits with an exception).
_MAX_TIMESTAMP_DIGITS = 20

# What Bolt's payload readers raise on a body that is not shaped like Slack's: a field that
# is a string where Bolt expects an object, an empty list, a missing key.
_MALFORMED_PAYLOAD_ERRORS = (LookupError, TypeError, AttributeError, ValueError)


class _RawBodyVerifier(SignatureVerifier):
    """slack-sdk's verifier, signing the bytes exactly as received.

    Slack signs the raw body. slack-sdk decodes it as UTF-8 first, which raises on any other
    bytes; HMAC over the bytes gives the same signature for UTF-8 bodies and none for others.
    """

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        if timestamp is None:
            return None
        raw = body if isinstance(body, bytes) else (body or "").encode()
        base = b"v0:" + timestamp.encode() + b":" + raw
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return f"v0={digest}"


def slack_can_verify() -> bool:
    """Requests can be checked (a signing secret is set); without a bot token, the portal is
    in preview mode and answers them without Bolt (`preview_response`)."""
    return bool(settings.SLACK_SIGNING_SECRET)


def preview_response(body: bytes) -> HttpResponse:
    """What a verified request gets in preview mode: a slash command is told the app is not
    connected (ephemerally, in the site's language); anything else is acknowledged."""
    from urllib.parse import parse_qs

    from django.http import JsonResponse
    from django.utils.translation import gettext as _

    try:
        form = parse_qs(body.decode(), keep_blank_values=True)
    except UnicodeDecodeError:
        form = {}
    if not form.get("command"):
        return HttpResponse(status=200)
    return JsonResponse(
        {
            "response_type": "ephemeral",
            "text": _(
                "The Customer for Life app is not connected to this workspace yet (the portal "
                "runs in preview mode, without a bot token): nothing was filed. Use the portal "
                "in your browser, or ask an administrator to set SLACK_BOT_TOKEN."
            ),
        }
    )


def verify_slack_request(body: bytes, headers: Mapping[str, str]) -> bool:
    """True only for a request Slack signed with our secret in the last five minutes."""
    normalized = {name.lower(): value for name, value in headers.items()}
    timestamp = normalized.get("x-slack-request-timestamp")
    signature = normalized.get("x-slack-signature")
    problem = None
    if not timestamp or not signature:
        problem = "signature headers missing"
    # isdecimal() alone accepts other scripts' digits, which int() would read as a number.
    elif not (
        timestamp.isascii() and timestamp.isdecimal() and len(timestamp) <= _MAX_TIMESTAMP_DIGITS
    ):
        problem = "timestamp is not a number"
    # hmac.compare_digest raises TypeError on non-ASCII strings.
    elif not signature.isascii():
        problem = "signature is not ASCII"
    elif not _RawBodyVerifier(settings.SLACK_SIGNING_SECRET).is_valid(
        body=body, timestamp=timestamp, signature=signature
    ):
        problem = "signature does not match or timestamp is stale"
    if problem:
        logger.warning("Refused a Slack request: %s (%d-byte body)", problem, len(body))
        return False
    return True


def read_slack_request(request: HttpRequest) -> BoltRequest | None:
    """The request as Bolt will see it, or None if Bolt cannot read its body."""
    try:
        bolt_request = to_bolt_request(request)
        # Every listener, matcher and error handler call reads the payload through these
        # helpers; they index into it assuming Slack's shapes. Reading once here turns a
        # crash deep inside Bolt into a 400.
        for read in (
            to_options,
            to_shortcut,
            to_action,
            to_view,
            to_command,
            to_event,
            to_message,
            to_step,
        ):
            read(bolt_request.body)
    # The body is the only input here: whatever these parsers raise (invalid UTF-8, bad JSON,
    # a JSON array, nesting deep enough for RecursionError) means it is malformed.
    except Exception as error:  # noqa: BLE001
        logger.warning("Refused a signed Slack request Bolt cannot read: %s", _describe(error))
        return None
    return bolt_request


def handle_slack_request(bolt_request: BoltRequest) -> HttpResponse:
    return to_django_response(bolt_app().dispatch(bolt_request))


def _describe(error: BaseException) -> str:
    # The message names types and keys, never the body (it may hold people's words).
    return f"{type(error).__name__}: {str(error)[:200]}"


def _short(value: Any) -> str:
    return repr(value)[:100]


def _request_kind(body: dict) -> str:
    """Enough to find the missing listener: the payload type and what it was about."""
    kind = body.get("type") or ("slash_command" if "command" in body else "unknown")
    event, action, view = to_event(body), to_action(body), to_view(body)
    if isinstance(event, dict):
        detail = f"event type {_short(event.get('type'))}"
    elif isinstance(action, dict):
        detail = f"action_id {_short(action.get('action_id') or action.get('callback_id'))}"
    elif isinstance(view, dict):
        detail = f"callback_id {_short(view.get('callback_id'))}"
    elif "command" in body:
        detail = f"command {_short(body.get('command'))}"
    else:
        detail = f"callback_id {_short(body.get('callback_id'))}"
    return f"{_short(kind)}, {detail}"


def _on_listener_error(error: Exception, body: dict) -> BoltResponse | None:
    if isinstance(error, BoltUnhandledRequestError):
        # Bolt answers 404 here and Slack retries anything but 2xx; acknowledge it instead.
        logger.info("No listener handles this Slack request: %s", _request_kind(body))
        return BoltResponse(status=200, body="")
    # A listener of ours raised: a bug. Bolt answers 500, which Slack retries.
    logger.error("A Slack listener failed", exc_info=error)
    return None


def _on_middleware_error(error: Exception) -> BoltResponse | None:
    if isinstance(error, _MALFORMED_PAYLOAD_ERRORS):
        # Bolt's middleware and listener matchers index into the payload assuming Slack's
        # shapes; a signed payload they cannot read is the sender's fault, not ours.
        logger.warning("Refused a signed Slack request Bolt cannot route: %s", _describe(error))
        return BoltResponse(status=400, body={"error": "malformed_request"})
    # Anything else (say auth.test failing on the network) is ours: keep Bolt's 500.
    logger.error("Slack middleware failed", exc_info=error)
    return None


# How long an event's id is remembered: Slack retries a delivery three times within minutes.
EVENT_MEMORY = 3600


def once_per_event(body: dict, next, logger) -> BoltResponse | None:  # noqa: A002 - Bolt's
    """Bolt middleware: an event Slack delivers again (a retry, X-Slack-Retry-Num, after a
    timeout or an error) is acknowledged and not handled a second time. The event id is
    remembered in the shared cache, so it holds across web processes. Event listeners only
    acknowledge and hand the work to a task, so a first delivery that reached them is done."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if event_id and not cache.add(f"slack:event:{event_id}", True, EVENT_MEMORY):
        logger.info("Slack delivered event %s again: handled already", event_id)
        return BoltResponse(status=200, body="")
    next()
    return None


def slack_modules() -> list[ModuleType]:
    """Every installed app's `slack` module, in INSTALLED_APPS order.

    The portal's own `slack` is this package, not a listener module: its listeners, when it
    has some, are registered where the app is built.
    """
    modules = []
    for app_config in apps.get_app_configs():
        if app_config.name == "portal":
            continue
        name = f"{app_config.name}.slack"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if not callable(getattr(module, "register", None)):
            raise ImproperlyConfigured(f"{name} has no register(app) for its Slack listeners.")
        modules.append(module)
    return modules


@functools.cache
def _build_app(token: str, signing_secret: str, api_url: str) -> App:
    app = App(
        token=token,
        signing_secret=signing_secret,
        client=slack_client(),
        # The token is checked when the first message goes out; no network call at start-up.
        token_verification_enabled=False,
        # Django's request cycle ends with the response: acknowledge only after listeners ran.
        process_before_response=True,
        # Hands unhandled requests to the listener error handler below, which answers 200.
        raise_error_for_unhandled_request=True,
    )
    # app.error installs one function for both middleware and listener errors; the listener
    # side is then replaced, because only middleware errors can be the payload's fault.
    app.error(_on_middleware_error)
    app.listener_runner.listener_error_handler = CustomListenerErrorHandler(
        logger=app.logger, func=_on_listener_error
    )
    # The adapter's constructor fits the app to Django (database connections of lazy
    # listeners); requests are then dispatched through `handle_slack_request`.
    SlackRequestHandler(app=app)
    app.middleware(once_per_event)
    home.register(app)
    from portal.principles import slack as principles_slack

    principles_slack.register(app)
    for module in slack_modules():
        module.register(app)
    return app


def bolt_app() -> App:
    return _build_app(
        settings.SLACK_BOT_TOKEN, settings.SLACK_SIGNING_SECRET, settings.SLACK_API_URL
    )
