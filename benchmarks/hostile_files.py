"""Hostile files for the upload gate (schools.uploads), built byte by byte, and a run that measures them.

Used by the tests (tests/trust/test_hostile_files.py) and as a benchmark: each file is refused in a fresh
subprocess that reports its wall time and peak memory (resource.getrusage ru_maxrss and tracemalloc).

    DEBUG=1 .venv/bin/python benchmarks/hostile_files.py
"""

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{overrides}</Types>"
)
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell(reference: str, value) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    return f'<c r="{reference}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(rows: dict[int, list[tuple[str, object]]], *, dimension: str | None = None) -> str:
    """A worksheet part: rows {row number: [(column letters, value), ...]}, optional <dimension ref>."""
    body = "".join(
        f'<row r="{number}">' + "".join(cell(f"{col}{number}", value) for col, value in cells) + "</row>"
        for number, cells in rows.items()
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{dim}'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def table_rows(table: list[list], *, first_row: int = 1) -> dict[int, list[tuple[str, object]]]:
    """Rows of a plain table (lists of values from column A) in sheet_xml's form."""
    return {
        first_row + n: [(chr(65 + k), v) for k, v in enumerate(row) if v is not None]
        for n, row in enumerate(table)
    }


def workbook(sheets: list[tuple[str, str, str]], *, name: str = "file.xlsx") -> io.BytesIO:
    """An xlsx from (sheet name, state «visible»/«hidden», worksheet XML) in workbook order."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, len(sheets) + 1)
    )
    entries = "".join(
        f'<sheet name="{title}" sheetId="{n}" state="{state}" r:id="rId{n}"/>'
        for n, (title, state, _) in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml" Type="{_REL}/worksheet"/>'
        for n in range(1, len(sheets) + 1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(overrides=overrides))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            f"<sheets>{entries}</sheets></workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>",
        )
        for n, (_, _, xml) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", xml)
    out.seek(0)
    out.name = name
    return out


def far_cell_xlsx(table: list[list], *, far: str = "XFD1048576", dimension: str | None = None) -> io.BytesIO:
    """A small table plus one cell at `far` (the file that killed the reader: about 1 KB)."""
    rows = table_rows(table)
    letters = far.rstrip("0123456789")
    rows.setdefault(int(far[len(letters) :]), []).append((letters, 1))
    return workbook([("Данные", "visible", sheet_xml(rows, dimension=dimension))])


def template_zip_bomb(megabytes: int = 300) -> io.BytesIO:
    """A card template .xlsx whose sheet unpacks to `megabytes` MB of cells (a few hundred KB packed)."""
    row = "".join(cell(f"{col}1", "1.1") for col in "ABCDEFGH")
    repeated = '<row r="1">' + row + "</row>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        base = zipfile.ZipFile(workbook([("Шаблон", "visible", sheet_xml({}))]))
        for item in base.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item.filename, base.read(item.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            block = (repeated * 1000).encode()
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                part.write(block)
            part.write(b"</sheetData></worksheet>")
    out.seek(0)
    out.name = "шаблон.xlsx"
    return out


# --- the measured run ---------------------------------------------------------------------------------
_MEASURE = """
import os, resource, sys, time, tracemalloc
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django
django.setup()
from {module} import {function} as entry
content = open({path!r}, "rb").read()
tracemalloc.start()
started = time.perf_counter()
outcome = entry(content)
seconds = time.perf_counter() - started
python_peak = tracemalloc.get_traced_memory()[1]
import json
print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, python_peak, outcome]))
"""


def refuse_import(content: bytes) -> str:
    """What the import task does with the file (the schools import: it reads before it queries)."""
    from schools.importing import run_import

    summary = run_import(kind="schools", file=io.BytesIO(content), file_name="школы.xlsx")
    return summary.errors[0]["message"] if summary.errors else "принят"


def refuse_template_upload(content: bytes) -> str:
    """What the card template upload does with the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from monitoring.forms import TemplateUploadForm

    form = TemplateUploadForm(files={"file": SimpleUploadedFile("шаблон.xlsx", content)})
    return "; ".join(form.errors.get("file", [])) or "принят"


def measure(path: Path, function: str) -> dict:
    code = _MEASURE.format(
        root=str(ROOT), module="benchmarks.hostile_files", function=function, path=str(path)
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    seconds, max_rss, python_peak, outcome = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "seconds": seconds,
        "max_rss_mb": max_rss / 2**20,
        "python_peak_mb": python_peak / 2**20,
        "outcome": outcome,
    }


def main() -> None:
    out = ROOT / "benchmarks" / "data"
    out.mkdir(parents=True, exist_ok=True)
    far = out / "hostile_far_cell.xlsx"
    far.write_bytes(far_cell_xlsx([["Код ОО", "Учебный год"], ["0101", "2024/2025"]]).getvalue())
    bomb = out / "hostile_template_bomb.xlsx"
    bomb.write_bytes(template_zip_bomb().getvalue())
    for path, function in ((far, "refuse_import"), (bomb, "refuse_template_upload")):
        result = measure(path, function)
        print(
            json.dumps(
                {"file": path.name, "bytes": path.stat().st_size, "entry": function, **result},
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()
