//! A minimal, valid Word package (`.docx`) written with zip: real heading styles (Heading 1–3 with outline
//! levels), a Quote style and a Citation style, so Word and LibreOffice open it without repair.

use std::io::{Cursor, Write};

use crate::error::{Error, Result};
use crate::interop::xml::escape;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="nb-NO"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:sz w:val="48"/><w:szCs w:val="48"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:i/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="120" w:after="40"/><w:ind w:left="567" w:right="567"/><w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="A0A0A0"/></w:pBdr></w:pPr><w:rPr><w:i/><w:color w:val="404040"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Citation"><w:name w:val="Citation"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="200"/><w:ind w:left="567"/></w:pPr><w:rPr><w:color w:val="606060"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>
</w:styles>"#;

/// A run of text: plain, or marked as surrounding context (lighter, not italic).
#[derive(Clone, Debug)]
pub struct Run {
    /// The text; line breaks become Word line breaks within the paragraph.
    pub text: String,
    /// Whether the run is surrounding context, set in grey and never italic.
    pub context: bool,
}

impl Run {
    /// A run of ordinary text.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            context: false,
        }
    }
}

/// A Word document being built paragraph by paragraph.
#[derive(Default)]
pub struct Docx {
    body: String,
}

fn run_xml(run: &Run) -> String {
    let props = if run.context {
        "<w:rPr><w:i w:val=\"0\"/><w:color w:val=\"808080\"/></w:rPr>"
    } else {
        ""
    };
    let mut out = String::new();
    for (i, line) in run.text.split('\n').enumerate() {
        out.push_str("<w:r>");
        out.push_str(props);
        if i > 0 {
            out.push_str("<w:br/>");
        }
        out.push_str("<w:t xml:space=\"preserve\">");
        out.push_str(&escape(line));
        out.push_str("</w:t></w:r>");
    }
    out
}

impl Docx {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// A paragraph in a style (`Normal`, `Title`, `Heading1`…, `Quote`, `Citation`).
    pub fn paragraph(&mut self, style: &str, runs: &[Run]) {
        self.body.push_str("<w:p><w:pPr><w:pStyle w:val=\"");
        self.body.push_str(style);
        self.body.push_str("\"/></w:pPr>");
        for run in runs {
            self.body.push_str(&run_xml(run));
        }
        self.body.push_str("</w:p>");
    }

    /// A heading of level 1–3 (Word's built-in Heading styles).
    pub fn heading(&mut self, level: usize, text: &str) {
        let style = format!("Heading{}", level.clamp(1, 3));
        self.paragraph(&style, &[Run::plain(text)]);
    }

    /// A paragraph in a style holding one run of plain text.
    pub fn text(&mut self, style: &str, text: &str) {
        self.paragraph(style, &[Run::plain(text)]);
    }

    /// The finished package.
    pub fn finish(self, title: &str) -> Result<Vec<u8>> {
        let document = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{}<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1417\" w:right=\"1417\" w:bottom=\"1417\" w:left=\"1417\" w:header=\"708\" w:footer=\"708\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>",
            self.body
        );
        let core = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>Marginalia</dc:creator></cp:coreProperties>",
            escape(title)
        );
        let fail = |e: String| Error::invalid("export.docx", e);
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, data) in [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("word/_rels/document.xml.rels", DOCUMENT_RELS),
            ("word/styles.xml", STYLES),
            ("word/document.xml", document.as_str()),
            ("docProps/core.xml", core.as_str()),
        ] {
            writer
                .start_file(name, options)
                .map_err(|e| fail(e.to_string()))?;
            writer
                .write_all(data.as_bytes())
                .map_err(|e| fail(e.to_string()))?;
        }
        Ok(writer
            .finish()
            .map_err(|e| fail(e.to_string()))?
            .into_inner())
    }
}
