"""Every URL × every role, in one walk: the status the permission matrix expects, then hostile
values in every parameter and form field, never a 5xx.

For each URL, every role first GETs the page on untouched data and must get its row's status in
MATRIX (cnum/core/tests/test_permission_matrix.py); the hostile requests come after, so that one
role's POSTs cannot change what another role is shown. One walk serves both checks: the pages are
opened once, not twice.

Then, for each role, it reads the names of the page's form fields, of the query strings of its
links and of the parameters its view module reads, GETs and POSTs the page (and every form action
it holds) with hostile values in all of them, and GETs and POSTs the URL with hostile path
segments. A role the page refuses (403, or the login page for an anonymous visitor) never runs
the view's code past its permission check: it gets one hostile GET and POST and the broken path,
which is what reaches the middleware and that check. A fixed seed picks which hostile value goes
to which field in each request: every URL × role × method is visited, every hostile value is
sent, and a failure replays identically.
"""

import inspect
import random
import re
from functools import cache
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
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

    def open(self, kwargs, expected):
        """Log in and GET the page: the wrong status, if the matrix expects another one."""
        if self.role != ANONYMOUS:
            login(self.client, make_user(self.role))
        self.response = self.send("get", reverse(self.name, kwargs=kwargs))
        if self.response.status_code != expected:
            return f"{self.name} [{self.role}] : {self.response.status_code} au lieu de {expected}"
        return None

    def attack(self, kwargs):
        url = reverse(self.name, kwargs=kwargs)
        response = self.response
        if self.refused(response):
            names = names_read_by(url) or {"id"}
            self.send("get", url, hostile_data(names, self.rng, 0))
            self.send("post", url, hostile_data(names, self.rng, 0))
        else:
            self.visit_page(url, response)
        if kwargs:
            self.send_broken_path(kwargs)
        return self.failures

    def refused(self, response):
        if response.status_code == 403:
            return True
        login_page = reverse(settings.LOGIN_URL)
        return response.status_code == 302 and response["Location"].startswith(login_page)

    def visit_page(self, url, response):
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


def walk(name):
    kwargs, expected = MATRIX[name]
    kwargs = kwargs() if callable(kwargs) else kwargs
    visits = [Visit(name, role) for role in ROLES]
    wrong = [error for visit in visits if (error := visit.open(kwargs, expected[visit.role]))]
    assert not wrong, "Matrice des permissions non respectée :\n" + "\n".join(wrong)
    failures = []
    for visit in visits:
        failures += visit.attack(kwargs)
    assert not failures, "\n".join(failures)


def shard(index):
    """URL names of one shard: xdist (--dist loadscope) spreads classes across workers."""
    return sorted(MATRIX)[index::SHARDS]


@pytest.mark.django_db
class TestEveryUrlShard0:
    @pytest.mark.parametrize("name", shard(0))
    def test_status_then_no_server_error(self, name):
        walk(name)


@pytest.mark.django_db
class TestEveryUrlShard1:
    @pytest.mark.parametrize("name", shard(1))
    def test_status_then_no_server_error(self, name):
        walk(name)


@pytest.mark.django_db
class TestEveryUrlShard2:
    @pytest.mark.parametrize("name", shard(2))
    def test_status_then_no_server_error(self, name):
        walk(name)


@pytest.mark.django_db
class TestEveryUrlShard3:
    @pytest.mark.parametrize("name", shard(3))
    def test_status_then_no_server_error(self, name):
        walk(name)
