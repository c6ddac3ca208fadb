"""Orders: a lists order drawn from the computed year, signed, frozen; what a signed order refuses."""

import datetime
import io

import docx
import pytest
from django.urls import reverse

from documents import selectors, services
from documents.docx_templates import NOT_DOCX, UNKNOWN_FIELD
from documents.models import SIGNED_IMMUTABLE, ApprovedSchool, Order
from indicators.models import ComputationRun, SchoolStatus
from indicators.services.overrides import status_override_create
from schools.errors import Conflict, ValidationFailed
from schools.panels import list_approval
from tests.reports.factories import CLUSTER, computed_year, seed_catalogue

pytestmark = pytest.mark.django_db
YEAR = 2025
SIGN_DATE = datetime.date(2025, 9, 1)


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def stored_text(field) -> str:
    with field.open("rb") as handle:
        return docx_text(handle.read())


@pytest.fixture
def computed(db):
    """Three schools computed for 2025/2026: «S1» on ШНОР (rank 1 of 3, index 10,0) and on ШНСУ,
    «S2» and «S3» on no list."""
    seed_catalogue()
    computed_year(
        YEAR,
        [
            {
                "code": "S1",
                "students": 300,
                "results_index": 10.0,
                "rank": 1,
                "low": True,
                "unf": True,
                "oge": (13, 80),
            },
            {"code": "S2", "students": 250, "results_index": 70.0, "rank": 2, "low": False, "oge": (3, 60)},
            {"code": "S3", "students": 120, "results_index": 90.0, "rank": 3, "low": False, "oge": (1, 5)},
        ],
    )
    SchoolStatus.objects.filter(school__code="S1").update(
        social_rank=1, social_population=3, social_index=20.0
    )


@pytest.fixture
def draft(computed, inspector):
    return services.order_draft_create(
        user=inspector,
        document_kind="lists",
        year=YEAR,
        date=SIGN_DATE,
        place="г. Берёзовск",
        signatory_position="Начальник управления образования",
        signatory_name="И.И. Иванова",
        control_person="заместителя начальника П.П. Петрова",
        executor_name="Сидорова Анна Павловна",
        executor_phone="8 (39161) 2-34-56",
    )


def test_lists_draft_docx_has_the_form_of_an_order_and_the_schools_the_data_says(draft):
    text = stored_text(draft.docx)

    for line in (
        "Управление образования муниципального округа",
        "ПРИКАЗ",
        "01.09.2025",
        "г. Берёзовск",
        "Об утверждении списков ШНОР и ШНСУ на 2025/2026 учебный год",
        "ПРИКАЗЫВАЮ:",
        # one school on each list: «1 организация»
        "1. Утвердить список школ с низкими результатами обучения (ШНОР) на 2025/2026 учебный год "
        "(1 организация; приложение № 1).",
        "5. Контроль за исполнением приказа возложить на заместителя начальника П.П. Петрова.",
        "Начальник управления образования",
        "И.И. Иванова",
        "Исп. Сидорова Анна Павловна",
        "тел. 8 (39161) 2-34-56",
        "Приложение № 1",
        "Приложение № 2",
        "к приказу от 01.09.2025 № ____",
        "МБОУ «Школа S1»",
        "низкие результаты обучения в каждом из последних 2 лет; индекс результатов 10,0; "
        f"место 1 из 3 в кластере «{CLUSTER}»",
        "индекс социального благополучия 20,0; место 1 из 3 в муниципалитете",
    ):
        assert line in text.split("\n"), line
    assert "МБОУ «Школа S2»" not in text


def test_signing_freezes_the_approved_lists_and_the_docx_carries_the_number(draft, inspector):
    order = services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)

    order = Order.objects.get(pk=order.pk)
    assert order.status == "signed"
    approved = sorted(ApprovedSchool.objects.filter(order=order).values_list("list_kind", "school__code"))
    assert approved == [("low_results", "S1"), ("unfavourable", "S1")]
    text = stored_text(order.docx)
    assert "№ 01-03/482" in text
    assert "к приказу от 01.09.2025 № 01-03/482" in text
    with order.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    approval = list_approval(YEAR)
    assert approval.text == (
        "Списки утверждены приказом № 01-03/482 от 01.09.2025 «Об утверждении списков ШНОР и ШНСУ на "
        "2025/2026 "
        "учебный год»"
    )


