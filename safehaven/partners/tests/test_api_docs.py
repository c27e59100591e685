"""The partner API's OpenAPI schema and docs page: public, from this origin only (no CDN),
and the docs page runs under the site's strict CSP without a violation."""

import re

import pytest

from safehaven.core.tests.test_browser_landing import refuse_other_origins

SCHEMA = "/api/partners/v1/openapi.json"
DOCS = "/api/partners/v1/docs"
OPERATIONS = {
    ("post", "/api/partners/v1/referrals"),
    ("get", "/api/partners/v1/referrals"),
    ("post", "/api/partners/v1/referrals/batch"),
    ("get", "/api/partners/v1/referrals/{request_id}"),
}


def test_the_schema_is_public_and_describes_every_operation_behind_a_bearer_token(client):
    response = client.get(SCHEMA)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    found = {(method, path) for path, item in schema["paths"].items() for method in item}
    assert found == OPERATIONS
    assert schema["components"]["securitySchemes"] == {
        "PartnerTokenAuth": {"type": "http", "scheme": "bearer"}
    }
    for path_item in schema["paths"].values():
        for operation in path_item.values():
            assert operation["security"] == [{"PartnerTokenAuth": []}]
    assert not re.search(r"https?://", response.content.decode())
    assert "codename" not in response.content.decode().lower()


def test_the_docs_page_loads_only_this_sites_files(client):
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses
    assert all(address.startswith("/") and not address.startswith("//") for address in addresses)
    assert "/static/ninja/swagger-ui-bundle.js" in addresses
    assert not re.search(r"https?://", html)
    assert '"validatorUrl": null' in html
    assert "<script>" not in html  # no inline script: the settings are a JSON data block
    assert "style=" not in html
    assert "<style" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_renders_under_the_sites_csp_from_this_origin_only(
    browser_context, live_server
):
    foreign = refuse_other_origins(browser_context, live_server.url)
    page = browser_context.new_page()
    complaints: list[str] = []
    page.on(
        "console",
        lambda message: (
            complaints.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: complaints.append(str(error)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    response = page.goto(f"{live_server.url}{DOCS}")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("Refer one person").wait_for()
    page.get_by_text("Import a batch of referrals from CSV").wait_for()
    assert page.get_by_role("button", name=re.compile("Authorize")).is_visible()
    assert not foreign
    assert not complaints, complaints
