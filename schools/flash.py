"""Messages shown beside what they are about. A view that redirects to `…#anchor` (a row further down a
long page) tags its message with `message_near(anchor)`; base.html leaves such messages out of the list at
the top, and the page shows them in the element with that id, where the browser lands — on screen."""

NEAR = "near:"


def message_near(anchor: str) -> str:
    """extra_tags for a message shown in the element with id `anchor`:
    `messages.success(request, text, extra_tags=message_near(item.anchor))`."""
    return NEAR + anchor
