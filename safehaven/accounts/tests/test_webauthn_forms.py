"""The security key forms refuse an answer json.loads cannot read with a message, not a 500."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.test import Client

from safehaven.accounts.models import User
from safehaven.accounts.tests.helpers import TEST_PASSWORD
from safehaven.accounts.tests.test_login import post_password
from safehaven.accounts.webauthn_forms import CREDENTIAL_MAX_LENGTH, BoundedJSONField

ADD_KEY_URL = "/en/accounts/2fa/webauthn/add/"
UNREADABLE = {
    "a number of 5,000 digits": "9" * 5000,
    "nesting 50,000 deep": "[" * 50_000,
    "a valid answer over the length limit": '"' + "a" * CREDENTIAL_MAX_LENGTH + '"',
    "not JSON at all": "{",
}


@pytest.mark.parametrize("credential", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_it_refuses_an_unreadable_answer_as_invalid(credential):
    form_field = BoundedJSONField()
    with pytest.raises(ValidationError) as refused:
        form_field.clean(credential)
    assert refused.value.messages == ["Enter a valid JSON."]
    # Shown again as typed, not re-encoded (bound_data must not raise either).
    assert form_field.prepare_value(form_field.bound_data(credential, None)) == credential


def test_it_reads_an_answer_a_key_gives():
    assert BoundedJSONField().clean('{"id": "abc", "response": {"n": 1}}') == {
        "id": "abc",
        "response": {"n": 1},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("credential", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_it_answers_the_add_key_page_with_a_message(world, credential):
    User.objects.create_user("newcomer", "newcomer@staff.test", TEST_PASSWORD)
    client = Client()
    post_password(client, "newcomer@staff.test", TEST_PASSWORD)
    client.post("/en/accounts/reauthenticate/", {"password": TEST_PASSWORD})
    response = client.post(ADD_KEY_URL, {"name": "My key", "credential": credential})
    assert response.status_code == 200
    assert "Enter a valid JSON." in response.content.decode()
    assert not Authenticator.objects.filter(user__username="newcomer").exists()