def test_a_later_computation_leaves_the_approved_list_and_shows_the_difference(draft, inspector):
    order = services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)
    # A recomputation: S2 now ranks last (index 5,0), S1 rises to rank 2; S1 leaves ШНОР, S2 enters.
    ComputationRun.objects.filter(year=YEAR).delete()
    computed_year(
        YEAR,
        [
            {
                "code": "S1",
                "students": 300,
                "results_index": 40.0,
                "rank": 2,
                "low": False,
                "unf": True,
                "oge": (5, 80),
            },
            {"code": "S2", "students": 250, "results_index": 5.0, "rank": 1, "low": True, "oge": (20, 60)},
            {"code": "S3", "students": 120, "results_index": 90.0, "rank": 3, "low": False, "oge": (1, 5)},
        ],
    )

    approved = sorted(ApprovedSchool.objects.filter(order=order).values_list("list_kind", "school__code"))
    assert approved == [("low_results", "S1"), ("unfavourable", "S1")]
    difference = selectors.list_difference(year=YEAR)
    low = difference["lists"]["low_results"]
    assert [(r["school"].code, r["why"]) for r in low["entered"]] == [
        (
            "S2",
            f"низкие результаты обучения в каждом из последних 2 лет; индекс результатов 5,0; место 1 из 3 "
            f"в кластере «{CLUSTER}»",
        )
    ]
    assert [(r["school"].code, r["why"]) for r in low["left"]] == [
        ("S1", "по расчёту не входит: место 2 из 3 в кластере, индекс результатов 40,0")
    ]
    assert difference["lists"]["unfavourable"]["entered"] == []
    # The order page says both.
    assert low["approved"] == 1 and low["computed"] == 1


def test_an_inspectors_exclusion_after_signing_is_a_difference_with_the_reason(draft, inspector):
    services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)
    school = SchoolStatus.objects.get(school__code="S1", year=YEAR).school
    status_override_create(
        school=school, year=YEAR, list_kind="low_results", decision="exclude", reason="реорганизация школы"
    )

    left = selectors.list_difference(year=YEAR)["lists"]["low_results"]["left"]

    assert [(r["school"].code, r["why"]) for r in left] == [
        ("S1", "исключена решением инспектора: реорганизация школы")
    ]


def test_a_signed_order_refuses_every_change_in_the_service_and_the_model(draft, inspector):
    order = services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)
    message = SIGNED_IMMUTABLE.format(number="01-03/482", date="01.09.2025")

    for change in (
        lambda o: services.order_update(order=o, user=inspector, title="Другое"),
        lambda o: services.order_refresh(order=o, user=inspector),
        lambda o: services.order_sign(order=o, user=inspector, number="01-03/999"),
    ):
        with pytest.raises(Conflict) as refused:
            change(Order.objects.get(pk=order.pk))
        assert refused.value.message == message
    loaded = Order.objects.get(pk=order.pk)
    loaded.title = "Прямо в модели"
    with pytest.raises(Conflict):
        loaded.save()
    assert (
        Order.objects.get(pk=order.pk).title == "Об утверждении списков ШНОР и ШНСУ на 2025/2026 учебный год"
    )


def test_a_signed_order_refuses_edits_on_the_page_and_the_page_hides_the_edit_link(
    draft, inspector, client_for
):
    client = client_for(inspector)
    services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)

    page = client.get(reverse("documents:order-detail", args=[draft.pk]))
    edit = client.post(
        reverse("documents:order-edit", args=[draft.pk]), {"title": "Другое", "date": "2025-09-01"}
    )

    assert reverse("documents:order-edit", args=[draft.pk]) not in page.content.decode()
    assert edit.status_code == 409
    assert "подписан и не изменяется" in edit.content.decode()
    assert Order.objects.get(pk=draft.pk).title.startswith("Об утверждении списков")


def test_api_orders_shows_the_contract_fields_and_refuses_changes_to_a_signed_order(
    draft, inspector, client_for
):
    client = client_for(inspector)
    services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)

    listed = client.get("/api/orders/").json()
    patch = client.patch(f"/api/orders/{draft.pk}/", {"title": "Другое"}, content_type="application/json")
    delete = client.delete(f"/api/orders/{draft.pk}/")

    row = listed["results"][0]
    assert {k: row[k] for k in ("id", "number", "date", "kind", "status", "school_codes")} == {
        "id": draft.pk,
        "number": "01-03/482",
        "date": "2025-09-01",
        "kind": "lists",
        "status": "signed",
        "school_codes": ["S1"],
    }
    assert row["docx"].endswith(f"/orders/{draft.pk}/file.docx")
    assert patch.status_code == 409
    assert delete.status_code == 409
    assert Order.objects.filter(pk=draft.pk, title__startswith="Об утверждении").exists()


