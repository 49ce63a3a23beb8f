#!/usr/bin/env python3
"""Converts five sample documents from their plain-text originals into the formats researchers get them in.

    python3 sample_corpus/make_formats.py

Three interview transcripts become Word files (.docx, bold speaker labels, as a transcription service delivers
them), the Brattli quality plan becomes a three-page PDF with a text layer, and the Straumen interview (recorded
on Teams) becomes a WebVTT caption file with voice tags. The .txt originals were removed from the corpus after
the conversion; this script reads them from the git history (commit ORIGINALS), so it needs a git checkout.
Output is byte-for-byte reproducible (fixed zip timestamps, no random ids). Python 3 standard library only.
"""
import io
import os
import re
import subprocess
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
# The last commit with the .txt originals in sample_corpus/.
ORIGINALS = "c2ab91f"


def original(relative):
    """The text of sample_corpus/<relative> at ORIGINALS."""
    return subprocess.run(
        ["git", "show", f"{ORIGINALS}:sample_corpus/{relative}"],
        cwd=HERE,
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")


def paragraphs(text):
    return [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


# ---------------------------------------------------------------- Word (.docx)

W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
FIXED_TIME = (2022, 4, 1, 9, 30, 0)


def w_run(text, bold=False):
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def w_para(runs, style=None):
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


# `Rektor: …`, `Intervjuer: …`: a speaker label opens the paragraph.
TURN = re.compile(r"^([A-ZÆØÅ][\wæøåÆØÅ.\-]*(?: [\wæøåÆØÅ.\-]+){0,3}):[ \t]+(.*)$", re.S)


def docx_body(text, service_note):
    blocks = paragraphs(text)
    header = blocks[0].split("\n")
    body = [w_para([w_run(header[0])], style="Heading1")]
    for line in header[1:]:
        # `Dato: 24. mars 2022`: the field name in bold would be a speaker, so it stays plain.
        body.append(w_para([w_run(line)], style="Metadata"))
    body.append(w_para([w_run(service_note)], style="TranscriptNote"))
    for block in blocks[1:]:
        match = TURN.match(block)
        if not match:
            raise SystemExit(f"a paragraph without a speaker label: {block[:60]!r}")
        speaker, words = match.groups()
        if "\n" in words:
            raise SystemExit(f"a line break inside a turn: {block[:60]!r}")
        body.append(w_para([w_run(f"{speaker}:", bold=True), w_run(f" {words}")]))
    return "".join(body)


STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f"<w:styles {W_NS}>"
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>'
    '<w:sz w:val="22"/><w:lang w:val="nb-NO"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>'
    '<w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="Metadata"><w:name w:val="Metadata"/>'
    '<w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0"/></w:pPr><w:rPr><w:color w:val="595959"/></w:rPr>'
    "</w:style>"
    '<w:style w:type="paragraph" w:customStyle="1" w:styleId="TranscriptNote"><w:name w:val="Transcript note"/>'
    '<w:basedOn w:val="Metadata"/><w:pPr><w:spacing w:before="120" w:after="360"/></w:pPr><w:rPr><w:i/></w:rPr>'
    "</w:style>"
    "</w:styles>"
)
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    "</Relationships>"
)
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)


