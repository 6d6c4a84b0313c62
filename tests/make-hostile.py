"""Writes the hostile inputs of tests/hostile/: each must give one
parse-error and never a crash, a hang or a blow-up in memory."""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hostile")
os.makedirs(OUT, exist_ok=True)

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx(name, document_xml, extra=()):
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", document_xml)
        for member, data in extra:
            z.writestr(member, data)


# A member that inflates to 300 MB of zeros (compressed: about 300 kB).
with zipfile.ZipFile(os.path.join(OUT, "zip-bomb.docx"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", CONTENT_TYPES)
    with z.open("word/document.xml", "w", force_zip64=True) as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(300):
            f.write(chunk)

# Entity expansion ("billion laughs"): a DTD has no place in a DOCX.
lol = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10}">' for i in range(1, 10))
docx(
    "entity-expansion.docx",
    f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{lol}]>'
    f"<w:document {W}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>",
)

# Nesting deeper than the limit.
depth = 5000
docx("deep-nesting.docx", f"<w:document {W}><w:body>" + "<w:sdt>" * depth + "</w:sdt>" * depth + "</w:body></w:document>")

# Malformed XML.
docx("malformed-xml.docx", f"<w:document {W}><w:body><w:p><w:r><w:t>Texte</w:r></w:p></w:body></w:document>")

# A package without its main part.
with zipfile.ZipFile(os.path.join(OUT, "no-document.docx"), "w") as z:
    z.writestr("[Content_Types].xml", CONTENT_TYPES)

# Truncated and garbled packages, from a valid one.
good = os.path.join(HERE, "formats", "tender.docx")
with open(good, "rb") as f:
    data = f.read()
with open(os.path.join(OUT, "truncated.docx"), "wb") as f:
    f.write(data[: len(data) // 2])
with open(os.path.join(OUT, "garbled.odt"), "wb") as f:
    f.write(bytes((b * 7 + 13) % 256 for b in data[:4096]))

# A PDF with no text layer: one page that only draws a rectangle.
stream = b"0 0 1 rg 100 100 200 200 re f"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
]
pdf = b"%PDF-1.4\n"
offsets = []
for i, body in enumerate(objects, 1):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n" % i + body + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
for o in offsets:
    pdf += b"%010d 00000 n \n" % o
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
with open(os.path.join(OUT, "no-text-layer.pdf"), "wb") as f:
    f.write(pdf)

# A PDF that is not one.
with open(os.path.join(OUT, "not-a-pdf.pdf"), "wb") as f:
    f.write(b"%PDF-1.7\n" + bytes(range(256)) * 4)

# A garbled DOCX.
with open(os.path.join(OUT, "garbled.docx"), "wb") as f:
    f.write(bytes((b * 7 + 13) % 256 for b in data))

# Markdown that is not UTF-8 (Latin-1).
with open(os.path.join(OUT, "invalid-utf8.md"), "wb") as f:
    f.write("# Règlement de la consultation\n\nLe mémoire est remis au format Word.\n".encode("latin-1"))

# A PDF whose cross-reference table and trailer point nowhere, and whose
# objects are cut in the middle.
with open(os.path.join(HERE, "formats", "tender.pdf"), "rb") as f:
    pdf = f.read()
cut = pdf.rfind(b"xref")
body = pdf[: cut // 2]
with open(os.path.join(OUT, "broken-xref.pdf"), "wb") as f:
    f.write(body + b"xref\n0 9\n0000000000 65535 f \nGARBAGE\ntrailer\n<< /Size 9 /Root 99 0 R >>\nstartxref\n123456789\n%%EOF\n")

# A symbolic link to itself, and one to nothing.
for name, target in [("loop.md", "loop.md"), ("dangling.md", "missing.md")]:
    link = os.path.join(OUT, name)
    if os.path.lexists(link):
        os.remove(link)
    os.symlink(target, link)

# A page whose /Parent is itself (found by fuzzing): following the chain of
# parents for inherited resources never ends.
with open(os.path.join(OUT, "no-text-layer.pdf"), "rb") as f:
    looped = f.read().replace(b"/Type /Page /Parent 2 0 R", b"/Type /Page /Parent 3 0 R")
with open(os.path.join(OUT, "page-tree-loop.pdf"), "wb") as f:
    f.write(looped)