def test_api_drafts_edits_with_version_and_signs(computed, inspector, client_for):
    client = client_for(inspector)
    created = client.post(
        "/api/orders/", {"document_kind": "lists", "year": YEAR}, content_type="application/json"
    )
    order_id = created.json()["id"]

    stale = client.patch(
        f"/api/orders/{order_id}/", {"number": "1", "version": 5}, content_type="application/json"
    )
    fresh = client.patch(
        f"/api/orders/{order_id}/", {"number": "01-03/7", "version": 1}, content_type="application/json"
    )
    signed = client.post(
        f"/api/orders/{order_id}/sign/", {"date": "2025-09-02"}, content_type="application/json"
    )

    assert created.status_code == 201 and created.json()["school_codes"] == ["S1"]
    assert stale.status_code == 409
    assert fresh.status_code == 200 and fresh.json()["version"] == 2
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed" and signed.json()["number"] == "01-03/7"


def test_orders_are_for_staff_only(draft, principal_a, client_for):
    principal = client_for(principal_a)
    anonymous = client_for(None)

    refused = principal.get("/api/orders/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Приказы доступны сотрудникам управления образования."}
    assert anonymous.get("/api/orders/").status_code in (401, 403)
    assert principal.get(reverse("documents:order-detail", args=[draft.pk])).status_code == 403
    assert principal.post(f"/api/orders/{draft.pk}/sign/", {"number": "1"}).status_code == 403
    assert Order.objects.get(pk=draft.pk).status == "draft"


def test_signing_needs_a_number(draft, inspector):
    with pytest.raises(ValidationFailed) as refused:
        services.order_sign(order=draft, user=inspector, number=" ")
    assert refused.value.message == services.NUMBER_REQUIRED
    assert Order.objects.get(pk=draft.pk).status == "draft"
    assert not ApprovedSchool.objects.exists()


@pytest.mark.parametrize("version", ["0", "-1"])
def test_the_sign_page_refuses_a_version_below_one_in_russian_and_changes_nothing(
    draft, inspector, client_for, version
):
    signed = client_for(inspector).post(
        reverse("documents:order-sign", args=[draft.pk]),
        {"number": "01-03/482", "date": "2025-09-01", "version": version},
        follow=True,
    )

    assert signed.status_code == 200
    assert "Убедитесь, что это значение больше либо равно 1." in signed.content.decode()
    order = Order.objects.get(pk=draft.pk)
    assert (order.status, order.number, order.version) == ("draft", draft.number, draft.version)
    assert not ApprovedSchool.objects.exists()


def test_a_correction_supersedes_the_approved_list_and_a_withdrawal_ends_it(draft, inspector):
    original = services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)
    status_override_create(
        school=SchoolStatus.objects.get(school__code="S2").school,
        year=YEAR,
        list_kind="low_results",
        decision="include",
        reason="решение комиссии",
    )

    correction = services.order_correction_create(original=original, user=inspector)
    text = stored_text(correction.docx)
    assert correction.title == "О внесении изменений в приказ № 01-03/482 от 01.09.2025"
    assert "1. Внести изменения в приказ № 01-03/482 от 01.09.2025" in text
    assert "решение инспектора: решение комиссии" in text
    services.order_sign(order=correction, user=inspector, number="01-03/500", date=datetime.date(2025, 10, 1))
    assert selectors.approving_order(year=YEAR).pk == correction.pk
    assert selectors.approved_members(order=correction)["low_results"] == {
        SchoolStatus.objects.get(school__code=code).school_id for code in ("S1", "S2")
    }

    withdrawal = services.order_withdrawal_create(original=correction, user=inspector)
    assert "Признать утратившим силу приказ № 01-03/500 от 01.10.2025" in stored_text(withdrawal.docx)
    services.order_sign(order=withdrawal, user=inspector, number="01-03/600", date=datetime.date(2025, 11, 1))
    # The correction is withdrawn: the original order approves the lists again.
    assert selectors.approving_order(year=YEAR).pk == original.pk
    with pytest.raises(ValidationFailed):
        services.order_correction_create(original=Order.objects.get(pk=correction.pk), user=inspector)


def test_the_lists_page_names_the_approving_order_and_the_difference(draft, inspector, client_for):
    services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)

    page = client_for(inspector).get(reverse("indicators:index") + f"?year={YEAR}").content.decode()

    assert "Списки утверждены приказом № 01-03/482 от 01.09.2025" in page


def test_an_uploaded_template_naming_an_unknown_field_is_refused_in_russian(inspector):
    builtin = services.builtin_template("lists")
    document = docx.Document(io.BytesIO(bytes(builtin.content)))
    document.add_paragraph("Согласовано: {{ approver_name }}")
    buffer = io.BytesIO()
    document.save(buffer)

    with pytest.raises(ValidationFailed) as refused:
        services.template_upload(
            kind="lists", content=buffer.getvalue(), file_name="мой.docx", title="Мой", user=inspector
        )

    assert refused.value.message.startswith(
        UNKNOWN_FIELD.split("{allowed}")[0].format(
            name="approver_name", kind="Об утверждении списков ШНОР и ШНСУ"
        )
    )
    assert services.template_active("lists").pk == builtin.pk


