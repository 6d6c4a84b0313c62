//! A streaming walk over an XML part with quick-xml, for the DOCX and ODT
//! readers: nesting depth is capped, entities other than the predefined and
//! character references are never expanded, and errors carry the part and
//! the byte position.

use super::ReadError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// What a reader does with the events of a part.
pub trait Handler {
    /// An element opens (`empty` when it is also closed, `<x/>`).
    fn open(&mut self, name: &[u8], element: &BytesStart, empty: bool);
    /// An element closes (also called right after `open` for an empty one).
    fn close(&mut self, name: &[u8]);
    /// Character data.
    fn text(&mut self, text: &str);
    /// The byte range of the event about to be handled (the redline splices
    /// the part at these offsets).
    fn span(&mut self, _start: usize, _end: usize) {}
}

/// Walks `xml` (member `part` of a package), calling `handler`.
pub fn walk(xml: &str, part: &str, max_depth: usize, handler: &mut impl Handler) -> Result<(), ReadError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let error = |reader: &Reader<&[u8]>, message: String| ReadError::Xml {
        part: part.to_string(),
        offset: reader.buffer_position(),
        message,
    };
    loop {
        let start = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| error(&reader, e.to_string()))?;
        handler.span(start, reader.buffer_position() as usize);
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > max_depth {
                    return Err(ReadError::Limit {
                        what: format!("{part} nests elements deeper than {max_depth} levels"),
                        limit: format!("at most {max_depth} levels"),
                        setting: "max-xml-depth",
                    });
                }
                handler.open(bytes(e.local_name().as_ref()), &e, false);
            }
            Event::Empty(e) => {
                let name = e.local_name();
                handler.open(bytes(name.as_ref()), &e, true);
                handler.close(bytes(name.as_ref()));
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                handler.close(bytes(e.local_name().as_ref()));
            }
            Event::Text(t) => handler.text(&t.xml10_content()),
            Event::CData(t) => handler.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    handler.text(c.encode_utf8(&mut [0; 4]));
                } else if let Some(s) = predefined(&r) {
                    handler.text(s);
                }
                // Any other entity is left out: nothing is ever expanded.
            }
            Event::DocType(_) => {
                // OOXML and ODF never use a DTD; one can only serve entity expansion.
                return Err(error(&reader, "a DTD (<!DOCTYPE>) is not allowed in this format".to_string()));
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn bytes(name: &str) -> &[u8] {
    name.as_bytes()
}

fn predefined(name: &str) -> Option<&'static str> {
    match name {
        "amp" => Some("&"),
        "lt" => Some("<"),
        "gt" => Some(">"),
        "apos" => Some("'"),
        "quot" => Some("\""),
        _ => None,
    }
}

/// The value of the attribute whose local name is `name`.
pub fn attr(element: &BytesStart, name: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| bytes(a.key.local_name().as_ref()) == name)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}