def core_properties(title, date):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>Transkripsjonstjenesten</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{date}T09:30:00Z</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{date}T09:30:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def write_docx(source, target, service_note, delivered):
    text = original(source)
    title = paragraphs(text)[0].split("\n")[0]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {W_NS}><w:body>{docx_body(text, service_note)}"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1417" w:right="1417" w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"
    )
    entries = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("docProps/core.xml", core_properties(title, delivered)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document),
        ("word/styles.xml", STYLES),
    ]
    with zipfile.ZipFile(os.path.join(HERE, target), "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


# ---------------------------------------------------------------- WebVTT (Teams recording)

STAMPED = re.compile(r"^(\w+) \((\d\d):(\d\d):(\d\d)\): (.*)$", re.S)


def clock(seconds_ms):
    ms = int(round(seconds_ms))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def cue_texts(words_text, limit=110):
    """Splits a turn into caption-sized pieces at spaces: sentences first, long sentences at word gaps."""
    pieces = []
    for sentence in re.split(r"(?<=[.?!…])\s+", words_text.strip()):
        current = ""
        for word in sentence.split(" "):
            if current and len(current) + 1 + len(word) > limit:
                pieces.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        if current:
            pieces.append(current)
    # Join very short sentences to the piece before ("Ja." "Nei.") as Teams does with quick speech.
    merged = []
    for piece in pieces:
        if merged and len(piece) < 18 and len(merged[-1]) + 1 + len(piece) <= limit:
            merged[-1] += " " + piece
        else:
            merged.append(piece)
    return merged


def write_vtt(source, target, header_note):
    text = original(source)
    turns = []
    for block in paragraphs(text)[1:]:
        match = STAMPED.match(block)
        if not match:
            raise SystemExit(f"a paragraph without a time-stamped speaker: {block[:60]!r}")
        speaker, h, m, s, words = match.groups()
        if "\n" in words or "  " in words:
            raise SystemExit(f"unexpected spacing in a turn: {block[:60]!r}")
        turns.append((speaker, int(h) * 3600 + int(m) * 60 + int(s), words))
    out = ["WEBVTT", "", "NOTE", header_note, ""]
    cue_number = 0
    for index, (speaker, start_s, words) in enumerate(turns):
        # The last turn lasts as long as it takes to say (about 14 characters a second).
        next_s = turns[index + 1][1] if index + 1 < len(turns) else start_s + 2 + len(words) // 14
        pieces = cue_texts(words)
        # The turn starts a fixed fraction into its second, so the first cue keeps the transcript's time.
        start_ms = start_s * 1000 + 120 + (cue_number * 137) % 700
        end_ms = next_s * 1000 - 250
        total = sum(len(p) for p in pieces)
        position = start_ms
        for piece in pieces:
            length = (end_ms - start_ms) * len(piece) / total
            cue_number += 1
            # Teams names each cue by a meeting-segment id and a running number.
            out.append(f"4f1c2a9e-7d3b-4e0a-9b52-3c8e61d0a7f5/{cue_number + 11}-0")
            out.append(f"{clock(position)} --> {clock(position + length - 40)}")
            payload = escape(piece)
            out.append(f"<v {speaker}>{payload}</v>")
            out.append("")
            position += length
    with open(os.path.join(HERE, target), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))


# ---------------------------------------------------------------- PDF with a text layer

# Helvetica advance widths (AFM, 1/1000 em) for the characters of the plan; others are taken as 556.
HELVETICA = {
    " ": 278, "!": 278, '"': 355, "%": 889, "&": 667, "'": 191, "(": 333, ")": 333, ",": 278, "-": 333,
    ".": 278, "/": 278, ":": 278, ";": 278, "?": 556, "–": 556, "·": 278, "«": 556, "»": 556,
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722, "I": 278, "J": 500,
    "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667, "Q": 778, "R": 722, "S": 667, "T": 611,
    "U": 722, "V": 667, "W": 944, "X": 667, "Y": 667, "Z": 611, "Æ": 1000, "Ø": 778, "Å": 667,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556, "i": 222, "j": 222,
    "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556, "q": 556, "r": 333, "s": 500, "t": 278,
    "u": 556, "v": 500, "w": 722, "x": 500, "y": 500, "z": 500, "æ": 889, "ø": 611, "å": 556, "é": 556,
}


def text_width(text, size, bold=False):
    width = sum(HELVETICA.get(c, 556) for c in text) * size / 1000
    return width * (1.07 if bold else 1.0)


def wrap(text, size, width, bold=False):
    lines, current = [], ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    for line in lines[:-1]:
        # A line ending in a hyphen would be joined to the next one by readers that mend hyphenation.
        if line.endswith("-"):
            raise SystemExit(f"a line ends with a hyphen: {line!r}")
    return lines


def pdf_string(text):
    out = ""
    for ch in text:
        code = ch.encode("cp1252")[0]
        if ch in "()\\":
            out += "\\" + ch
        elif code < 128:
            out += ch
        else:
            out += "\\%03o" % code
    return "(" + out + ")"


PAGE_W, PAGE_H = 595, 842
LEFT, RIGHT, TOP, BOTTOM = 72, 72, 770, 90
BODY, LEADING = 11, 14.5


def plan_layout(text):
    """Blocks of (kind, text) from the plan: title lines, headings, list items and body paragraphs."""
    blocks = []
    parts = paragraphs(text)
    for i, line in enumerate(parts[0].split("\n")):
        blocks.append(("title" if i == 0 else "subtitle", line))
    for part in parts[1:]:
        lines = part.split("\n")
        if re.match(r"^\d(\.\d)? ", part) and len(part) < 80:
            blocks.append(("chapter" if "." not in part.split(" ")[0] else "heading", part))
        elif len(lines) > 1:
            first = "item" if re.match(r"^[a-e]\) ", lines[0]) else "body"
            blocks.append((first, lines[0]))
            blocks.extend(("item", line) for line in lines[1:])
        elif re.match(r"^[a-e]\) ", part) or part.startswith("– "):
            blocks.append(("item", part))
        else:
            blocks.append(("body", part))
    return blocks