def test_a_template_that_unpacks_to_a_bomb_is_refused_before_it_is_opened(inspector):
    """A .docx is a zip: one whose parts unpack to hundreds of megabytes is refused from the archive's
    directory (nothing unpacked), in Russian, and nothing is stored."""
    import zipfile

    builtin = services.builtin_template("lists")
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(bytes(builtin.content))) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in original.infolist():
            bomb.writestr(item, original.read(item.filename))
        bomb.writestr("word/media/padding.bin", b"\0" * (60 * 1024 * 1024))

    with pytest.raises(ValidationFailed) as refused:
        services.template_upload(
            kind="lists", content=buffer.getvalue(), file_name="бомба.docx", title="Бомба", user=inspector
        )

    assert "МБ" in refused.value.message and refused.value.field == "file"
    assert services.template_active("lists").pk == builtin.pk


def test_a_file_that_is_not_a_zip_is_refused_as_not_a_word_document(inspector):
    with pytest.raises(ValidationFailed) as refused:
        services.template_upload(
            kind="lists", content=b"%PDF-1.7 not a docx", file_name="приказ.pdf", title="", user=inspector
        )

    assert refused.value.message == NOT_DOCX.format(name="приказ.pdf")
    assert refused.value.message.startswith("Файл не является документом Word (.docx): приказ.pdf.")


def test_an_uploaded_template_is_used_for_the_next_draft(computed, inspector, client_for):
    builtin = services.builtin_template("lists")
    document = docx.Document(io.BytesIO(bytes(builtin.content)))
    document.paragraphs[0].insert_paragraph_before("Бланк Берёзовского округа — {{ year_label }}")
    buffer = io.BytesIO()
    document.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "blank.docx"

    response = client_for(inspector).post(
        reverse("documents:templates"), {"kind": "lists", "title": "Бланк", "file": upload}
    )
    order = services.order_draft_create(user=inspector, document_kind="lists", year=YEAR)

    assert response.status_code == 302
    assert "Бланк Берёзовского округа — 2025/2026" in stored_text(order.docx)


def test_the_register_searches_and_filters(draft, inspector, client_for):
    services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)
    client = client_for(inspector)

    found = client.get(reverse("documents:index"), {"q": "482"}).content.decode()
    drafts = client.get(reverse("documents:index"), {"status": "draft"}).content.decode()

    assert "№ 01-03/482 от 01.09.2025" in found
    assert "№ 01-03/482" not in drafts


def test_the_public_tab_and_the_annual_report_name_the_approving_order(draft, inspector, client_for):
    from reports.builders.annual import _approval_paragraphs

    assert _approval_paragraphs(YEAR) == [
        "Списки этого года приказом ещё не утверждены; приведены списки по расчёту."
    ]
    services.order_sign(order=draft, user=inspector, number="01-03/482", date=SIGN_DATE)

    page = client_for(None).get("/quality/").content.decode()

    assert "Списки ШНОР и ШНСУ на 2025/2026 учебный год" in page
    assert "Списки утверждены приказом № 01-03/482 от 01.09.2025" in page
    # on the public tab every count below k reads «<10» (DESIGN §4.7, issue 22), counts of schools too
    assert (
        "Школ с низкими результатами обучения (ШНОР): &lt;10; школ в неблагоприятных социальных условиях "
        "(ШНСУ): &lt;10." in page
    )
    assert _approval_paragraphs(YEAR) == [
        "Списки утверждены приказом № 01-03/482 от 01.09.2025 «Об утверждении списков ШНОР и ШНСУ на "
        "2025/2026 учебный год»: ШНОР — 1 ОО, ШНСУ — 1 ОО."
    ]


def test_a_draft_edited_meanwhile_is_not_overwritten_by_a_stale_form(draft, inspector, client_for):
    services.order_update(order=draft, user=inspector, version=1, number="01-03/480")  # now version 2
    form = {
        "number": "01-03/999",
        "date": "2025-09-01",
        "title": draft.title,
        "version": "1",
    }

    response = client_for(inspector).post(reverse("documents:order-edit", args=[draft.pk]), form)

    assert response.status_code == 200
    assert "Запись изменил другой пользователь" in response.content.decode()
    assert Order.objects.get(pk=draft.pk).number == "01-03/480"
