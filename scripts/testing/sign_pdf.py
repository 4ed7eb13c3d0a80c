#!/usr/bin/env python3
"""Signs a PDF the way a signer's token does, with pyHanko: an incremental
update holding a PAdES/PKCS#7 detached signature, so the original bytes stay
the file's first revision. Used by the tests with a self-made certificate.

Usage: sign_pdf.py KEY.pem CERT.pem IN.pdf OUT.pdf
"""
import sys

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

key, cert, source, target = sys.argv[1:5]
signer = signers.SimpleSigner.load(key, cert, key_passphrase=None)
with open(source, "rb") as f:
    writer = IncrementalPdfFileWriter(f)
    signed = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=signer)
    with open(target, "wb") as out:
        out.write(signed.getbuffer())
