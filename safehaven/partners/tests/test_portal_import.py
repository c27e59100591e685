"""A batch import on the portal: the expected header is on the page; a good file refers every
row on the import channel; a file with one bad row saves nothing and names the line and why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from safehaven.intake.choices import RequestChannel
from safehaven.intake.models import HelpRequest
from safehaven.partners.tests.portal_helpers import logged_in

pytestmark = pytest.mark.django_db
IMPORT_URL = "/en/partners/import/"
HEADER = "known_as,situation,country,languages,contact_method,contact,consent"
GOOD = "Ana,Threatened at home,RU,ru,telegram,@ana_safe,yes"
BAD_COUNTRY = "Bo,Threatened at work,XX,ru,,,yes"


def csv_file(*lines: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("batch.csv", "\n".join(lines).encode(encoding), "text/csv")


def test_it_shows_the_expected_header(world):
    html = logged_in(world, "partner_a").get(IMPORT_URL).content.decode()
    assert '<pre id="expected-header">known_as,situation,country,' in html
    assert "consent" in html.split('id="expected-header"')[1].split("</pre>")[0]


def test_it_refers_every_row_of_a_good_file(world):
    client = logged_in(world, "partner_a")
    response = client.post(IMPORT_URL, {"file": csv_file(HEADER, GOOD, GOOD)})
    assert response.status_code == 302
    assert response["Location"] == "/en/partners/referrals/"
    referred = HelpRequest.objects.filter(referred_by=world.partner_a)
    assert referred.count() == 2
    assert set(referred.values_list("channel", flat=True)) == {RequestChannel.IMPORT}
    assert (
        "2 people were referred from the file."
        in client.get(IMPORT_URL.replace("import/", "referrals/")).content.decode()
    )


def test_a_file_with_one_bad_row_saves_nothing_and_names_the_line(world):
    response = logged_in(world, "partner_a").post(
        IMPORT_URL, {"file": csv_file(HEADER, GOOD, BAD_COUNTRY, GOOD)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not HelpRequest.objects.exists()
    assert "Nothing from this file was saved." in html
    problems = html.split('id="problems"')[1].split("</section>")[0]
    assert "Line 3: country:" in problems
    assert "Line 2" not in problems
    assert "Line 4" not in problems


def test_it_refuses_a_file_that_is_not_utf8(world):
    response = logged_in(world, "partner_a").post(
        IMPORT_URL, {"file": csv_file(HEADER, "Żaneta,Opis,PL,pl,,,yes", encoding="utf-16")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file: The file is not UTF-8 text." in html
    assert not HelpRequest.objects.exists()


def test_it_asks_for_a_file(world):
    response = logged_in(world, "partner_a").post(IMPORT_URL, {"note": "no file"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not HelpRequest.objects.exists()
