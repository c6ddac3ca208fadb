"""The built-in .docx templates (docxtpl), drawn with python-docx, and the check of an uploaded one.

The built-in templates are made by code at seed time and stored as data (`DocumentTemplate.content`),
so staff can download one, change its wording or layout in Word and upload it back. The layout follows
ГОСТ Р 7.0.97-2025 and municipal practice: the authority's name, the kind of document, the date and the
number on one line, the place, the title, the preamble, «ПРИКАЗЫВАЮ:», numbered items with executor and
term, the control item, the signature block, the executor with phone; each appendix starts on a new page
headed «Приложение № N к приказу от … № …».
"""

import io
import zipfile

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate
from jinja2 import TemplateSyntaxError

from schools.errors import ValidationFailed
from schools.uploads import UploadRejected, check_archive, check_size

from .contexts import COLUMNS, template_fields
from .models import DocumentKind

UNKNOWN_FIELD = (
    "В шаблоне неизвестное поле «{name}» (вид документа «{kind}»). Допустимые поля: {allowed}. "
    "Шаблон не сохранён."
)
UNKNOWN_FIELDS = (
    "В шаблоне неизвестные поля: {names} (вид документа «{kind}»). Допустимые поля: {allowed}. "
    "Шаблон не сохранён."
)
BROKEN_TEMPLATE = (
    "Шаблон не читается: ошибка в выражении шаблона в строке {line}: {message}. Шаблон не сохранён."
)
NOT_DOCX = "Файл не является документом Word (.docx): {name}. Шаблон не сохранён."

FONT = "Times New Roman"


def _paragraph(document, text: str = "", *, bold=False, size=14, align=None, space_after=0, italic=False):
    paragraph = document.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_text(cell, text: str, *, bold=False, size=12, align=None) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align


