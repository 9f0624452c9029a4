"""A logging filter that masks anything shaped like an identity code before a record is written.

Identity codes must never reach a log (DESIGN.md, data-protection rules). Code should not log them in
the first place; this filter is the net under that rule, for the message, its arguments and a
traceback's text (e.g. a request path or a form value quoted by an exception). Configured on the
root handlers in settings.LOGGING.
"""

from __future__ import annotations

import logging
import re

# DDMMYY, a century sign, three digits, a check character; not inside a longer word or number.
# Case-insensitive, so a code typed in lower case is masked too.
IDENTITY_CODE_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])([0-3][0-9][01][0-9][0-9]{2}[-+A-FU-Ya-fu-y])[0-9]{3}[0-9A-Ya-y](?![0-9A-Za-z])"
)
MASK = r"\1****"


def mask_identity_codes(text: str) -> str:
    """The text with every identity-code-shaped string masked to its date part: "010203A****"."""
    return IDENTITY_CODE_SHAPE.sub(MASK, text)


class MaskIdentityCodes(logging.Filter):
    """Mask identity codes in a log record's message, arguments and exception text; never drop it."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Formatted here, so a code split between the message and its arguments is caught too.
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Arguments that do not fit the message: logging's own error report would print them raw.
            message = f"{record.msg} {record.args!r}"
        record.msg = mask_identity_codes(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            # Format the traceback now, masked; the formatter reuses exc_text instead of the raw one.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_identity_codes(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_identity_codes(record.stack_info)
        return True
