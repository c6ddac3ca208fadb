"""Reference data of the documents app: the built-in .docx template of every kind (drawn by code)."""

from .models import DocumentKind


def seed() -> list[str]:
    from .services import builtin_template

    for kind in DocumentKind.values:
        builtin_template(kind)
    return [f"Встроенные шаблоны документов: {len(DocumentKind.values)}."]
