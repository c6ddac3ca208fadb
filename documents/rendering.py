"""A document's files from its context: the DOCX through its .docx template (docxtpl), the PDF through the
reports app's WeasyPrint pipeline (same data, an HTML layout of the same form), the calendar as .ics."""

import datetime
import io
import re

from django.template.loader import render_to_string
from docxtpl import DocxTemplate
from icalendar import Calendar, Event

from reports.pdf import render_pdf
from reports.rendering import chart_svg

from .contexts import COLUMNS
from .models import DocumentKind, DocumentTemplate

# Characters XML 1.0 does not allow (C0 controls other than tab and line breaks): a typed title carrying one
# would make the rendered document unreadable, so they are dropped.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(value):
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    if isinstance(value, dict):
        return {key: xml_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [xml_safe(item) for item in value]
    return value


def render_docx(*, template: DocumentTemplate, context: dict) -> bytes:
    document = DocxTemplate(io.BytesIO(bytes(template.content)))
    document.render(xml_safe(context), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _spravka_chart(context: dict):
    rows = context["appendices"][0]["rows"] if context.get("appendices") else []
    values = [(f"{r['subject']}, {r['grade']}", r["mark2"]) for r in rows if r["mark2"] != "—"]
    if not values:
        return None
    return chart_svg(
        {
            "type": "bar",
            "title": "Доля отметок «2» по предметам и классам, %",
            "labels": [label for label, _ in values],
            "values": [float(v.replace(",", ".")) for _, v in values],
            "unit": "%",
        }
    )


def render_pdf_bytes(*, kind: str, context: dict) -> bytes:
    chart = _spravka_chart(context) if kind == DocumentKind.SPRAVKA else None
    keys = [key for _, key in COLUMNS[kind]]
    appendices = [
        {**appendix, "cells": [[row.get(key, "") for key in keys] for row in appendix["rows"]]}
        for appendix in context.get("appendices", [])
    ]
    html = render_to_string(
        "documents/pdf/document.html",
        {
            "doc": {**context, "appendices": appendices},
            "kind": kind,
            "headers": [header for header, _ in COLUMNS[kind]],
            "chart": chart,
            "is_order": context.get("heading") == "ПРИКАЗ",
        },
    )
    return render_pdf(html)


def render_ics(*, title: str, rows: list[dict]) -> bytes:
    """The circulogram as an iCalendar file: one all-day event per row (RFC 5545)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Портал управления качеством образования//RU")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", title)
    stamp = datetime.datetime.now(datetime.UTC)
    for row in rows:
        event = Event()
        start = datetime.date.fromisoformat(row["start"])
        end = datetime.date.fromisoformat(row["end"]) if row.get("end") else start
        event.add("uid", f"{row['uid']}@quality-portal")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", end + datetime.timedelta(days=1))
        event.add("summary", row["title"])
        description = "; ".join(p for p in (row.get("source"), f"ответственный: {row['responsible']}") if p)
        event.add("description", description)
        calendar.add_component(event)
    return calendar.to_ical()
