#!/usr/bin/env python3
"""Decodes a mail with Python's email library and prints what a reader
sees, as JSON: headers decoded from RFC 2047, the text and HTML bodies, the
attachments' names. Used by the tests to check what opsd sends.

Usage: decode_mail.py FILE.eml
"""
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    message = email.message_from_binary_file(f, policy=email.policy.default)
text = message.get_body(preferencelist=("plain",))
html = message.get_body(preferencelist=("html",))
print(json.dumps({
    "from": str(message["From"]),
    "to": str(message["To"]),
    "subject": str(message["Subject"]),
    "message_id": str(message["Message-ID"]),
    "date": str(message["Date"]),
    "text": text.get_content() if text else None,
    "html": html.get_content() if html else None,
    "attachments": [part.get_filename() for part in message.iter_attachments()],
    "defects": [str(d) for d in message.defects],
}, ensure_ascii=False))