STYLE = {
    # kind: (font, size, space before, indent)
    "title": ("F2", 16, 0, 0),
    "subtitle": ("F1", 11, 10, 0),
    "chapter": ("F2", 14, 26, 0),
    "heading": ("F2", 12, 22, 0),
    "body": ("F1", BODY, 11, 0),
    "item": ("F1", BODY, 5, 18),
}


def write_pdf(source, target, first_page_number, total_pages_in_plan):
    text = original(source)
    pages = [[]]
    y = TOP
    previous = None
    for kind, block in plan_layout(text):
        font, size, before, indent = STYLE[kind]
        if kind == "item" and previous == "body":
            before = 6
        hanging = 0
        if kind == "item":
            marker, rest = block.split(" ", 1)
            hanging = text_width(marker + " ", size)
        lines = wrap(block, size, PAGE_W - LEFT - RIGHT - indent - hanging, bold=font == "F2")
        needed = before + len(lines) * LEADING + (40 if kind in ("chapter", "heading") else 0)
        if pages[-1] and y - needed < BOTTOM:
            pages.append([])
            y = TOP
        elif pages[-1]:
            y -= before
        for n, line in enumerate(lines):
            x = LEFT + indent + (hanging if n > 0 else 0)
            pages[-1].append((font, size, x, y, line))
            y -= LEADING if size <= 12 else size * 1.3
        previous = kind
    contents = []
    for index, lines in enumerate(pages):
        page_number = first_page_number + index
        ops = ["BT"]
        running = "Kvalitetsplan for oppvekst 2022–2025 · Brattli kommune"
        ops.append(f"/F1 8 Tf 0.35 g 1 0 0 1 {LEFT} 805 Tm {pdf_string(running)} Tj 0 g")
        for font, size, x, y, line in lines:
            ops.append(f"/{font} {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm {pdf_string(line)} Tj")
        footer = f"Side {page_number} av {total_pages_in_plan}"
        # Left-aligned: text extractors start a new paragraph only where a line starts left of where the last
        # one ended, so a right-aligned footer would be glued to the page's last paragraph.
        ops.append(f"/F1 8 Tf 0.35 g 1 0 0 1 {LEFT} 50 Tm {pdf_string(footer)} Tj 0 g")
        ops.append("ET")
        # A thin rule under the running header.
        ops.append(f"0.6 G 0.5 w {LEFT} 798 m {PAGE_W - RIGHT} 798 l S")
        contents.append("\n".join(ops).encode("latin-1"))

    n_pages = len(contents)
    font_regular = 3 + 2 * n_pages
    font_bold = font_regular + 1
    info = font_bold + 1
    objects = [b"<< /Type /Catalog /Pages 2 0 R /Lang (nb-NO) >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    resources = f"<< /Font << /F1 {font_regular} 0 R /F2 {font_bold} 0 R >> >>"
    for i, content in enumerate(contents):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] /Resources {resources} /Contents {4 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    objects.append(
        (
            "<< /Title "
            + pdf_string("Kvalitetsplan for oppvekst 2022–2025, kapittel 5: Tverrfaglig samarbeid")
            + " /Author (Brattli kommune) /CreationDate (D:20211210090000+01'00') >>"
        ).encode("latin-1")
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, info, xref)
    )
    with open(os.path.join(HERE, target), "wb") as f:
        f.write(out.getvalue())
    return n_pages


if __name__ == "__main__":
    write_docx(
        "brattli/tjernet_intervju_rektor.txt",
        "brattli/tjernet_intervju_rektor.docx",
        "Transkribert ordrett 28. mars 2022. Pauser og latter er markert i parentes.",
        "2022-03-28",
    )
    write_docx(
        "sorvang/makeberget_rektor.txt",
        "sorvang/makeberget_rektor.docx",
        "Transkribert ordrett 14. mars 2022. Pauser og latter er markert i parentes.",
        "2022-03-14",
    )
    write_docx(
        "elvheim/elvheim_kommunalsjef_oppvekst.txt",
        "elvheim/elvheim_kommunalsjef_oppvekst.docx",
        "Transkribert ordrett 15. mars 2022. Pauser og latter er markert i parentes.",
        "2022-03-15",
    )
    write_vtt(
        "vikoy/intervju_straumen_rektor.txt",
        "vikoy/intervju_straumen_rektor.vtt",
        "Teams-opptak 23. mars 2022, intervju med rektor, Straumen skule. Intervjuar: Ingrid Solberg.\n"
        "Automatisk teksting retta av intervjuaren; talarnamna er bytte ut med roller.",
    )
    pages = write_pdf(
        "brattli/brattli_kvalitetsplan_tverrfaglig_samarbeid.txt",
        "brattli/brattli_kvalitetsplan_tverrfaglig_samarbeid.pdf",
        14,
        31,
    )
    print(f"wrote 3 .docx, 1 .vtt and a {pages}-page .pdf in {HERE}")
