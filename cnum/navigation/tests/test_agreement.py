"""Who may see a page is said by its view; the menus and the permission matrix must agree.

For every link of the navigation table and every role: the link is offered iff the matrix says
the role gets in (anything but 403), and every link a logged-in role is shown opens for it.
"""

import re

import pytest
from django.urls import reverse

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_user
from cnum.core.tests.test_permission_matrix import MATRIX
from cnum.navigation.menu import GROUPS, TOOLS


@pytest.mark.parametrize("tool", TOOLS, ids=lambda tool: tool.url_name)
def test_a_link_is_offered_to_exactly_the_roles_its_page_lets_in(tool):
    kwargs, expected = MATRIX[tool.url_name]
    assert kwargs == {}, "un lien du menu ne prend pas de paramètre"
    let_in = {role for role in Role.values if expected[role] != 403}
    assert set(tool.roles) == let_in


def test_every_link_belongs_to_a_menu():
    assert {tool.group for tool in TOOLS} <= {key for key, _ in GROUPS}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_every_link_a_role_is_shown_opens_for_it(client, role):
    login(client, make_user(role))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    shown = {tool.url_name for tool in TOOLS if f'href="{reverse(tool.url_name)}"' in html}
    assert shown == {tool.url_name for tool in TOOLS if role in tool.roles}
    for name in shown:
        assert client.get(reverse(name)).status_code != 403, name
    header = re.search(r'<nav class="fr-nav".*?</nav>', html, re.S).group(0)
    assert all(f'href="{reverse(name)}"' in header for name in shown)
