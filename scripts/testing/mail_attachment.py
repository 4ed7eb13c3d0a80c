#!/usr/bin/env python3
"""Writes the attachment called NAME of a mail to OUT, decoded by Python's
email library, so the tests compare what was sent byte for byte.

Usage: mail_attachment.py FILE.eml NAME OUT
"""
import email
import email.policy
import sys

path, name, out = sys.argv[1:4]
with open(path, "rb") as f:
    message = email.message_from_binary_file(f, policy=email.policy.default)
for part in message.iter_attachments():
    if part.get_filename() == name:
        with open(out, "wb") as target:
            target.write(part.get_content())
        sys.exit(0)
sys.exit("no attachment called " + name)
