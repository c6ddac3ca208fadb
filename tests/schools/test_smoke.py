import pytest


@pytest.mark.django_db
def test_staff_dashboard_and_school_pages_render(client_for, inspector, school_a):
    client = client_for(inspector)

    assert client.get("/dashboard/").status_code == 200
    assert client.get("/schools/").status_code == 200
    assert client.get(f"/schools/{school_a.code}/").status_code == 200
