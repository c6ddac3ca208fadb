"""XML entity attacks inside xlsx: billion laughs and external entities are never expanded."""

import io
import time
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured

from schools.apps import XML_UNSAFE, assert_xml_is_defused
from schools.tabular import Column, ImportFailed, parse_text, read_table
from tests.conftest import xlsx_file

LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'.encode()
        for n in range(1, 10)
    )
    + b"]>"
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _sheet_with_entity(prolog: bytes, entity: str) -> io.BytesIO:
    """A workbook whose first sheet's cell B2 is an inline string made of `&entity;`."""
    source = zipfile.ZipFile(xlsx_file([["Код ОО", "Наименование"], ["0101", "ZAMENA"]]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
                assert b"<t>ZAMENA</t>" in body
                body = body.replace(b"<t>ZAMENA</t>", f"<t>&{entity};</t>".encode())
                data = prolog + body
            archive.writestr(item.filename, data)
    out.seek(0)
    return out


@pytest.mark.parametrize(("prolog", "entity"), [(LAUGHS, "lol9"), (EXTERNAL, "xxe")], ids=["laughs", "xxe"])
def test_openpyxl_refuses_entities(prolog, entity):
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises(ValueError) as error:
        openpyxl.load_workbook(_sheet_with_entity(prolog, entity))
    causes, cause = [], error.value
    while cause is not None:
        causes.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    assert "DTDForbidden" in causes or "EntitiesForbidden" in causes, causes


@pytest.mark.parametrize(("prolog", "entity"), [(LAUGHS, "lol9"), (EXTERNAL, "xxe")], ids=["laughs", "xxe"])
def test_the_import_reader_never_expands_entities(prolog, entity):
    started = time.perf_counter()
    columns = [Column("code", "Код ОО", required=True), Column("name", "Наименование", parse_text)]
    try:
        table = read_table(_sheet_with_entity(prolog, entity), columns)
    except ImportFailed as failure:  # refusing the file is a safe answer too
        assert str(failure.errors[0]).startswith("Файл: ")
    else:
        values = [row for _, row in table.rows]
        assert values[0]["code"] == "0101"
        assert "root:" not in repr(values) and "lollollol" not in repr(values)
        assert len(repr(values)) < 1000
    assert time.perf_counter() - started < 2


def test_start_up_refuses_openpyxl_without_defusedxml(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(ImproperlyConfigured) as error:
        assert_xml_is_defused()
    assert str(error.value) == XML_UNSAFE
