"""A signed-in person without admin access who opens the admin gets one clear page, no loop."""

import pytest

from portal.models import Profile

pytestmark = pytest.mark.django_db

NO_ACCESS = "No access to the admin"


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/users/"])
def test_person_without_admin_access_gets_one_no_access_page(client, new_hire, path):
    client.force_login(new_hire)
    response = client.get(path)
    assert response.status_code == 403
    assert "portal/no_access.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert body.count(NO_ACCESS) == 2  # the title and the heading
    assert '<a class="home-link" href="/">Back to the home page</a>' in body
    # Wagtail's own message was never queued: it would show on the next page, once per lap.
    assert "You do not have permission" not in body
    assert "You do not have permission" not in client.get("/").content.decode()


def test_shared_admin_link_through_sign_in_ends_on_the_no_access_page(client, new_hire):
    # The loop: the admin sent the person to sign in with `next`, and allauth sent a person who
    # is signed in already straight back to `next`.
    client.force_login(new_hire)
    response = client.get("/accounts/login/?next=/admin/", follow=True)
    assert response.redirect_chain == [("/admin/", 302)]
    assert response.status_code == 403
    assert NO_ACCESS in response.content.decode()


def test_no_access_page_speaks_the_persons_language(client, new_hire):
    Profile.objects.filter(user=new_hire).update(language="ko")
    client.force_login(new_hire)
    response = client.get("/admin/")
    assert response.status_code == 403
    body = response.content.decode()
    assert '<html lang="ko">' in body
    assert "홈으로 돌아가기" in body


def test_signed_out_visitor_is_still_sent_to_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_people_with_admin_access_still_get_the_admin(client, cx_lead):
    client.force_login(cx_lead)
    assert client.get("/admin/").status_code == 200