def _requisites(document, *, with_place: bool = True) -> None:
    """Authority, kind of document, «date … № number» line, place."""
    _paragraph(document, "{{ authority }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(document, "{{ heading }}", bold=True, size=16, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    line = document.add_table(rows=1, cols=2)
    _no_borders(line)
    _cell_text(line.cell(0, 0), "{{ date }}", size=14)
    _cell_text(line.cell(0, 1), "№ {{ number }}", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if with_place:
        _paragraph(document, "{{ place }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)


def _signature(document, position: str, name: str) -> None:
    _paragraph(document, space_after=12)
    block = document.add_table(rows=1, cols=2)
    _no_borders(block)
    _cell_text(block.cell(0, 0), position, size=14)
    _cell_text(block.cell(0, 1), name, size=14, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _executor(document) -> None:
    _paragraph(document, space_after=24)
    _paragraph(document, "Исп. {{ executor_name }}", size=10)
    _paragraph(document, "тел. {{ executor_phone }}", size=10)


def _items(document, *, lead: str) -> None:
    _paragraph(document, lead, bold=True, space_after=6)
    _paragraph(document, "{%p for item in items %}")
    _paragraph(
        document,
        "{{ item.number }}. {{ item.text }}{% if item.executor %} Ответственный: {{ item.executor }}."
        "{% endif %}{% if item.term %} Срок: {{ item.term }}.{% endif %}",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        space_after=6,
    )
    _paragraph(document, "{%p endfor %}")


def _table(document, columns: list[tuple[str, str]], rows_expression: str) -> None:
    table = document.add_table(rows=3, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (header, _) in enumerate(columns):
        _cell_text(table.cell(0, index), header, bold=True, size=11, align=WD_ALIGN_PARAGRAPH.CENTER)
    _cell_text(table.cell(1, 0), f"{{%tr for row in {rows_expression} %}}", size=11)
    for index, (_, key) in enumerate(columns):
        _cell_text(table.cell(2, index), f"{{{{ row.{key} }}}}", size=11)
    table.add_row()
    _cell_text(table.cell(3, 0), "{%tr endfor %}", size=11)


def _appendices(document, kind: str) -> None:
    _paragraph(document, "{%p for appendix in appendices %}")
    breaker = _paragraph(document)
    breaker.add_run().add_break(WD_BREAK.PAGE)
    _paragraph(document, "{{ appendix.heading }}", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "{{ appendix.reference }}", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=12)
    _paragraph(document, "{{ appendix.title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _table(document, COLUMNS[kind], "appendix.rows")
    _paragraph(document, "{%p endfor %}")


def _base_document():
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(14)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    return document


def _titled_document():
    """The head every template shares: the requisites of the department and the document, then the title."""
    document = _base_document()
    _requisites(document)
    _paragraph(document, "{{ title }}", bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    return document


def _order(kind: str):
    document = _titled_document()
    _paragraph(document, "{{ preamble }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    _items(document, lead="ПРИКАЗЫВАЮ:")
    _paragraph(document, "{{ control_number }}. {{ control }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _signature(document, "{{ signatory_position }}", "{{ signatory_name }}")
    _executor(document)
    _appendices(document, kind)
    return document


def _spravka():
    document = _titled_document()
    _paragraph(document, "{%p for line in summary %}")
    _paragraph(document, "{{ line }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, space_after=6)
    _paragraph(document, "{%p endfor %}")
    _paragraph(document, "{%p for appendix in appendices %}")
    _paragraph(
        document, "Таблица {{ appendix.number }}. {{ appendix.title }}", bold=True, size=12, space_after=6
    )
    _table(document, COLUMNS[DocumentKind.SPRAVKA], "appendix.rows")
    _paragraph(document, "{%p endfor %}")
    _signature(document, "{{ signatory_position }}", "{{ signatory_name }}")
    _executor(document)
    return document


def _protocol():
    document = _titled_document()
    _paragraph(document, "Председатель: {{ chair }}")
    _paragraph(document, "Секретарь: {{ secretary }}")
    _paragraph(document, "Присутствовали: {{ attendees }}", space_after=12)
    _paragraph(document, "ПОВЕСТКА ДНЯ:", bold=True, space_after=6)
    _paragraph(document, "{%p for point in agenda %}")
    _paragraph(document, "{{ point.number }}. {{ point.text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, "{%p endfor %}")
    _paragraph(document, space_after=6)
    _items(document, lead="РЕШИЛИ:")
    _signature(document, "Председатель", "{{ chair }}")
    _signature(document, "Секретарь", "{{ secretary }}")
    return document


def builtin_template_bytes(kind: str) -> bytes:
    if kind == DocumentKind.SPRAVKA:
        document = _spravka()
    elif kind == DocumentKind.PROTOCOL:
        document = _protocol()
    else:
        document = _order(kind)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# A department's blank with its emblem is well under a megabyte; the gate of every upload (schools.uploads)
# with limits of a Word template, checked before the document is opened.
TEMPLATE_MAX_BYTES = 10 * 1024 * 1024
TEMPLATE_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024


def _check_template_file(content: bytes, file_name: str) -> None:
    """Size and zip directory of the file (nothing unpacked): a Russian refusal at the file field."""
    try:
        check_size(io.BytesIO(content), max_bytes=TEMPLATE_MAX_BYTES)
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            check_archive(archive, max_uncompressed=TEMPLATE_MAX_UNCOMPRESSED_BYTES)
    except UploadRejected as refused:
        raise ValidationFailed(refused.message, field="file")
    except zipfile.BadZipFile:
        raise ValidationFailed(NOT_DOCX.format(name=file_name or "файл"), field="file")


def template_check(*, kind: str, content: bytes, file_name: str = "") -> None:
    """Refuse a template that is too large or unpacks too large, is not a .docx, does not parse, or names
    a field the kind does not have."""
    _check_template_file(content, file_name)
    try:
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
    except Exception:
        raise ValidationFailed(NOT_DOCX.format(name=file_name or "файл"), field="file")
    try:
        names = template.get_undeclared_template_variables()
    except TemplateSyntaxError as error:
        raise ValidationFailed(BROKEN_TEMPLATE.format(line=error.lineno, message=error.message), field="file")
    allowed = template_fields(kind)
    unknown = sorted(set(names) - allowed)
    label = DocumentKind(kind).label
    allowed_text = ", ".join(sorted(allowed))
    if len(unknown) == 1:
        raise ValidationFailed(
            UNKNOWN_FIELD.format(name=unknown[0], kind=label, allowed=allowed_text), field="file"
        )
    if unknown:
        names_text = ", ".join(f"«{name}»" for name in unknown)
        raise ValidationFailed(
            UNKNOWN_FIELDS.format(names=names_text, kind=label, allowed=allowed_text), field="file"
        )
