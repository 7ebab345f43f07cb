"""Hostile values in every parameter and form field of every URL, for every role: never a 5xx.

Walks the live permission matrix. For each URL × role it opens the page, reads the names of its
form fields, of the query strings of its links and of the parameters its view module reads, then
GETs and POSTs the page (and every form action it holds) with hostile values in all of them, and
GETs and POSTs the URL with hostile path segments. A fixed seed picks which hostile value goes to
which field in each request: every URL × role × method is visited, every hostile value is sent,
and a failure replays identically.
"""

import inspect
import random
import re
from functools import cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from cnum.accounts.permission_matrix import ANONYMOUS, ROLES
from cnum.accounts.testing import login, make_user
from cnum.core.tests.test_permission_matrix import MATRIX

REPEATED = ("1", str(2**66), "²")  # one parameter sent several times
HOSTILE = (
    "\x00",
    "²",
    str(2**66),
    "-1",
    "0001-01-01",
    "9999-12-31",
    "9" * 3000,
    "1e309",
    REPEATED,
    "",
)
# Requests with hostile fields per URL × role × method (each shifts the values by one field).
ROUNDS = 2
# Form actions of a page posted to, at most, besides the page itself.
ACTIONS_MAX = 3
# Logging out would leave the rest of the role's requests anonymous; the logout URL itself is
# still visited on its own row.
NOT_FOLLOWED = {"accounts:logout"}
SHARDS = 4


class Page(HTMLParser):
    """Names of the form fields (per form action and method) and link query keys of a page."""

    def __init__(self):
        super().__init__()
        self.forms = []  # [method, action, names]
        self.loose = set()  # fields outside any form, and link query keys
        self._form = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = [
                (attrs.get("method") or "get").lower(),
                attrs.get("action") or "",
                set(),
            ]
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            (self._form[2] if self._form else self.loose).add(attrs["name"])
        elif tag == "a" and "?" in (attrs.get("href") or ""):
            self.loose.update(key for key, _ in parse_qsl(urlsplit(attrs["href"]).query))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


# request.GET.get("x"), request.POST["x"], request.POST.getlist("x"), int_param(request.GET, "x")
_READ = re.compile(r"""(?:GET|POST)(?:\.get|\.getlist|\.pop)?(?:[\[(]|,)\s*["'](\w+)["']""")


@cache
def names_read_by(path):
    """The GET/POST parameter names the module of the view behind `path` reads by name."""
    try:
        func = inspect.unwrap(resolve(path).func)
        source = inspect.getsource(inspect.getmodule(func))
    except (Resolver404, TypeError, OSError):
        return frozenset()
    return frozenset(_READ.findall(source))


def hostile_data(names, rng, round_):
    """Every name with a hostile value, shifted by one value per round."""
    start = rng.randrange(len(HOSTILE))
    data = {}
    for i, name in enumerate(sorted(names)):
        value = HOSTILE[(start + i + round_) % len(HOSTILE)]
        data[name] = list(value) if isinstance(value, tuple) else value
    return data


def hostile_kwargs(kwargs, rng):
    """The URL's own segments broken: huge ids, NUL or `²` in text segments."""
    broken = {}
    for key, value in kwargs.items():
        if isinstance(value, int):
            broken[key] = 2**66
        else:
            broken[key] = rng.choice(["\x00", "²", "a\x00"])
    return broken


class Visit:
    def __init__(self, name, role):
        self.name = name
        self.role = role
        self.rng = random.Random(f"{name}|{role}")
        self.client = Client(raise_request_exception=False)
        self.failures = []

    def send(self, method, url, data=None):
        response = getattr(self.client, method)(url, data or {})
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            reason = repr(error[1])[:300] if error else response.status_code
            changed = {
                k: v if len(str(v)) < 40 else f"{str(v)[:20]}…" for k, v in (data or {}).items()
            }
            self.failures.append(f"{method.upper()} {url} [{self.role}] {changed}: {reason}")
        return response

    def run(self, kwargs):
        if self.role != ANONYMOUS:
            login(self.client, make_user(self.role))
        url = reverse(self.name, kwargs=kwargs)
        response = self.send("get", url)
        page = Page()
        if "html" in response.get("Content-Type", ""):
            page.feed(response.content.decode(errors="replace"))
        own = page.loose | names_read_by(url)
        for round_ in range(ROUNDS):
            fields = own | {n for _, action, names in page.forms for n in names}
            self.send("get", url, hostile_data(fields, self.rng, round_))
            self.send(
                "post", url, hostile_data(self.form_fields(page, url) | own, self.rng, round_)
            )
        for action, fields in self.other_actions(page, url):
            self.send("post", action, hostile_data(fields | names_read_by(action), self.rng, 0))
        if kwargs:
            self.send_broken_path(kwargs)
        return self.failures

    def form_fields(self, page, url):
        return {n for method, action, names in page.forms if action in ("", url) for n in names}

    def other_actions(self, page, url):
        """POST forms of the page sending elsewhere in the site, a few of them."""
        targets = {}
        for method, action, names in page.forms:
            path = urlsplit(action).path
            if method != "post" or not path.startswith("/") or path == url:
                continue
            try:
                match = resolve(path)
            except Resolver404:
                continue
            if match.view_name not in NOT_FOLLOWED:
                targets.setdefault(path, set()).update(names)
        chosen = sorted(targets)
        self.rng.shuffle(chosen)
        return [(path, targets[path]) for path in chosen[:ACTIONS_MAX]]

    def send_broken_path(self, kwargs):
        try:
            url = reverse(self.name, kwargs=hostile_kwargs(kwargs, self.rng))
        except NoReverseMatch:
            return  # the converter refuses the value: the URL cannot even be written
        self.send("get", url)
        self.send("post", url, hostile_data(names_read_by(url) or {"id"}, self.rng, 0))


def no_server_error(name):
    kwargs, _ = MATRIX[name]
    kwargs = kwargs() if callable(kwargs) else kwargs
    failures = []
    for role in ROLES:
        failures += Visit(name, role).run(kwargs)
    assert not failures, "\n".join(failures)


def shard(index):
    """URL names of one shard: xdist (--dist loadscope) spreads classes across workers."""
    return sorted(MATRIX)[index::SHARDS]


@pytest.mark.django_db
class TestHostileInputsShard0:
    @pytest.mark.parametrize("name", shard(0))
    def test_no_server_error(self, name):
        no_server_error(name)


@pytest.mark.django_db
class TestHostileInputsShard1:
    @pytest.mark.parametrize("name", shard(1))
    def test_no_server_error(self, name):
        no_server_error(name)


@pytest.mark.django_db
class TestHostileInputsShard2:
    @pytest.mark.parametrize("name", shard(2))
    def test_no_server_error(self, name):
        no_server_error(name)


@pytest.mark.django_db
class TestHostileInputsShard3:
    @pytest.mark.parametrize("name", shard(3))
    def test_no_server_error(self, name):
        no_server_error(name)
