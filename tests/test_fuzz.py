"""Hostile input at every route: arbitrary Unicode, huge numbers, malformed form data, query
strings naming the parameters the views read, multipart bodies.

Every rule of ``app.url_map`` is fuzzed (new routes are picked up automatically), as an anonymous
visitor and as an organization admin. No answer may be a server error, and none may show a stack
trace. The test app propagates exceptions, so any unhandled error fails the example outright.
"""

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from forum import create_app
from tests.conftest import base_config
from tests.helpers import also_plan_officer

EXAMPLES = 12
SLUGS = ["ban-on", "khelang-nakhon", "lampang-pao", "lampang"]
SKIPPED_ENDPOINTS = {"static"}
FIELD_NAME = re.compile(r'name="([^"]+)"')
# Query parameters the views read (request.args, GET forms); every GET route gets them all.
QUERY_NAMES = [
    "page", "village", "strategy", "status", "q", "offset", "limit", "budget", "year",
    "voters", "rows", "draft", "code", "next", "spam", "form", "method", "round",
]
BAD_NUMBERS = ["99999999999999999999", "-1", "-99999999999999999999", "1e309", "NaN", "2147483648"]

# Text a browser could send: any Unicode except lone surrogates (not encodable as UTF-8).
unicode_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
huge_numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**100]),
).map(str)
odd_numbers = st.sampled_from(
    ["1e309", "NaN", "-inf", "0x1F", "١٢٣", "๑๒๓", "1,000,000.5", "  7  ", "-0", "", " "]
)
field_value = st.one_of(
    unicode_text, huge_numbers, odd_numbers, st.just("x" * 20_000), st.just("\x00\r\n")
)


def url_argument(converter):
    if isinstance(converter, AnyConverter):
        return st.sampled_from(sorted(converter.items))
    if isinstance(converter, IntegerConverter):
        return st.one_of(
            st.integers(min_value=0, max_value=40), st.integers(min_value=2**31, max_value=10**30)
        )
    if isinstance(converter, PathConverter):
        return unicode_text.filter(bool)
    no_slash = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/"),
                       min_size=1, max_size=40)
    return st.one_of(st.sampled_from(SLUGS), no_slash)


def fuzzable_rules():
    app = create_app(base_config("sqlite://"))
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS),
        key=lambda r: (r.rule, r.endpoint),
    )


RULES = fuzzable_rules()


def form_fields(client, url: str) -> list[str]:
    """Field names of the form on the page (if any), so POSTs reach the validators."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.content_type:
        return []
    return sorted(set(FIELD_NAME.findall(response.get_data(as_text=True))) - {"csrf_token"})


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code
    body = response.get_data().decode("utf-8", errors="replace")  # downloads are binary
    assert "Traceback" not in body and 'File "/' not in body


@pytest.mark.parametrize("user", [None, "admin-banon"])
@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.endpoint}")
def test_no_route_fails_on_hostile_input(app, client, auth, rule, user):
    if user:
        also_plan_officer(user)  # both pages: the administrator's and the office's
        auth.login(user)
    adapter = app.url_map.bind("localhost")
    arguments = {name: url_argument(conv) for name, conv in rule._converters.items()}
    methods = sorted(rule.methods & {"GET", "POST"})
    known_fields: dict[str, list[str]] = {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        values=st.fixed_dictionaries(arguments),
        method=st.sampled_from(methods),
        data=st.data(),
    )
    def check(values, method, data):
        url = adapter.build(rule.endpoint, values)
        if method == "GET":
            names = st.one_of(st.sampled_from(QUERY_NAMES), unicode_text)
            query = data.draw(st.dictionaries(names, field_value, max_size=4))
            assert_no_server_error(client.get(url, query_string=query))
            return
        if url not in known_fields:
            known_fields[url] = form_fields(client, url) if "GET" in rule.methods else []
        names = known_fields[url] or ["title", "name", "value", "choice", "reason"]
        form = data.draw(
            st.dictionaries(
                st.one_of(st.sampled_from(names), unicode_text),
                st.one_of(field_value, st.lists(field_value, max_size=3)),
                max_size=len(names) + 2,
            )
        )
        if data.draw(st.booleans()):  # the same as multipart, with a file part
            form = {**form, "photos": (io.BytesIO(b"\xff\xd8\xff\x00"), "a\x00.jpg")}
            response = client.post(url, data=form, content_type="multipart/form-data")
        else:
            response = client.post(url, data=form)
        assert_no_server_error(response)

    check()


GET_RULES = [r for r in RULES if "GET" in r.methods]


def example_value(name: str, converter):
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, IntegerConverter):
        return 1
    return "csv" if name == "fmt" else SLUGS[0]


def example_url(adapter, rule) -> str:
    values = {name: example_value(name, conv) for name, conv in rule._converters.items()}
    return adapter.build(rule.endpoint, values)


@pytest.mark.parametrize("user", [None, "admin-banon"])
@pytest.mark.parametrize("rule", GET_RULES, ids=lambda r: f"{r.endpoint}")
def test_no_get_route_fails_on_bad_numbers_in_its_query(app, client, auth, rule, user):
    """Every query parameter the app reads, at once, set to each hostile number."""
    if user:
        also_plan_officer(user)  # both pages: the administrator's and the office's
        auth.login(user)
    url = example_url(app.url_map.bind("localhost"), rule)
    for number in BAD_NUMBERS:
        query = dict.fromkeys(QUERY_NAMES, number)
        assert_no_server_error(client.get(url, query_string=query))
        for name in ("page", "village", "strategy", "offset", "budget"):
            assert_no_server_error(client.get(url, query_string={name: number}))


@pytest.mark.parametrize(
    "url",
    [
        "/o/ban-on/proposals?page=99999999999999999999",
        "/o/ban-on/proposals?village=99999999999999999999",
        "/o/ban-on/proposals?strategy=99999999999999999999",
        "/api/organizations/ban-on/proposals?offset=99999999999999999999",
        "/o/ban-on/exports/proposals.csv?village=99999999999999999999",
    ],
)
def test_the_probes_bad_numbers_are_answered(client, url):
    """(The results routes' budget=-1: tests/test_exports.py, on a closed round.)"""
    response = client.get(url)
    assert response.status_code == 200, response.status_code


def test_a_nul_in_a_multipart_proposal_is_refused(client):
    from tests.helpers import org, valid_proposal_form

    data = valid_proposal_form(org("ban-on"), title="ถนน\x00หน้าวัด")
    response = client.post("/o/ban-on/proposals/new", data=data,
                           content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/api/organizations/ban-on/proposals", "/login"])
def test_malformed_bodies_are_answered_without_a_server_error(client, path):
    for body, content_type in [
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
        (b"--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb", "multipart/form-data"),
        (b"{not json", "application/json"),
        (b"a=" + b"%" * 1000, "application/x-www-form-urlencoded"),
    ]:
        assert_no_server_error(client.post(path, data=body, content_type=content_type))


def test_an_unexpected_error_shows_no_stack_trace(database_url):
    app = create_app(base_config(database_url, TESTING=False, PROPAGATE_EXCEPTIONS=False))

    @app.route("/__boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body


def test_a_multipart_part_without_a_usable_name_is_no_server_error(client, auth):
    auth.login("admin-banon")
    response = client.post("/account/password", data={"\r": "x"},
                           content_type="multipart/form-data")
    assert_no_server_error(response)
