"""Every portal page passes axe-core with no serious or critical violation, in both languages."""

import pytest

from tests.e2e.journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [
    "/",
    "/profile/",
    "/stories/",
    "/stories/new/",
    "/concerns/",
    "/concerns/new/",
    "/you-said-we-did/",
    "/ambassadors/",
    "/recognition/",
]
PUBLIC_PAGES = ["/accounts/login/", "/accounts/password/reset/", "/no-such-page/"]


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url} [{v['impact']}] {v['id']}: {v['help']} "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_portal_pages_pass_axe(live_server, browser, new_hire, cx_lead, hr, language):
    found = []
    for user in (None, new_hire, cx_lead, hr):
        context = browser.new_context(
            locale="ko-KR" if language == "ko" else "en-GB",
            extra_http_headers={"Accept-Language": language},
        )
        page = context.new_page()
        if user is None:
            paths = PUBLIC_PAGES
        else:
            user.profile.language = language
            user.profile.save()
            sign_in(page, live_server.url, user)
            paths = PAGES
        for path in paths:
            page.goto(live_server.url + path)
            assert page.get_attribute("html", "lang") == language, path
            found += _serious(page)
        context.close()
    assert found == []
